"""Open Referral UK records for the navigator's services.

Other directories (council family information services, the NHS, aggregators)
can take Bradford's early years services in the Open Referral UK profile of
the Human Services Data Specification (HSDS 3.0). These functions turn the
knowledge base's :class:`~pathways.model.Service` values into records that
validate against the UK profile's ``service.json`` and, for paged listings,
``service_list.json`` plus the profile's ``Page`` wrapper.

Pure functions, no I/O, so the api, exports and tests share one mapping.

Choices worth knowing:

- Ids are UUIDs derived with ``uuid5`` from a fixed namespace and the local id
  (services) or provider name (organisations), so they never change between
  runs or content versions and other systems can store them.
- HSDS ages are numbers in years; a baby service "pregnancy to 24 months"
  exports as ``minimum_age: 0``, ``maximum_age: 2``, with the exact months and
  the pregnancy detail in ``eligibility_description``.
- Status: ``active`` stays active; ``closed`` becomes ``defunct``; ``uncertain``
  (we do not know whether it still runs) exports as ``active`` with an
  ``alert`` saying so, because the navigator still shows it, with that warning.
- Taxonomies: the knowledge's concerns (grouped under three parent terms: red
  flags, risk factors, other concerns, from the Concern fields) and the
  services' circles (core, universal, risk factor). A service carries, as
  ``attributes``, the term of each concern that lists it and the term of its
  circle. Term ids are ``uuid5`` of the taxonomy and the code, so they are as
  stable as the codes.
- Services have no addresses in the knowledge (only the areas they cover), so
  there are no service_at_location records: that listing is an empty page.
- The UK profile leaves out some HSDS 3.0 core fields (``eligibility_description``,
  ``application_process``, ``alternate_name``, ``phones``). Its schemas allow
  extra properties, so these are included with their HSDS 3.0 shapes.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, get_args

from pathways.contacts import render
from pathways.model import AgeEligibility, Circle, Concern, Knowledge, Service, ServiceStatus

# Never change: every exported id is derived from it.
NAMESPACE = uuid.UUID("6f1d3c0e-5b8a-4e61-9a52-2f7c1b0d4e93")

ORUK_STATUS: dict[ServiceStatus, str] = {
    "active": "active",
    "uncertain": "active",
    "closed": "defunct",
}

ONS_GEOGRAPHY_URI = "http://statistics.data.gov.uk/id/statistical-geography/"

REFERRER_WORDS = {
    "professional": "professionals",
    "self": "families themselves",
    "volunteer": "volunteers",
}

# Fields of a full record that are not one-to-one, left out of list pages
# (the UK profile's service_list.json holds only the one-to-one fields).
MANY_FIELDS = ("service_areas", "phones", "schedules", "attributes")


def _uuid(kind: str, key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}/{key}"))


def service_id_for(service_id: str) -> str:
    """The stable Open Referral UUID of a local service id ("lmm-clinical")."""
    return _uuid("service", service_id)


def organization_id_for(provider: str) -> str:
    """The stable Open Referral UUID of a provider, by its name."""
    return _uuid("organization", provider)


def find_service(oruk_id: str, knowledge: Knowledge) -> Service | None:
    """The service whose Open Referral id is ``oruk_id``, or None.

    Accepts any spelling ``uuid.UUID`` reads (upper case, braces, ``urn:uuid:``);
    anything that is not a UUID finds nothing rather than raising.
    """
    try:
        wanted = str(uuid.UUID(oruk_id.strip()))
    except ValueError:
        return None
    for service in knowledge.services.values():
        if service_id_for(service.id) == wanted:
            return service
    return None


def _years(months: int) -> int | float:
    """Months as years for HSDS: whole numbers stay whole, others to 2 places."""
    return months // 12 if months % 12 == 0 else round(months / 12, 2)


def _age_limit(months: int) -> str:
    if months % 12 == 0:
        ordinal = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}
        years = months // 12
        word = ordinal.get(years, f"{years}th")
        return f"the child's {word} birthday ({months} months)"
    return f"the baby is {months} month{'s' if months != 1 else ''} old"


def describe_ages(ages: AgeEligibility) -> str:
    """The baby-age rule in plain words, which HSDS ages in years cannot carry."""
    if not ages.postnatal:
        if ages.pregnancy:
            return "In pregnancy only: families join before the baby is born."
        return "No age group is eligible."
    if ages.pregnancy:
        start = "From pregnancy"
        if ages.from_months > 0:
            start += f", and after birth from {ages.from_months} months old"
    elif ages.from_months == 0:
        start = "From birth"
    else:
        start = f"From {ages.from_months} months old"
    if ages.to_months is None:
        sentence = f"{start}, with no upper age limit."
    else:
        sentence = f"{start} until {_age_limit(ages.to_months)}."
    if not ages.pregnancy:
        sentence += " Not in pregnancy."
    return sentence


def _age_range(ages: AgeEligibility) -> dict[str, int | float]:
    if not ages.postnatal:
        return {"minimum_age": 0, "maximum_age": 0}
    low = 0 if ages.pregnancy else _years(ages.from_months)
    if ages.to_months is None:
        return {"minimum_age": low}
    return {"minimum_age": low, "maximum_age": _years(ages.to_months)}


def _description(service: Service) -> str:
    parts = [service.summary, "Does: " + "; ".join(service.does) + "."]
    if service.does_not:
        parts.append("Does not: " + "; ".join(service.does_not) + ".")
    return "\n\n".join(parts)


def _application_process(service: Service) -> str:
    who = ", ".join(REFERRER_WORDS[r] for r in service.referrers)
    return f"{service.how_to_refer} Who can refer: {who}."


def _alert(service: Service) -> str | None:
    notes = []
    if service.status == "uncertain":
        notes.append("Whether this service is still running is unconfirmed.")
    if service.needs_verification:
        note = (service.verification_note or "").strip()
        if note:
            note = note[0].upper() + note[1:]
            notes.append(f"Some details are unconfirmed. {note}{'' if note.endswith('.') else '.'}")
        else:
            notes.append("Some details are unconfirmed.")
    return " ".join(notes) or None


def _organization(service: Service) -> dict[str, str]:
    return {
        "id": organization_id_for(service.provider),
        "name": service.provider,
        "description": (
            f"{service.provider}: delivers services listed in the Bradford Early Years "
            "Pathway Navigator."
        ),
    }


def _service_areas(service: Service, knowledge: Knowledge, sid: str) -> list[dict[str, str]]:
    records = []
    for code in service.areas:
        record = {"id": _uuid("service_area", f"{service.id}/{code}"), "service_id": sid}
        area = knowledge.areas.get(code)
        if area is None:
            record |= {"name": code, "service_area": code}
        else:
            codes = f" (ONS {', '.join(area.la_codes)})" if area.la_codes else ""
            record |= {"name": area.name, "service_area": f"{area.name}{codes}"}
            if len(area.la_codes) == 1:
                record["uri"] = ONS_GEOGRAPHY_URI + area.la_codes[0]
        records.append(record)
    return records


def _phones(service: Service, sid: str) -> list[dict[str, str]]:
    contact = service.contact
    if contact.phone is None:
        return []
    about = []
    if contact.hours:
        about.append(f"Hours: {contact.hours}.")
    if contact.phone_uncertain:
        about.append("This number could not be confirmed on a current public page.")
    if contact.phone_note:
        about.append(contact.phone_note)
    phone = {
        "id": _uuid("phone", f"{service.id}/{contact.phone}"),
        "service_id": sid,
        "number": contact.phone,
        "type": "voice",
    }
    if about:
        phone["description"] = " ".join(about)
    return [phone]


def _schedules(service: Service, sid: str) -> list[dict[str, str]]:
    if service.contact.hours is None:
        return []
    return [{
        "id": _uuid("schedule", service.id),
        "service_id": sid,
        "description": service.contact.hours,
    }]


def service_to_oruk(service: Service, knowledge: Knowledge) -> dict[str, Any]:
    """One service as a full Open Referral UK record (``service.json``)."""
    sid = service_id_for(service.id)
    record: dict[str, Any] = {
        "id": sid,
        "organization_id": organization_id_for(service.provider),
        "name": service.name,
        "description": render(_description(service), knowledge),
        "status": ORUK_STATUS[service.status],
        "eligibility_description": render(
            f"{service.eligibility} {describe_ages(service.ages)}", knowledge
        ),
        "application_process": render(_application_process(service), knowledge),
        **_age_range(service.ages),
        "assured_date": service.last_verified.isoformat(),
        "organization": _organization(service),
        "service_areas": _service_areas(service, knowledge, sid),
        "phones": _phones(service, sid),
        "schedules": _schedules(service, sid),
        "attributes": _attributes(service, knowledge, sid),
    }
    if service.former_names:
        record["alternate_name"] = "; ".join(service.former_names)
    if service.contact.url:
        record["url"] = service.contact.url
    if service.contact.email:
        record["email"] = service.contact.email
    alert = _alert(service)
    if alert:
        record["alert"] = alert
    return record


def service_list_item(service: Service, knowledge: Knowledge) -> dict[str, Any]:
    """One service as a list entry (``service_list.json``): one-to-one fields only."""
    full = service_to_oruk(service, knowledge)
    return {key: value for key, value in full.items() if key not in MANY_FIELDS}


def service_list_page(
    services: Sequence[Service], knowledge: Knowledge, page: int, per_page: int
) -> dict[str, Any]:
    """One page of services in the UK profile's ``Page`` shape.

    ``page`` counts from 1. A page past the end is empty rather than an error,
    so a client walking the pages stops cleanly. ``size`` is the number of
    records on this page, as the profile defines it.
    """
    if page < 1:
        raise ValueError(f"page must be a whole number from 1 upwards, not {page}")
    if per_page < 1:
        raise ValueError(f"per_page must be a whole number from 1 upwards, not {per_page}")
    start = (page - 1) * per_page
    chunk = services[start : start + per_page]
    return page_of([service_list_item(s, knowledge) for s in chunk], len(services), page, per_page)


def page_of(
    contents: list[dict[str, Any]], total: int, page: int, per_page: int
) -> dict[str, Any]:
    """``contents`` (page ``page`` of ``total`` records) in the profile's ``Page`` shape."""
    total_pages = math.ceil(total / per_page)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": len(contents) == 0,
        "contents": contents,
    }


def records_page(records: Sequence[dict[str, Any]], page: int, per_page: int) -> dict[str, Any]:
    """One page of ready-made records (taxonomies, terms) in the ``Page`` shape."""
    if page < 1 or per_page < 1:
        raise ValueError(f"page and per_page count from 1, not {page} and {per_page}")
    start = (page - 1) * per_page
    return page_of(list(records[start : start + per_page]), len(records), page, per_page)


# --- Taxonomies: concerns (with their groups) and service circles -------------

HSDS_VERSION = "3.0"
PROFILE_URL = "https://github.com/openreferral/uk-profile"
PROFILE_OPENAPI_URL = (
    "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/openapi.json"
)

CONCERNS = "concerns"
CIRCLES = "circles"
TAXONOMIES: dict[str, tuple[str, str]] = {
    CONCERNS: (
        "Bradford Early Years Pathway Navigator concerns",
        "What a practitioner may be worried about in a family with a baby or young child, "
        "grouped as red flags (act now), risk factors (a circumstance that weighs towards a "
        "consultation together with a relationship worry) and other concerns. A service "
        "carries the concerns it fits.",
    ),
    CIRCLES: (
        "Bradford Early Years Pathway Navigator service circles",
        "Where a service sits around the parent-infant relationship: the core infant mental "
        "health services, universal services every family uses, and services for the "
        "circumstances that put the relationship at risk.",
    ),
}
CONCERN_GROUPS: dict[str, tuple[str, str]] = {
    "red_flag": (
        "Red flags",
        "Concerns that need action now: a baby or parent at risk of serious harm, or a "
        "pregnancy or health emergency.",
    ),
    "risk_factor": (
        "Risk factors",
        "Circumstances (a premature or difficult birth, a bereavement) that weigh towards a "
        "consultation together with a relationship worry, never on their own.",
    ),
    "other": (
        "Other concerns",
        "Worries about the parent-infant relationship, the parents' wellbeing, the baby's "
        "health and development, and the family's circumstances.",
    ),
}
CIRCLE_TERMS: dict[Circle, tuple[str, str]] = {
    "core": (
        "Core: infant mental health",
        "The parent-infant relationship (infant mental health) services the navigator exists "
        "to reach: consultation, clinical work and training.",
    ),
    "universal": (
        "Universal services",
        "Services every family can use: midwifery, health visiting, the GP, family hubs, "
        "emergency care.",
    ),
    "risk_factor": (
        "Services for risk factors",
        "Services for circumstances that put the parent-infant relationship at risk: mental "
        "health, domestic abuse, housing, drug and alcohol use, social care.",
    ),
}


def taxonomy_id_for(taxonomy: str) -> str:
    """The stable UUID of one of :data:`TAXONOMIES` ("concerns", "circles")."""
    return _uuid("taxonomy", taxonomy)


def taxonomy_term_id_for(taxonomy: str, code: str) -> str:
    """The stable UUID of a term: a concern code, ``group/<group>``, or a circle."""
    return _uuid("taxonomy_term", f"{taxonomy}/{code}")


def _concern_group(concern: Concern) -> str:
    if concern.red_flag:
        return "red_flag"
    return "risk_factor" if concern.risk_factor else "other"


def _term(taxonomy: str, code: str, name: str, description: str,
          parent: str | None = None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": taxonomy_term_id_for(taxonomy, code),
        "name": name,
        "description": description,
        "term": name,
        "code": code,
        "taxonomy": TAXONOMIES[taxonomy][0],
        "taxonomy_id": taxonomy_id_for(taxonomy),
    }
    if parent is not None:
        record["parent_id"] = taxonomy_term_id_for(taxonomy, parent)
    return record


def _concern_term(concern: Concern) -> dict[str, Any]:
    return _term(CONCERNS, concern.code, concern.label, concern.description,
                 parent=f"group/{_concern_group(concern)}")


def _circle_term(circle: Circle) -> dict[str, Any]:
    return _term(CIRCLES, circle, *CIRCLE_TERMS[circle])


def taxonomy_terms(knowledge: Knowledge, taxonomy: str | None = None) -> list[dict[str, Any]]:
    """Every term (``taxonomy_term``), or those of one taxonomy, in a fixed order:
    the concern groups, the concerns as the knowledge lists them, the circles."""
    terms: list[dict[str, Any]] = []
    if taxonomy in (None, CONCERNS):
        terms += [_term(CONCERNS, f"group/{code}", *words)
                  for code, words in CONCERN_GROUPS.items()]
        terms += [_concern_term(concern) for concern in knowledge.concerns.values()]
    if taxonomy in (None, CIRCLES):
        terms += [_circle_term(circle) for circle in get_args(Circle)]
    return terms


def find_taxonomy_term(oruk_id: str, knowledge: Knowledge) -> dict[str, Any] | None:
    wanted = _normal_uuid(oruk_id)
    return next((t for t in taxonomy_terms(knowledge) if t["id"] == wanted), None)


def taxonomy_records(knowledge: Knowledge, with_terms: bool = False) -> list[dict[str, Any]]:
    """The taxonomies (``taxonomy``); ``with_terms`` nests each one's terms."""
    records = []
    for key, (name, description) in TAXONOMIES.items():
        record: dict[str, Any] = {
            "id": taxonomy_id_for(key),
            "name": name,
            "description": description,
            "version": str(knowledge.version),
        }
        if with_terms:
            record["taxonomy_terms"] = taxonomy_terms(knowledge, key)
        records.append(record)
    return records


def find_taxonomy(oruk_id: str, knowledge: Knowledge) -> dict[str, Any] | None:
    wanted = _normal_uuid(oruk_id)
    return next(
        (t for t in taxonomy_records(knowledge, with_terms=True) if t["id"] == wanted), None
    )


def service_terms(service: Service, knowledge: Knowledge) -> list[dict[str, Any]]:
    """The terms a service carries: each concern that lists it, then its circle."""
    terms = [_concern_term(c) for c in knowledge.concerns.values() if service.id in c.services]
    return [*terms, _circle_term(service.circle)]


def _attributes(service: Service, knowledge: Knowledge, sid: str) -> list[dict[str, Any]]:
    return [
        {
            "id": _uuid("attribute", f"{service.id}/{term['id']}"),
            "link_id": sid,
            "link_type": "concern" if term["taxonomy_id"] == taxonomy_id_for(CONCERNS)
            else "service_circle",
            "link_entity": "service",
            "taxonomy_term_id": term["id"],
            "taxonomy_term": term,
        }
        for term in service_terms(service, knowledge)
    ]


def _normal_uuid(text: str) -> str | None:
    try:
        return str(uuid.UUID(text.strip()))
    except ValueError:
        return None


@dataclass(frozen=True)
class ServiceFilter:
    """The profile's filters for ``/services``; None leaves a filter off.

    - ``search``: every word appears (any case) in the name, a former name or
      the description (summary, what it does and does not do).
    - ``taxonomy_term_id``: the service carries the term, or a term under it
      (a concern group finds the services of its concerns).
    - ``taxonomy_id``: the service carries any term of that taxonomy.
    - ``minimum_age`` / ``maximum_age``, in years as HSDS ages are, as the
      profile words them: the service's ``minimum_age`` is at least the value;
      its ``maximum_age`` is at most the value (a service with no upper limit
      has none, so it is left out).
    """

    search: str | None = None
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    minimum_age: float | None = None
    maximum_age: float | None = None

    def keeps(self, service: Service, knowledge: Knowledge) -> bool:
        if self.search and self.search.strip():
            text = " ".join([service.name, *service.former_names, _description(service)])
            if not all(word in text.casefold() for word in self.search.casefold().split()):
                return False
        if self.taxonomy_term_id is not None or self.taxonomy_id is not None:
            terms = service_terms(service, knowledge)
            if self.taxonomy_term_id is not None:
                wanted = _normal_uuid(self.taxonomy_term_id)
                if wanted is None or not any(wanted in (t["id"], t.get("parent_id"))
                                             for t in terms):
                    return False
            if self.taxonomy_id is not None:
                wanted = _normal_uuid(self.taxonomy_id)
                if not any(t["taxonomy_id"] == wanted for t in terms):
                    return False
        ages = _age_range(service.ages)
        if self.minimum_age is not None and ages["minimum_age"] < self.minimum_age:
            return False
        if self.maximum_age is not None:
            upper = ages.get("maximum_age")
            if upper is None or upper > self.maximum_age:
                return False
        return True


def filter_services(
    services: Sequence[Service], knowledge: Knowledge, wanted: ServiceFilter
) -> list[Service]:
    """The services ``wanted`` keeps, in their order."""
    return [service for service in services if wanted.keeps(service, knowledge)]


def api_info() -> dict[str, str]:
    """The body of ``GET /openreferral/``: the HSDS version and the UK profile."""
    return {"version": HSDS_VERSION, "profile": PROFILE_URL, "openapi_url": PROFILE_OPENAPI_URL}
