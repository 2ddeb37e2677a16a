"""The public service directory: ``/services`` and ``/services/{service_id}``.

HTML pages (not in the OpenAPI schema) listing the services of the published
knowledge with their remits, who they are for, how to refer, their contacts
(an uncertain number with its caveat and what is unconfirmed) and when they
were last checked. The text is the API's: each service is read through
:func:`api.routers.services.service_body`, as ``GET /api/v1/services`` gives it.

The search and filters are a plain GET form, so the page works without
JavaScript. The query parameters only describe the filter (words of a name or
description, a concern, an age or pregnancy, an area), never a family. Every
parameter is read as text and checked here, so a bad value is a 400 page that
says what is accepted, never a JSON 422 or a 500.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import KnowledgeDep, SettingsDep, TodayDep
from api.routers.services import service_body
from api.templating import templates
from knowledge.content.oruk import ServiceFilter, service_id_for
from knowledge.content.oruk import describe_ages as oruk_describe_ages
from pathways.contacts import caveat_suffix
from pathways.model import Knowledge, Service

router = APIRouter(tags=["pages"], include_in_schema=False)

PREGNANT: Final = "pregnant"
MAX_MONTHS: Final = 216  # 18 years: beyond any service's ages
MAX_SEARCH: Final = 100
AGE_CHOICES: Final = [(PREGNANT, "Pregnancy")] + [
    (str(m), "Under 1 month" if m == 0 else f"{m} month{'s' if m != 1 else ''}")
    for m in range(0, 37)
]
CIRCLE_WORDS: Final = {
    "core": "Little Minds Matter",
    "universal": "Universal service",
    "risk_factor": "Targeted service",
}
REFERRER_WORDS: Final = {
    "professional": "professionals",
    "self": "families themselves",
    "volunteer": "volunteers",
}


@dataclass
class DirectoryFilter:
    """The filter as the form gave it, and what was wrong with it."""

    q: str = ""
    concern: str = ""
    age: str = ""
    area: str = ""
    closed: bool = False
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return bool(self.q or self.concern or self.age or self.area or self.closed)


def read_filter(params: Any, knowledge: Knowledge) -> DirectoryFilter:
    """The filter from the query parameters, with a message for each bad value."""
    wanted = DirectoryFilter(
        q=" ".join(str(params.get("q") or "").split()),
        concern=str(params.get("concern") or "").strip(),
        age=str(params.get("age") or "").strip().lower(),
        area=str(params.get("area") or "").strip(),
        closed=str(params.get("closed") or "") != "",
    )
    if len(wanted.q) > MAX_SEARCH:
        wanted.errors["q"] = f"Search words must be {MAX_SEARCH} characters or fewer."
    if wanted.concern and wanted.concern not in knowledge.concerns:
        wanted.errors["concern"] = "Choose a concern from the list."
    if wanted.age and wanted.age != PREGNANT and not (
        re.fullmatch(r"[0-9]{1,3}", wanted.age) and int(wanted.age) <= MAX_MONTHS
    ):
        wanted.errors["age"] = (
            f"Choose pregnancy or the baby's age in whole months (0 to {MAX_MONTHS}) "
            "from the list."
        )
    if wanted.area and wanted.area not in knowledge.areas:
        wanted.errors["area"] = "Choose an area from the list."
    if str(params.get("closed") or "") not in ("", "yes"):
        wanted.errors["closed"] = 'Closed services are shown with "closed=yes" only.'
    return wanted


def _enclosing(code: str, knowledge: Knowledge) -> list[str]:
    """The area and every area it lies within."""
    chain: list[str] = []
    while code and code not in chain:
        chain.append(code)
        area = knowledge.areas.get(code)
        code = area.within if area and area.within else ""
    return chain


def covers_area(service: Service, code: str, knowledge: Knowledge) -> bool:
    """A family living in area ``code`` may use the service: it covers that
    area, an area it lies within, a part of it, or the whole country."""
    for served in service.areas:
        if served == "united_kingdom":
            return True
        if served in _enclosing(code, knowledge) or code in _enclosing(served, knowledge):
            return True
    return False


def fits_age(service: Service, age: str) -> bool:
    ages = service.ages
    if age == PREGNANT:
        return ages.pregnancy
    months = int(age)
    if not ages.postnatal:
        return False
    return months >= ages.from_months and (ages.to_months is None or months < ages.to_months)


def keeps(service: Service, wanted: DirectoryFilter, knowledge: Knowledge) -> bool:
    if service.status == "closed" and not wanted.closed:
        return False
    if wanted.q and not ServiceFilter(search=wanted.q).keeps(service, knowledge):
        return False
    if wanted.concern and service.id not in knowledge.concerns[wanted.concern].services:
        return False
    if wanted.age and not fits_age(service, wanted.age):
        return False
    return not (wanted.area and not covers_area(service, wanted.area, knowledge))


def _area_names(service: Service, knowledge: Knowledge) -> list[str]:
    return [knowledge.areas[c].name if c in knowledge.areas else c for c in service.areas]


def entry(service: Service, knowledge: Knowledge, today: date, stale_after_days: int
          ) -> dict[str, Any]:
    """What the pages show of one service: the API's body and the words around it."""
    body = service_body(service, knowledge)
    contact = body["contact"]
    return {
        **body,
        "circle_words": CIRCLE_WORDS.get(service.circle, service.circle),
        "ages_words": oruk_describe_ages(service.ages),
        "area_names": _area_names(service, knowledge),
        "referrer_words": [REFERRER_WORDS.get(r, r) for r in service.referrers],
        "phone_caveat": caveat_suffix(contact).strip(),
        "tel": "".join(ch for ch in (contact.get("phone") or "") if ch.isdigit() or ch == "+"),
        "unconfirmed": service.needs_verification or service.status == "uncertain",
        "stale": (today - service.last_verified).days > stale_after_days,
        "stale_after_days": stale_after_days,
        "last_checked_words": f"{service.last_verified.day} {service.last_verified:%B %Y}",
        "oruk_id": service_id_for(service.id),
    }


def _choices(knowledge: Knowledge) -> dict[str, Any]:
    concerns = sorted(knowledge.concerns.values(), key=lambda c: c.label.casefold())
    groups = [
        ("Red flags (urgent)", [c for c in concerns if c.red_flag]),
        ("Circumstances", [c for c in concerns if c.risk_factor and not c.red_flag]),
        ("Other concerns", [c for c in concerns if not c.red_flag and not c.risk_factor]),
    ]
    return {
        "concern_groups": [(name, items) for name, items in groups if items],
        "ages": AGE_CHOICES,
        "areas": sorted(knowledge.areas.values(), key=lambda a: a.name.casefold()),
    }


@router.get("/services", response_class=HTMLResponse)
def directory_page(
    request: Request, knowledge: KnowledgeDep, settings: SettingsDep, today: TodayDep
) -> HTMLResponse:
    """Every service, searchable and filtered by concern, age or pregnancy and area."""
    wanted = read_filter(request.query_params, knowledge)
    services: list[dict[str, Any]] = []
    if not wanted.errors:
        found = sorted((s for s in knowledge.services.values() if keeps(s, wanted, knowledge)),
                       key=lambda s: s.name.casefold())
        services = [entry(s, knowledge, today, settings.stale_after_days) for s in found]
    age_choice = dict(AGE_CHOICES).get(wanted.age, "")
    if wanted.age and not age_choice and not wanted.errors.get("age"):
        age_choice = f"{wanted.age} months"
    return templates.TemplateResponse(
        request,
        "directory/list.html",
        {
            "wanted": wanted,
            "services": services,
            "concern_label": knowledge.concerns[wanted.concern].label
            if wanted.concern in knowledge.concerns else "",
            "area_label": knowledge.areas[wanted.area].name
            if wanted.area in knowledge.areas else "",
            "age_label": age_choice,
            **_choices(knowledge),
        },
        status_code=400 if wanted.errors else 200,
    )


@router.get("/services/{service_id}", response_class=HTMLResponse)
def service_page(
    request: Request,
    service_id: str,
    knowledge: KnowledgeDep,
    settings: SettingsDep,
    today: TodayDep,
) -> HTMLResponse:
    """One service on its own linkable page."""
    service = knowledge.services.get(service_id)
    if service is None:
        return templates.TemplateResponse(
            request, "directory/not_found.html", {"service_id": service_id[:64]},
            status_code=404,
        )
    concerns = [c for c in knowledge.concerns.values() if service.id in c.services]
    return templates.TemplateResponse(
        request,
        "directory/service.html",
        {
            "service": entry(service, knowledge, today, settings.stale_after_days),
            "concerns": sorted(concerns, key=lambda c: c.label.casefold()),
        },
    )
