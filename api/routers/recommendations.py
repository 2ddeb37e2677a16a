"""The navigator's core answer: where should this family go, and why.

Direct calls are not counted in the anonymous usage counts: the counts are of
chat conversations, each once (:mod:`api.conversation_usage`), so no loop of
calls here can inflate them. Calls are rate-limited per address
(``RATE_LIMIT_RECOMMENDATIONS``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Response

from api.deps import EngineDep, KnowledgeDep, KnowledgeHolderDep, SettingsDep, TodayDep
from api.errors import FieldError
from api.lookups import exact_areas_without_blocking
from pathways.recommend import InputError, Query, Recommendation, recommend

router = APIRouter(prefix="/api/v1", tags=["recommendations"])

EXAMPLES: dict[str, Any] = {
    "relationship": {
        "summary": "A bonding worry, with consent",
        "value": {
            "description": "Mum struggling to bond with her baby for the last two months, "
            "low mood, happy to be referred",
            "age": "4 months",
            "postcode": "BD3 9LF",
            "consent_to_referral": True,
        },
    },
    "red_flag": {
        "summary": "A red flag: bruising on a non-mobile baby",
        "value": {"description": "bruise on the cheek of a 6 week old", "postcode": "BD5"},
    },
    "outside_area": {
        "summary": "A family outside Bradford District",
        "value": {"description": "not bonding", "age": "3 months", "postcode": "LS6 2AB"},
    },
}


@router.post(
    "/recommendations",
    response_model=Recommendation,
    summary="Recommend a tier and services for a family",
    responses={
        422: {"description": "A field could not be read; the message says what is accepted"}
    },
)
async def create_recommendation(
    knowledge: KnowledgeDep,
    engine: EngineDep,
    holder: KnowledgeHolderDep,
    today: TodayDep,
    settings: SettingsDep,
    query: Query = Body(openapi_examples=EXAMPLES),
) -> Response:
    exact = await exact_areas_without_blocking(
        engine, holder, knowledge, query.postcode, query.description
    )
    try:
        result = recommend(
            query,
            knowledge,
            today,
            exact_postcode_areas=exact,
            stale_after_days=settings.stale_after_days,
        )
    except InputError as exc:
        raise FieldError(exc.field, exc.message) from exc
    # The engine built a valid Recommendation already: serialise it once,
    # in pydantic's core, rather than have it validated and encoded again.
    return Response(result.model_dump_json(), media_type="application/json")
