"""Reading a whole query before any rule runs: the fields, and the
description through the one message reader (:mod:`pathways.reading`).

The explicit fields win over what the description says (an age typed in the
age field over an age in the text, the consent field over consent in the
text); chosen concern codes are added to those read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pathways.age import AgeError, AgeReading, parse_age
from pathways.contract import MAX_DESCRIPTION_CHARS, InputError, Query
from pathways.course import Course, DurationError, read_course
from pathways.eligibility import Eligibility, lmm_eligibility
from pathways.facts import build_facts
from pathways.model import Knowledge
from pathways.postcode import PostcodeError, PostcodeReading, resolve_postcode
from pathways.reading import FoundConcern, MessageReading, read_text
from pathways.similarity import SimilarityReader


@dataclass(frozen=True)
class Understanding:
    """What the engine read from a query, before any rule ran."""

    age: AgeReading | None
    postcode: PostcodeReading | None
    concerns: tuple[str, ...]
    absent: tuple[str, ...]
    found: dict[str, FoundConcern]
    course: Course
    eligibility: Eligibility
    facts: dict[str, Any]
    consent_evidence: tuple[bool, str] | None = None  # consent read from the description
    age_unclear: bool = False


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _age(query: Query, reading: MessageReading, today: date) -> AgeReading | None:
    if not _blank(query.age):
        try:
            return parse_age(query.age or "", today)
        except AgeError as exc:
            raise InputError("age", str(exc)) from exc
    return reading.age


def _postcode(
    query: Query, reading: MessageReading, knowledge: Knowledge, exact: tuple[str, ...] | None
) -> PostcodeReading | None:
    if not _blank(query.postcode):
        try:
            return resolve_postcode(query.postcode or "", knowledge, exact_areas=exact)
        except PostcodeError as exc:
            raise InputError("postcode", str(exc)) from exc
    return reading.postcode


def _chosen(query: Query, knowledge: Knowledge) -> list[str]:
    unknown = [c for c in query.concerns if c not in knowledge.concerns]
    if unknown:
        examples = ", ".join(f'"{c}"' for c in sorted(knowledge.concerns)[:3])
        raise InputError(
            "concerns",
            f'Unknown concern code "{unknown[0][:60]}". Use the codes listed at /api/v1/concerns'
            + (f", such as {examples}." if examples else "."),
        )
    return list(dict.fromkeys(query.concerns))


def understand(
    query: Query,
    knowledge: Knowledge,
    today: date,
    exact_postcode_areas: tuple[str, ...] | None = None,
    reader: SimilarityReader | None = None,
) -> Understanding:
    """Read every field of ``query``; raise InputError naming a bad field."""
    if query.description is not None and len(query.description) > MAX_DESCRIPTION_CHARS:
        raise InputError(
            "description",
            f"The description is {len(query.description)} characters long; the limit is "
            f"{MAX_DESCRIPTION_CHARS}. Shorten it to the key facts.",
        )
    chosen = _chosen(query, knowledge)
    description = query.description or ""
    postcode_in_field = not _blank(query.postcode)
    reading = read_text(
        description, knowledge, today, reader,
        exact_postcode_areas if not postcode_in_field else None,
    ) if description.strip() else MessageReading()
    age = _age(query, reading, today)
    postcode = _postcode(query, reading, knowledge, exact_postcode_areas)
    found = {c.code: c for c in reading.concerns}
    combined = chosen + [c for c in found if c not in chosen]
    concerns = tuple(sorted(combined, key=lambda c: not knowledge.concerns[c].red_flag))
    absent = tuple(c for c in reading.absent_concerns if c not in combined)
    try:
        course = read_course(query.description, query.duration)
    except DurationError as exc:
        raise InputError("duration", str(exc)) from exc
    eligibility = lmm_eligibility(knowledge, age, postcode)
    consent_evidence = None
    consent = query.consent_to_referral
    if consent is None and reading.consent_to_referral is not None:
        consent = reading.consent_to_referral
        consent_evidence = (consent, reading.consent_evidence or "")
    age_unclear = age is None and reading.age_unclear
    facts = build_facts(
        knowledge, concerns, absent, age, postcode, eligibility, course,
        consent, not _blank(query.description),
        safety_check=query.safety_check,
        suspected_red_flags=[c for c in reading.suspected_red_flags if c not in chosen],
        age_unclear=age_unclear,
    )
    return Understanding(
        age, postcode, concerns, absent, found, course, eligibility, facts,
        consent_evidence, age_unclear,
    )
