"""The public worked cases in knowledge/content/worked_cases.yaml, through the whole engine."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest
import yaml

from knowledge.content.publish import WORKED_CASES_PATH
from pathways.cases import WorkedCase, run_worked_cases
from pathways.model import Knowledge

CASES_FILE = WORKED_CASES_PATH

# Run as the api runs the engine: both reading layers.
pytestmark = pytest.mark.usefixtures("with_similarity")


def load_cases() -> list[dict[str, Any]]:
    data = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_worked_case(seed: Knowledge, today: date, case: dict[str, Any]) -> None:
    failures = run_worked_cases([case], seed, today)
    assert not failures, "\n".join(map(str, failures))


def test_the_cases_hold_on_any_day(seed: Knowledge) -> None:
    for day in (date(2025, 3, 1), date(2027, 12, 31)):
        assert not run_worked_cases(CASES, seed, day)


def test_the_set_covers_what_it_must(seed: Knowledge) -> None:
    cases = [WorkedCase.model_validate(c) for c in CASES]
    assert len(cases) >= 30
    tiers = Counter(c.tier for c in cases)
    assert set(tiers) == {"urgent", "lmm_referral", "lmm_consultation", "signpost"}
    red_flags = {code for code, c in seed.concerns.items() if c.red_flag}
    shown = {code for c in cases if c.tier == "urgent" for code in c.finds_concerns + c.concerns}
    assert red_flags <= shown, f"red flags without a worked case: {red_flags - shown}"
    ages = {c.age for c in cases}
    assert {"23 months", "24 months"} <= ages, "the age boundary"
    postcodes = " ".join(c.postcode or "" for c in cases).upper()
    for boundary in ("BD3", "LS6", "BD23", "HX1", "LS29"):
        assert boundary in postcodes, f"area boundary {boundary}"
    assert any(c.not_concerns for c in cases), "negation"


def test_a_wrong_expectation_is_reported(seed: Knowledge, today: date) -> None:
    case = {"name": "wrong on purpose", "description": "struggling with breastfeeding",
            "age": "2 weeks", "postcode": "BD8", "tier": "urgent", "lmm_eligible": None,
            "includes_services": ["housing-options"]}
    problems = [f.problem for f in run_worked_cases([case], seed, today)]
    assert problems[0].startswith("expected tier urgent, got signpost")
    assert "expected lmm_eligible None, got True" in problems
    assert "expected service housing-options" in problems


def test_an_invalid_case_is_reported_not_raised(seed: Knowledge, today: date) -> None:
    failures = run_worked_cases([{"name": "typo", "tier": "urgentt"},
                                 {"name": "bad age", "age": "banana", "tier": "urgent"}],
                                seed, today)
    assert [f.case for f in failures] == ["typo", "bad age"]
    assert "not a valid case" in failures[0].problem
    assert "refused" in failures[1].problem
