"""Contacts in content prose come from the service records, never typed in.

Rule headlines and next steps, concern guidance and service remits refer to a
contact by placeholder: ``{phone:first-response}``, ``{url:family-hubs}``,
``{email:...}``. The engine fills each from the service record when it words
an answer, so a number changed in one record reaches every answer, and a
number the record marks uncertain always carries its caveat. Publishing
refuses a placeholder that names no service or a field the service lacks
(:func:`placeholder_failures`), and a literal UK phone number anywhere in
prose (:func:`literal_phone_failures`): only a service's own contact fields
hold numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final, Literal

from pathways.model import Knowledge, Service

ContactField = Literal["phone", "url", "email"]

# Who to reach when the chatbot or the api is down: the api's 503 and the
# bot's offline text (generated into bot/actions/offline_contacts.txt).
DIRECT_CONTACTS: Final = (
    "emergency-999", "childrens-social-care", "first-response", "lmm-consultation",
)

PLACEHOLDER: Final = re.compile(r"\{(phone|url|email):([^{}\s]+)\}")
PHONE_CAVEAT: Final = "(number to be confirmed)"

# A run that may be a UK phone number: +44 or 0, then digits with spaces,
# hyphens, brackets or a slash between. Checked by its digits below.
_CANDIDATE: Final = re.compile(r"(?<![\w/])(?:\+44|\(?0)[\d ()\-]{7,16}\d(?:/\d)?")


def phone_text(service: Service) -> str | None:
    """The service's phone number with its caveat when the record is uncertain."""
    phone = service.contact.phone
    if not phone:
        return None
    return f"{phone} {PHONE_CAVEAT}" if service.contact.phone_uncertain else phone


def contact_value(service: Service, field: ContactField) -> str | None:
    if field == "phone":
        return phone_text(service)
    return service.contact.url if field == "url" else service.contact.email


def render(text: str, knowledge: Knowledge) -> str:
    """``text`` with every contact placeholder filled from the service records.
    A placeholder publishing would have refused becomes the service's name (or
    "the service"), never the raw braces."""
    if "{" not in text:
        return text

    def fill(match: re.Match[str]) -> str:
        field, service_id = match.group(1), match.group(2)
        service = knowledge.services.get(service_id)
        if service is None:
            return "the service"
        value = contact_value(service, field)  # type: ignore[arg-type]
        return value if value else service.name

    return PLACEHOLDER.sub(fill, text)


def uncertain_services(text: str, knowledge: Knowledge) -> list[Service]:
    """The services whose uncertain phone numbers ``text`` refers to."""
    found: dict[str, Service] = {}
    for field, service_id in PLACEHOLDER.findall(text):
        service = knowledge.services.get(service_id)
        if field == "phone" and service is not None and service.contact.phone_uncertain:
            found[service.id] = service
    return list(found.values())


def uncertain_note(service: Service) -> str:
    """What is unconfirmed about a service's number, to show beside it."""
    note = service.verification_note or service.contact.phone_note
    return f"{service.name}: {note.strip()}" if note else f"{service.name}: {PHONE_CAVEAT}"


def _sentence(note: str) -> str:
    note = " ".join(note.split()).rstrip(".")
    return note[:1].upper() + note[1:] + "."


def caveat_suffix(contact: Mapping[str, Any]) -> str:
    """What follows an uncertain number in a line of text (from a contact as
    the answer gives it, with ``verification_note``): the caveat and what
    exactly is unconfirmed, then the record's phone note (the other published
    numbers). Empty for a confirmed number."""
    if not (contact.get("phone") and contact.get("phone_uncertain")):
        return ""
    notes = dict.fromkeys(_sentence(str(n)) for n in
                          (contact.get("verification_note"), contact.get("phone_note")) if n)
    return f" {PHONE_CAVEAT}" + "".join(f". {n[:-1]}" for n in notes) + ("." if notes else "")


def contact_line(service: Service, knowledge: Knowledge) -> str:
    """One service as a line of a contacts list: its number (with caveat and
    note when uncertain), else its web address or email, else how to refer."""
    contact = service.contact
    how = contact.phone or contact.url or contact.email or render(service.how_to_refer, knowledge)
    note = service.verification_note or contact.phone_note
    suffix = caveat_suffix({**contact.model_dump(), "verification_note": note})
    return f"- {service.name}: {how}{suffix}"


def contact_lines(knowledge: Knowledge, service_ids: Iterable[str]) -> str:
    """The direct contacts, one line each, in the order given (unknown ids skipped)."""
    return "\n".join(contact_line(knowledge.services[s], knowledge)
                     for s in service_ids if s in knowledge.services)


def prose_fields(knowledge: Knowledge) -> Iterator[tuple[str, str, str]]:
    """Every piece of content text shown to users, as (record, field, text).
    A service's contact fields and sources are not prose: they hold the numbers
    and addresses themselves. Phrases are wordings to match, not shown."""
    for s in knowledge.services.values():
        record = f"Service {s.id}"
        yield record, "name", s.name
        yield from ((record, "former_names", n) for n in s.former_names)
        yield record, "provider", s.provider
        yield record, "summary", s.summary
        yield from ((record, "does", t) for t in s.does)
        yield from ((record, "does_not", t) for t in s.does_not)
        yield record, "eligibility", s.eligibility
        yield record, "how_to_refer", s.how_to_refer
        if s.verification_note:
            yield record, "verification_note", s.verification_note
    for c in knowledge.concerns.values():
        record = f"Concern {c.code}"
        yield record, "label", c.label
        yield record, "description", c.description
        if c.guidance:
            yield record, "guidance", c.guidance
    for r in knowledge.rules:
        record = f"Rule {r.id}"
        yield record, "summary", r.summary
        if r.rationale:
            yield record, "rationale", r.rationale
        yield record, "headline", r.outcome.headline
        yield from ((record, "next_steps", t) for t in r.outcome.next_steps)
    for a in knowledge.areas.values():
        yield f"Area {a.code}", "name", a.name
        if a.note:
            yield f"Area {a.code}", "note", a.note
    for p in knowledge.postcodes.values():
        for field, value in (("place", p.place), ("note", p.note)):
            if value:
                yield f"Postcode {p.prefix}", field, value


def literal_phones(text: str) -> list[str]:
    """The UK phone numbers written out in ``text`` (10 or 11 digits from 0 or
    +44; 999 and other short numbers are not phone-book numbers)."""
    found = []
    for match in _CANDIDATE.finditer(text):
        digits = re.sub(r"\D", "", match.group(0).split("/")[0])
        if digits.startswith("44"):
            digits = "0" + digits[2:].removeprefix("0")
        if len(digits) in (10, 11) and digits[0] == "0" and digits[1] != "0":
            found.append(match.group(0).strip())
    return found


def literal_phone_failures(knowledge: Knowledge) -> list[str]:
    return [
        f"{record} {field} has a phone number written in it ({number}): write "
        f"{{phone:<service id>}} instead, so the number comes from the service's record."
        for record, field, text in prose_fields(knowledge)
        for number in literal_phones(text)
    ]


def placeholder_failures(knowledge: Knowledge) -> list[str]:
    failures = []
    for record, field, text in prose_fields(knowledge):
        for match in PLACEHOLDER.finditer(text):
            kind, service_id = match.group(1), match.group(2)
            service = knowledge.services.get(service_id)
            if service is None:
                failures.append(f"{record} {field} refers to {match.group(0)}: there is no "
                                f"service {service_id}.")
            elif not contact_value(service, kind):  # type: ignore[arg-type]
                failures.append(f"{record} {field} refers to {match.group(0)}: service "
                                f"{service_id} has no {kind}.")
        for stray in re.findall(r"\{(?:phone|url|email)\b[^}]*\}?", PLACEHOLDER.sub("", text)):
            failures.append(f"{record} {field} has a contact placeholder that cannot be read "
                            f"({stray}): write it as {{phone:<service id>}}.")
    return failures


def offline_contacts_text(knowledge: Knowledge) -> str:
    """The bot's offline contacts file: a header saying where it came from,
    then the direct contacts as the api's 503 gives them."""
    return (f"# Generated by scripts/offline-contacts.py from content version "
            f"{knowledge.version}: do not edit.\n"
            + contact_lines(knowledge, DIRECT_CONTACTS) + "\n")
