""""Try a case": run the engine against the draft and the published version
side by side, with the same fields as ``POST /api/v1/recommendations``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from pydantic import ValidationError

from api.admin.pages import AdminRoute, render
from api.admin.security import CsrfEditorDep, EditorDep
from api.deps import KnowledgeDep, SessionDep, TodayDep
from api.lookups import exact_areas_for_text
from knowledge.content.publish import draft_knowledge
from knowledge.content.seed_files import SeedError
from pathways.contract import Asker
from pathways.model import Knowledge
from pathways.recommend import InputError, Query, Recommendation, recommend

router = APIRouter(prefix="/admin", tags=["admin"], include_in_schema=False, route_class=AdminRoute)

CONSENT = {"yes": True, "no": False, "": None}
CONSENT_CHOICES = (("yes", "Yes"), ("no", "No"), ("", "Not asked"))
# Who is asking, every value the chat and the api take: a volunteer gets the
# volunteer route's answer, so staff can try their edits to it here.
ASKER_LABELS: dict[Asker, str] = {
    "health_visitor_or_midwife": "Health visitor or midwife",
    "other_professional": "Another professional",
    "volunteer": "A volunteer",
    "lmm_staff": "Little Minds Matter staff",
}
ASKERS: dict[str, Asker | None] = {"": None, **{asker: asker for asker in ASKER_LABELS}}
ASKER_CHOICES = (("", "Not said (a professional)"), *ASKER_LABELS.items())


def _run(
    session: SessionDep, query: Query, knowledge: Knowledge, today: TodayDep
) -> Recommendation:
    exact = exact_areas_for_text(session, knowledge, query.postcode, query.description)
    return recommend(query, knowledge, today, exact_postcode_areas=exact)


@router.get("/preview")
def preview_form(request: Request, _: EditorDep) -> Response:
    return render(request, "admin/preview.html", _page({}, {}))


def _page(values: dict[str, str], errors: dict[str, str]) -> dict[str, object]:
    return {"title": "Try a case", "values": values, "errors": errors,
            "consent_choices": CONSENT_CHOICES, "asker_choices": ASKER_CHOICES}


@router.post("/preview")
def preview(
    request: Request,
    session: SessionDep,
    _: CsrfEditorDep,
    published: KnowledgeDep,
    today: TodayDep,
    description: Annotated[str, Form(max_length=5000)] = "",
    age: Annotated[str, Form(max_length=100)] = "",
    postcode: Annotated[str, Form(max_length=20)] = "",
    consent: Annotated[str, Form(max_length=3)] = "",
    asker: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    values = {"description": description, "age": age, "postcode": postcode, "consent": consent,
              "asker": asker if asker in ASKERS else ""}
    errors: dict[str, str] = {}
    results: list[tuple[str, Recommendation]] = []
    try:
        query = Query(
            description=description.strip() or None,
            age=age.strip() or None,
            postcode=postcode.strip() or None,
            consent_to_referral=CONSENT.get(consent),
            asker=ASKERS.get(asker),
        )
        try:
            draft = draft_knowledge(session)
        except (ValidationError, SeedError) as exc:
            errors["description"] = f"The draft cannot be loaded: {exc}"
            draft = None
        if draft is not None:
            results.append((f"Draft (based on version {published.version})", _run(
                session, query, draft, today)))
        results.append((f"Published version {published.version}", _run(
            session, query, published, today)))
    except InputError as exc:
        errors[exc.field] = exc.message
        results = []
    except ValidationError as exc:
        for error in exc.errors():
            field = str(error["loc"][0]) if error.get("loc") else "description"
            errors.setdefault(field, f"{field.capitalize()}: {error['msg']}.")
    return render(
        request, "admin/preview.html",
        {**_page(values, errors), "results": results, "has_draft": len(results) == 2},
        status_code=400 if errors else 200,
    )
