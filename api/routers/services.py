"""Services and their remits, as the knowledge base holds them now."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from api.deps import KnowledgeDep
from api.errors import ErrorBody, FieldError
from pathways.contacts import render
from pathways.eligibility import LMM_SERVICE_ID
from pathways.model import Circle, Knowledge, Service
from pathways.service_names import find_by_name

router = APIRouter(prefix="/api/v1/services", tags=["services"])


def service_body(service: Service, knowledge: Knowledge) -> dict[str, Any]:
    """The record as clients read it: contact placeholders in its prose filled
    from the service records (an uncertain number with its caveat), and an
    uncertain number's verification note beside it in ``contact``."""
    body = service.model_dump(mode="json")
    for key in ("summary", "eligibility", "how_to_refer"):
        body[key] = render(body[key], knowledge)
    body["remit"] = {"does": [render(t, knowledge) for t in body.pop("does")],
                     "does_not": [render(t, knowledge) for t in body.pop("does_not")]}
    if service.contact.phone_uncertain:
        body["contact"]["verification_note"] = (
            service.verification_note or service.contact.phone_note
        )
    return body


@router.get("", summary="List services, optionally searching names and former names")
def list_services(
    knowledge: KnowledgeDep,
    q: str | None = Query(default=None, max_length=100, description="Words of a service name"),
    circle: Circle | None = None,
    include_closed: bool = False,
) -> list[dict[str, Any]]:
    services = [
        s
        for s in knowledge.services.values()
        if (include_closed or s.status != "closed")
        and (circle is None or s.circle == circle)
    ]
    if q is not None:
        services = find_by_name(q, services)  # the best matches, as the bot finds them
    return [service_body(s, knowledge) for s in services]


class FindQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        max_length=2000,
        description="Words that name a service, or a question that does ('what does "
        "Home-Start do?'): sent in the body so what was typed never goes in a URL",
    )


@router.post("/find", summary="The services a question names, best match first")
def find_services(body: FindQuery, knowledge: KnowledgeDep) -> list[dict[str, Any]]:
    """The services (not closed) whose current or former names, id or initials
    share the most words with the text; empty when none does."""
    services = [s for s in knowledge.services.values() if s.status != "closed"]
    return [service_body(s, knowledge) for s in find_by_name(body.text, services)]


@router.get(
    "/{service_id}",
    summary="One service with its full remit",
    responses={404: {"model": ErrorBody, "description": "No service has that id"}},
)
def get_service(
    knowledge: KnowledgeDep,
    service_id: str = Path(
        examples=[LMM_SERVICE_ID], description="An id from GET /api/v1/services"
    ),
) -> dict[str, Any]:
    service = knowledge.services.get(service_id)
    if service is None:
        raise FieldError(
            "service_id",
            f'There is no service "{service_id[:64]}". GET /api/v1/services lists the ids.',
            status_code=404,
        )
    return service_body(service, knowledge)
