"""``POST /request``: an answer as a one-page referral or consultation request.

The chat page's "Open as a referral or consultation request" button posts
the fields the engine worked out for the answer (tier, concern codes, service
ids, the deciding rule's id, its reading of the age, the postcode sector,
what is missing, the knowledge version) in a form body, never in a URL, and
never anything the practitioner typed. Every field is checked against the
published knowledge: an unknown code or id is left out, an age is read again
by the engine, a postcode is cut to its sector. Services' names, how to refer
and contacts come from the service records, and the handover summary is built
by :func:`pathways.presentation.handover_text`, as in the chat.

The page is ready to print and attach to the service's own referral form,
with blank lines for the family's details to be written by hand. It is an
HTML page, not in the OpenAPI schema. ``GET /request`` explains where the page
comes from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import KnowledgeDep, TodayDep
from api.routers.services import service_body
from api.templating import templates
from pathways.age import AgeError, parse_age
from pathways.contacts import render
from pathways.model import Knowledge
from pathways.presentation import (
    MISSING_LABELS,
    TIER_LABELS,
    HandoverFacts,
    HandoverService,
    handover_text,
    long_date,
    postcode_sector,
    tier_label,
)

router = APIRouter(tags=["pages"], include_in_schema=False)

MAX_ITEMS: Final = 40
MAX_FIELD_CHARS: Final = 120
# The lines the practitioner fills by hand: the page itself holds no personal data.
BLANKS: Final = (
    "Parent or carer name(s)",
    "Baby's name and date of birth (or due date)",
    "Address and full postcode",
    "Phone number for the family",
    "GP practice",
    "Health visitor or midwife",
    "The family agrees to this referral or consultation (yes / no, and date)",
    "Your name, role and organisation",
    "Your phone number or email",
    "Date",
)
REQUEST_KINDS: Final = {
    "urgent": "Urgent referral",
    "lmm_referral": "Referral request",
    "lmm_consultation": "Consultation request",
    "signpost": "Referral or signposting request",
}


@dataclass(frozen=True)
class RequestFields:
    """The form's fields after checking, with every name looked up."""

    tier: str
    age_text: str | None
    sector: str
    concerns: list[tuple[str, bool]]
    lmm_eligible: bool | None
    reason: str | None
    services: list[dict[str, Any]]
    missing: list[str]
    knowledge_version: int | None


def _values(form: Any, name: str) -> list[str]:
    return [str(v)[:MAX_FIELD_CHARS] for v in form.getlist(name)[:MAX_ITEMS] if isinstance(v, str)]


def _first(form: Any, name: str) -> str:
    values = _values(form, name)
    return values[0].strip() if values else ""


def read_fields(form: Any, knowledge: Knowledge, today: date) -> RequestFields | None:
    """The request's fields, or None when the tier is not one the engine gives."""
    tier = _first(form, "tier")
    if tier not in TIER_LABELS:
        return None
    age_text: str | None = None
    if _first(form, "age"):
        try:
            age_text = parse_age(_first(form, "age"), today).text
        except AgeError:
            age_text = None
    concerns = [
        (knowledge.concerns[code].label, knowledge.concerns[code].red_flag)
        for code in dict.fromkeys(_values(form, "concern"))
        if code in knowledge.concerns
    ]
    eligible = {"yes": True, "no": False}.get(_first(form, "lmm_eligible"))
    rules = {rule.id: rule for rule in knowledge.rules}
    rule = rules.get(_first(form, "rule"))
    services: list[dict[str, Any]] = []
    seen: set[str] = set()
    for field, role in (("primary", "primary"), ("also", "also_consider")):
        for service_id in _values(form, field):
            if service_id in knowledge.services and service_id not in seen:
                seen.add(service_id)
                body = service_body(knowledge.services[service_id], knowledge)
                body["role"] = role
                body["checked"] = long_date(body["last_verified"])
                services.append(body)
    missing = [m for m in dict.fromkeys(_values(form, "missing")) if m in MISSING_LABELS]
    version_text = _first(form, "knowledge_version")
    return RequestFields(
        tier=tier,
        age_text=age_text,
        sector=postcode_sector(_first(form, "postcode_sector")),
        concerns=concerns,
        lmm_eligible=eligible,
        reason=render(rule.summary, knowledge) if rule else None,
        services=services,
        missing=missing,
        knowledge_version=int(version_text) if version_text.isdigit() else None,
    )


def handover_for(fields: RequestFields) -> str:
    return handover_text(HandoverFacts(
        tier=fields.tier,
        age_text=fields.age_text,
        postcode_sector=fields.sector,
        concerns=tuple(fields.concerns),
        lmm_eligible=fields.lmm_eligible,
        reason=fields.reason,
        services=tuple(
            HandoverService(s["name"], s["role"], " ".join(str(s["how_to_refer"]).split()),
                            s["contact"].get("phone"), bool(s["contact"].get("phone_uncertain")))
            for s in fields.services
        ),
        missing=tuple(fields.missing),
        knowledge_version=fields.knowledge_version,
    ))


@router.post("/request", response_class=HTMLResponse)
async def request_page(
    request: Request, knowledge: KnowledgeDep, today: TodayDep
) -> HTMLResponse:
    """The answer as a printable referral or consultation request."""
    form = await request.form()
    fields = read_fields(form, knowledge, today)
    if fields is None:
        return templates.TemplateResponse(
            request, "request/missing.html", {"bad": True}, status_code=400
        )
    primary = fields.services[0] if fields.services else None
    eligible = ("Not known yet" if fields.lmm_eligible is None
                else "Yes" if fields.lmm_eligible else "No")
    return templates.TemplateResponse(request, "request/page.html", {
        "kind": REQUEST_KINDS[fields.tier],
        "tier_label": tier_label(fields.tier),
        "fields": fields,
        "primary": primary,
        "others": fields.services[1:],
        "eligible": eligible,
        "missing_labels": [MISSING_LABELS[m] for m in fields.missing],
        "handover": handover_for(fields),
        "blanks": BLANKS,
        "today": long_date(today.isoformat()),
        "version": knowledge.version,
        "old_version": fields.knowledge_version not in (None, knowledge.version),
    })


@router.get("/request", response_class=HTMLResponse)
def request_help(request: Request) -> HTMLResponse:
    """What the request page is, and where to get one."""
    return templates.TemplateResponse(request, "request/missing.html", {"bad": False})
