"""Which areas a postcode lies in, and whether it is in LMM's area."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

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


@router.get("/{postcode}", summary="Resolve a postcode to areas (full postcode or outward code)")
def get_postcode(postcode: str, knowledge: KnowledgeDep, session: SessionDep) -> dict[str, Any]:
    exact = exact_areas_for_text(session, knowledge, postcode, None)
    try:
        reading = resolve_postcode(postcode, knowledge, exact_areas=exact)
    except PostcodeError as exc:
        raise FieldError("postcode", str(exc)) from exc
    return reading_body(reading, knowledge)
