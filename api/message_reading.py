"""What the engine understands in one practitioner message: age, postcode,
concerns (and red flags) and consent.

Shared by ``POST /api/v1/parse`` and the chat proxy, which reads each chat
message once and hands the reading to the bot, so that what is understood
comes from the engine and the editable knowledge base, not from the model.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from api.lookups import exact_areas_for_text
from api.routers.postcodes import lmm_area
from pathways.age import find_age
from pathways.concerns import find_concerns
from pathways.consent import find_consent
from pathways.model import Knowledge
from pathways.postcode import PostcodeError, find_postcode, resolve_postcode


def read_message(text: str, knowledge: Knowledge, session: Session, today: date) -> dict[str, Any]:
    findings = find_concerns(text, knowledge)
    present = [knowledge.concerns[code] for code in findings.present]
    age = find_age(text, today)
    postcode_text = find_postcode(text)
    postcode: dict[str, Any] | None = None
    in_lmm_area: bool | None = None
    if postcode_text:
        try:
            exact = exact_areas_for_text(session, knowledge, postcode_text, None)
            reading = resolve_postcode(postcode_text, knowledge, exact_areas=exact)
        except PostcodeError:
            reading = None
        if reading is not None:
            postcode = reading.model_dump()
            in_lmm_area = lmm_area(reading, knowledge)
    return {
        "age": age.model_dump() if age else None,
        "postcode": postcode,
        "lmm_area": in_lmm_area,
        "concerns": [{"code": c.code, "label": c.label, "red_flag": c.red_flag} for c in present],
        "absent_concerns": list(findings.absent),
        "red_flag": any(c.red_flag for c in present),
        "consent_to_referral": find_consent(text),
    }
