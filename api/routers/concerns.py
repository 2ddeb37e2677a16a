"""The concern vocabulary: codes a client may send in ``concerns``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import KnowledgeDep

router = APIRouter(prefix="/api/v1/concerns", tags=["concerns"])


@router.get("", summary="List the concern codes the engine understands")
def list_concerns(knowledge: KnowledgeDep) -> list[dict[str, Any]]:
    return [
        {
            "code": c.code,
            "label": c.label,
            "description": c.description,
            "red_flag": c.red_flag,
            "tiers": list(c.tiers),
        }
        for c in knowledge.concerns.values()
    ]
