"""Usage insights for commissioners: charts of the anonymous counts, and CSV."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from api.admin.pages import AdminRoute, render
from api.admin.recording import UsageBufferDep
from api.admin.security import EditorDep
from api.deps import SessionDep
from knowledge.usage.counts import summarise, usage_csv

router = APIRouter(prefix="/admin", tags=["admin"], include_in_schema=False, route_class=AdminRoute)


@router.get("/usage")
def usage_page(
    request: Request, session: SessionDep, _: EditorDep, pending: UsageBufferDep
) -> Response:
    pending.flush()
    return render(request, "admin/usage.html",
                  {"title": "Usage", "usage": summarise(session)})


@router.get("/usage.csv")
def usage_download(session: SessionDep, _: EditorDep, pending: UsageBufferDep) -> Response:
    pending.flush()
    return Response(
        usage_csv(session),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="navigator-usage.csv"',
                 "Cache-Control": "no-store"},
    )
