"""The engine's reading of one practitioner message, as the api and the bot
receive it: ``POST /api/v1/parse`` answers it, and the chat proxy sends it
to Rasa as the message's metadata. The reading itself is the engine's one
reader (:func:`pathways.reading.read_text`); this module only adds the
exact postcode lookup, which needs the database, and LMM's area.

The reading is made from the original message in memory (so redaction never
hides a red flag, an age or a postcode), but what leaves the api carries no
personal detail: :func:`without_personal_details` takes the date of birth out
of the age ("7 months old (born 3 April 2026)" becomes "7 months old") and
redacts the words quoted as evidence; the postcode is already only its sector
and resolved areas."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, TypeVar

from sqlmodel import Session

from api.lookups import exact_areas_for_text
from api.redaction import redact
from api.routers.postcodes import lmm_area
from pathways.model import Knowledge
from pathways.reading import read_text


def read_message(text: str, knowledge: Knowledge, session: Session, today: date) -> dict[str, Any]:
    exact = exact_areas_for_text(session, knowledge, None, text)
    reading = read_text(text, knowledge, today, exact_postcode_areas=exact)
    return {
        "age": reading.age.model_dump() if reading.age else None,
        "age_unclear": reading.age_unclear,
        "postcode": reading.postcode.model_dump() if reading.postcode else None,
        "lmm_area": lmm_area(reading.postcode, knowledge) if reading.postcode else None,
        "concerns": [c.model_dump() for c in reading.concerns],
        "absent_concerns": list(reading.absent_concerns),
        "red_flag": reading.red_flag,
        "suspected_red_flags": list(reading.suspected_red_flags),
        "consent_to_referral": reading.consent_to_referral,
    }


# The engine's age wording names a date of birth when one was given.
_BORN_RE = re.compile(r"\s*\(born [^)]*\)")
# Fields that quote the practitioner's own words.
_QUOTED_FIELDS = frozenset({"evidence", "consent_evidence"})
T = TypeVar("T")


def without_personal_details(answer: T) -> T:
    """A reading or a recommendation (any JSON-like value) with no date of
    birth in its wording and its quoted evidence redacted."""
    if isinstance(answer, dict):
        return {  # type: ignore[return-value]
            key: redact(value).text
            if key in _QUOTED_FIELDS and isinstance(value, str)
            else without_personal_details(value)
            for key, value in answer.items()
        }
    if isinstance(answer, list):
        return [without_personal_details(item) for item in answer]  # type: ignore[return-value]
    if isinstance(answer, str):
        return _BORN_RE.sub("", answer)  # type: ignore[return-value]
    return answer
