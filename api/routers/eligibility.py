"""A quick eligibility check for volunteers: ``/eligibility``.

Can Little Minds Matter see this family? The answer is yes, no or "cannot
tell yet", with the reasons, from the family's stage (weeks pregnant or the
due date; the baby's age in months or date of birth) and postcode. It is
:func:`pathways.eligibility.lmm_eligibility` on LMM's own service record, with
the exact postcode lookup when the ONS directory is imported, as the
recommendation uses.

The form is POSTed and the answer shown on the same page, so the postcode
never appears in a URL, the browser history or an access log; the page is
sent with ``Cache-Control: no-store``. There is no free text: whole numbers,
dates and a postcode, each checked here, so a bad value is a 400 page that
says what is accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import EngineDep, KnowledgeDep, KnowledgeHolderDep, TodayDep
from api.lookups import exact_areas_without_blocking
from api.templating import templates
from pathways.age import MAX_CHILD_MONTHS, MAX_PREGNANCY_WEEKS, AgeError, AgeReading, parse_age
from pathways.eligibility import LMM_SERVICE_ID, Eligibility, describe_ages, lmm_eligibility
from pathways.model import Knowledge
from pathways.postcode import PostcodeError, PostcodeReading, resolve_postcode
from pathways.wording import safety_line

router = APIRouter(tags=["pages"], include_in_schema=False)

FIELDS: Final = ("weeks_pregnant", "due_date", "age_months", "date_of_birth", "postcode")
MAX_POSTCODE: Final = 20
NO_STORE: Final = {"Cache-Control": "no-store"}


@dataclass
class EligibilityForm:
    """The form as it was sent, and what was wrong with it."""

    weeks_pregnant: str = ""
    due_date: str = ""
    age_months: str = ""
    date_of_birth: str = ""
    postcode: str = ""
    errors: dict[str, str] = field(default_factory=dict)


@dataclass
class Answer:
    """Yes, no or cannot tell, with the reasons."""

    verdict: str  # "yes", "no" or "cannot_tell"
    heading: str
    reasons: tuple[str, ...]
    age: AgeReading | None
    postcode: PostcodeReading | None


def _whole(text: str, low: int, high: int) -> int | None:
    if not re.fullmatch(r"[0-9]{1,3}", text):
        return None
    value = int(text)
    return value if low <= value <= high else None


def _iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        return None


def _read_age(form: EligibilityForm, today: date) -> AgeReading | None:
    """The age or stage of pregnancy from the one field that gives it; an error
    on the form for a bad value or for more than one."""
    given = [name for name in ("weeks_pregnant", "due_date", "age_months", "date_of_birth")
             if getattr(form, name)]
    if len(given) > 1:
        form.errors[given[1]] = (
            "Give only one of: weeks pregnant, the due date, the baby's age in months or the "
            "date of birth."
        )
        return None
    if not given:
        return None
    name = given[0]
    value = getattr(form, name)
    if name == "weeks_pregnant":
        weeks = _whole(value, 1, MAX_PREGNANCY_WEEKS)
        if weeks is None:
            form.errors[name] = (f"Weeks pregnant must be a whole number from 1 to "
                                 f"{MAX_PREGNANCY_WEEKS}.")
            return None
        text = f"{weeks} weeks pregnant"
    elif name == "age_months":
        months = _whole(value, 0, MAX_CHILD_MONTHS)
        if months is None:
            form.errors[name] = (f"The baby's age must be a whole number of months from 0 to "
                                 f"{MAX_CHILD_MONTHS}.")
            return None
        text = f"{months} months"
    else:
        day = _iso_date(value)
        if day is None:
            form.errors[name] = "Give the date as day, month and year, for example 2027-03-12."
            return None
        text = f"{'due' if name == 'due_date' else 'DOB'} {day:%d/%m/%Y}"
    try:
        return parse_age(text, today)
    except AgeError as exc:
        form.errors[name] = str(exc)
        return None


def read_form(data: Any) -> EligibilityForm:
    def text(name: str) -> str:
        return " ".join(str(data.get(name) or "").split())

    form = EligibilityForm(
        weeks_pregnant=text("weeks_pregnant"), due_date=text("due_date"),
        age_months=text("age_months"), date_of_birth=text("date_of_birth"),
        postcode=text("postcode"),
    )
    unknown = sorted(set(data.keys()) - set(FIELDS))
    if unknown:
        form.errors["weeks_pregnant"] = (
            "The form takes only weeks pregnant, the due date, the baby's age in months, the "
            "date of birth and the postcode."
        )
    if len(form.postcode) > MAX_POSTCODE:
        form.errors["postcode"] = f"A postcode is at most {MAX_POSTCODE} characters."
    return form


def answer_for(eligibility: Eligibility, age: AgeReading | None,
               postcode: PostcodeReading | None) -> Answer:
    if eligibility.eligible is True:
        verdict, heading = "yes", "Yes: Little Minds Matter can see this family"
    elif eligibility.eligible is False:
        verdict, heading = "no", "No: this family is outside what Little Minds Matter covers"
    else:
        verdict, heading = "cannot_tell", "Cannot tell yet"
    return Answer(verdict, heading, eligibility.reasons, age, postcode)


def _page(request: Request, knowledge: Knowledge, form: EligibilityForm,
          answer: Answer | None) -> HTMLResponse:
    lmm = knowledge.services.get(LMM_SERVICE_ID)
    return templates.TemplateResponse(
        request,
        "eligibility/page.html",
        {
            "form": form,
            "answer": answer,
            "span": describe_ages(lmm.ages) if lmm else "pregnancy to 24 months",
            "max_weeks": MAX_PREGNANCY_WEEKS,
            "max_months": MAX_CHILD_MONTHS,
            "safety_line": safety_line(knowledge),
        },
        status_code=400 if form.errors else 200,
        headers=NO_STORE,
    )


@router.get("/eligibility", response_class=HTMLResponse)
def eligibility_form(request: Request, knowledge: KnowledgeDep) -> HTMLResponse:
    """The empty form."""
    return _page(request, knowledge, EligibilityForm(), None)


@router.post("/eligibility", response_class=HTMLResponse)
async def eligibility_check(
    request: Request,
    knowledge: KnowledgeDep,
    engine: EngineDep,
    holder: KnowledgeHolderDep,
    today: TodayDep,
) -> HTMLResponse:
    """The answer, on the same page as the form."""
    form = read_form(await request.form())
    age = _read_age(form, today) if not form.errors else None
    postcode: PostcodeReading | None = None
    if form.postcode and "postcode" not in form.errors:
        exact = await exact_areas_without_blocking(engine, holder, knowledge, form.postcode, None)
        try:
            postcode = resolve_postcode(form.postcode, knowledge, exact_areas=exact)
        except PostcodeError as exc:
            form.errors["postcode"] = str(exc)
    if not form.errors and age is None and postcode is None:
        form.errors["weeks_pregnant"] = (
            "Give the pregnancy (weeks pregnant or the due date) or the baby's age (in months "
            "or the date of birth), and the family's postcode."
        )
    if form.errors:
        return _page(request, knowledge, form, None)
    answer = answer_for(lmm_eligibility(knowledge, age, postcode), age, postcode)
    return _page(request, knowledge, form, answer)
