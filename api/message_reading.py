"""The engine's reading of one practitioner message, as the api and the bot
receive it: ``POST /api/v1/parse`` answers it, and the chat proxy sends it
to Rasa as the message's metadata. The reading itself is the engine's one
reader (:func:`pathways.reading.read_text`); this module only adds the
exact postcode lookup, which needs the database, and LMM's area."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from api.lookups import exact_areas_for_text
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
