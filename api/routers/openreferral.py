"""An Open Referral UK (HSDS UK profile) view of the published services."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Query

from api.deps import KnowledgeDep
from api.errors import ErrorBody, FieldError
from knowledge.content.oruk import service_id_for, service_list_page, service_to_oruk
from pathways.eligibility import LMM_SERVICE_ID

router = APIRouter(prefix="/openreferral", tags=["open referral uk"])


@router.get("/services", summary="Services as Open Referral UK records, paged")
def list_oruk_services(
    knowledge: KnowledgeDep,
    page: int = Query(default=1, ge=1),
    per_page: int = Query(default=50, ge=1, le=200),
) -> dict[str, Any]:
    services = list(knowledge.services.values())
    return service_list_page(services, knowledge, page, per_page)


@router.get(
    "/services/{uuid}",
    summary="One service as an Open Referral UK record",
    responses={404: {"model": ErrorBody, "description": "No service has that id"}},
)
def get_oruk_service(
    knowledge: KnowledgeDep,
    uuid: str = Path(examples=[service_id_for(LMM_SERVICE_ID)], description="A service's id"),
) -> dict[str, Any]:
    for service in knowledge.services.values():
        if service_id_for(service.id) == uuid.lower():
            return service_to_oruk(service, knowledge)
    raise FieldError("id", f'There is no service with id "{uuid[:64]}".', status_code=404)
