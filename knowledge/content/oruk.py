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
- The UK profile leaves out some HSDS 3.0 core fields (``eligibility_description``,
  ``application_process``, ``alternate_name``, ``phones``). Its schemas allow
  extra properties, so these are included with their HSDS 3.0 shapes.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from typing import Any

from pathways.model import AgeEligibility, Knowledge, Service, ServiceStatus

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
MANY_FIELDS = ("service_areas", "phones", "schedules")


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
        "description": _description(service),
        "status": ORUK_STATUS[service.status],
        "eligibility_description": f"{service.eligibility} {describe_ages(service.ages)}",
        "application_process": _application_process(service),
        **_age_range(service.ages),
        "assured_date": service.last_verified.isoformat(),
        "organization": _organization(service),
        "service_areas": _service_areas(service, knowledge, sid),
        "phones": _phones(service, sid),
        "schedules": _schedules(service, sid),
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
    total = len(services)
    total_pages = math.ceil(total / per_page)
    start = (page - 1) * per_page
    chunk = services[start : start + per_page]
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(chunk),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": len(chunk) == 0,
        "contents": [service_list_item(service, knowledge) for service in chunk],
    }
