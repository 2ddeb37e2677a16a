"""Liveness: cheap enough to poll, and says which knowledge version is served."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import KnowledgeDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz(knowledge: KnowledgeDep) -> dict[str, str | int]:
    return {"status": "ok", "knowledge_version": knowledge.version}
