"""Find an age, a postcode, concerns and consent inside one free-text message.

The bot sends each practitioner message here, so that what is understood
(and every red flag) comes from the engine and the editable knowledge base,
not from phrases baked into the trained model.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import KnowledgeDep, SessionDep, TodayDep
from api.lookups import exact_areas_for_text
from api.routers.postcodes import lmm_area
from pathways.age import find_age
from pathways.concerns import find_concerns
from pathways.consent import find_consent
from pathways.postcode import PostcodeError, find_postcode, resolve_postcode

router = APIRouter(prefix="/api/v1", tags=["parse"])


class ParseRequest(BaseModel):
    text: str = Field(max_length=2000, examples=["4 month old in BD3, mum can't bond with him"])


@router.post("/parse", summary="Find age, postcode and concerns in a message")
def parse_message(
    body: ParseRequest, knowledge: KnowledgeDep, session: SessionDep, today: TodayDep
) -> dict[str, Any]:
    findings = find_concerns(body.text, knowledge)
    present = [knowledge.concerns[code] for code in findings.present]
    age = find_age(body.text, today)
    postcode_text = find_postcode(body.text)
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
        "consent_to_referral": find_consent(body.text),
    }
