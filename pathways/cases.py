"""Worked cases: realistic queries with the answer clinicians expect.

The public set lives in ``knowledge/content/worked_cases.yaml``; the test suite runs it,
and the admin runs it against a draft before publishing, so a content change
that breaks an agreed answer is caught before families are affected. Reading
the file stays outside the engine: callers parse the YAML and pass dicts in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pathways.model import Knowledge, Tier
from pathways.recommend import InputError, Query, Recommendation, recommend


class WorkedCase(BaseModel):
    """One case: the query a practitioner would send and what must hold.

    ``lmm_eligible`` is only checked when the case sets it (it may be set to
    null, meaning "cannot be told yet").
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=3)
    description: str | None = None
    age: str | None = None
    postcode: str | None = None
    concerns: list[str] = []
    consent_to_referral: bool | None = None
    duration: str | None = None
    tier: Tier
    lmm_eligible: bool | None = None
    includes_services: list[str] = []
    excludes_services: list[str] = []
    finds_concerns: list[str] = Field(default=[], description="codes that must be found")
    not_concerns: list[str] = Field(default=[], description="codes that must not be found")
    missing: list[str] = Field(default=[], description="names that must be in `missing`")
    notes: str | None = None

    def query(self) -> Query:
        return Query(
            description=self.description, age=self.age, postcode=self.postcode,
            concerns=self.concerns, consent_to_referral=self.consent_to_referral,
            duration=self.duration,
        )


class CaseFailure(BaseModel):
    """A worked case that does not hold, and why."""

    model_config = ConfigDict(frozen=True)

    case: str
    problem: str

    def __str__(self) -> str:
        return f"{self.case}: {self.problem}"


def _problems(case: WorkedCase, answer: Recommendation) -> list[str]:
    problems: list[str] = []
    if answer.tier != case.tier:
        problems.append(f"expected tier {case.tier}, got {answer.tier} ({answer.headline})")
    if "lmm_eligible" in case.model_fields_set and answer.lmm_eligible is not case.lmm_eligible:
        problems.append(f"expected lmm_eligible {case.lmm_eligible}, got {answer.lmm_eligible}")
    ids = {s.id for s in answer.services}
    problems += [f"expected service {s}" for s in case.includes_services if s not in ids]
    problems += [f"service {s} must not be recommended" for s in case.excludes_services if s in ids]
    codes = {c.code for c in answer.concerns}
    problems += [f"expected concern {c} to be found" for c in case.finds_concerns if c not in codes]
    problems += [f"concern {c} must not be found" for c in case.not_concerns if c in codes]
    problems += [f"expected {m} in missing" for m in case.missing if m not in answer.missing]
    return problems


def run_worked_cases(
    cases: Iterable[WorkedCase | Mapping[str, Any]], knowledge: Knowledge, today: date
) -> list[CaseFailure]:
    """Run every case through the engine; an empty list means all hold."""
    failures: list[CaseFailure] = []
    for number, raw in enumerate(cases, start=1):
        try:
            case = raw if isinstance(raw, WorkedCase) else WorkedCase.model_validate(raw)
        except ValidationError as exc:
            name = str(raw.get("name", number)) if isinstance(raw, Mapping) else str(number)
            problem = f"not a valid case: {exc.errors()[0]['msg']}"
            failures.append(CaseFailure(case=name, problem=problem))
            continue
        try:
            answer = recommend(case.query(), knowledge, today)
        except (InputError, ValidationError) as exc:
            failures.append(CaseFailure(case=case.name, problem=f"the query is refused: {exc}"))
            continue
        failures += [CaseFailure(case=case.name, problem=p) for p in _problems(case, answer)]
    return failures
