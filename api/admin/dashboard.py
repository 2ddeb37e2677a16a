"""The admin dashboard: the draft's state, services due a check, usage at a glance."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter, Request, Response

from api.admin.pages import AdminRoute, render
from api.admin.recording import UsageBufferDep
from api.admin.security import EditorDep
from api.deps import KnowledgeDep, SessionDep, SettingsDep, TodayDep
from knowledge.content.versions import current_draft
from knowledge.usage.counts import summarise
from pathways.model import Knowledge, Service

router = APIRouter(prefix="/admin", tags=["admin"], include_in_schema=False, route_class=AdminRoute)


def stale_services(knowledge: Knowledge, today: date, after_days: int) -> list[Service]:
    """Services whose details were last checked more than ``after_days`` ago, oldest first."""
    cutoff = today - timedelta(days=after_days)
    stale = [s for s in knowledge.services.values() if s.last_verified < cutoff]
    return sorted(stale, key=lambda s: s.last_verified)


@router.get("")
def dashboard(
    request: Request,
    session: SessionDep,
    _: EditorDep,
    knowledge: KnowledgeDep,
    settings: SettingsDep,
    today: TodayDep,
    pending: UsageBufferDep,
) -> Response:
    pending.flush()
    return render(
        request,
        "admin/dashboard.html",
        {
            "title": "Dashboard",
            "knowledge": knowledge,
            "draft": current_draft(session),
            "stale": stale_services(knowledge, today, settings.stale_after_days),
            "stale_after_days": settings.stale_after_days,
            "usage": summarise(session),
        },
    )
