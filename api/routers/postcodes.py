"""Which areas a postcode lies in, and whether it is in LMM's area.

``POST /api/v1/postcodes`` with ``{"postcode": "..."}``: the postcode travels
in the body, never in the URL, so no access log or proxy records it (it was
``GET /api/v1/postcodes/{postcode}`` before). The answer holds only the
sector ("BD3 9"), never the full postcode.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from api.deps import KnowledgeDep, SessionDep
from api.errors import FieldError
from api.lookups import exact_areas_for_text
from pathways.eligibility import LMM_SERVICE_ID, area_fits
from pathways.model import Knowledge
from pathways.postcode import PostcodeError, PostcodeReading, resolve_postcode

router = APIRouter(prefix="/api/v1/postcodes", tags=["postcodes"])

def lmm_area(reading: PostcodeReading, knowledge: Knowledge) -> bool | None:
    """True inside LMM's area, False certainly outside, None when it cannot be told."""
    return area_fits(knowledge.services[LMM_SERVICE_ID], reading)


def reading_body(reading: PostcodeReading, knowledge: Knowledge) -> dict[str, Any]:
    return {**reading.model_dump(), "lmm_area": lmm_area(reading, knowledge)}


class PostcodeQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    postcode: str = Field(
        min_length=1, max_length=20, examples=["BD3 9LF"],
        description="A full postcode or its outward code, any case or spacing",
    )


@router.post("", summary="Resolve a postcode to areas (full postcode or outward code)")
def resolve(body: PostcodeQuery, knowledge: KnowledgeDep, session: SessionDep) -> dict[str, Any]:
    postcode = body.postcode
    exact = exact_areas_for_text(session, knowledge, postcode, None)
    try:
        reading = resolve_postcode(postcode, knowledge, exact_areas=exact)
    except PostcodeError as exc:
        raise FieldError("postcode", str(exc)) from exc
    return reading_body(reading, knowledge)
