"""The safety invariants are reviewable data: each has a summary and named
examples, and every example holds through the whole engine."""

from __future__ import annotations

from datetime import date

import pytest

from pathways.invariants import INVARIANTS, InvariantExample, SafetyInvariant
from pathways.model import Knowledge
from pathways.recommend import Query, recommend

EXAMPLES = [(inv, ex) for inv in INVARIANTS for ex in inv.examples]

# Run as the api runs the engine: both reading layers.
pytestmark = pytest.mark.usefixtures("with_similarity")


def test_every_invariant_has_an_id_a_summary_and_examples() -> None:
    ids = [inv.id for inv in INVARIANTS]
    assert len(ids) == len(set(ids))
    for invariant in INVARIANTS:
        assert invariant.id.startswith("SAFE-")
        assert len(invariant.summary) > 20
        assert invariant.examples, f"{invariant.id} has no examples"


@pytest.mark.parametrize(
    ("invariant", "example"), EXAMPLES, ids=[f"{i.id}: {e.name}" for i, e in EXAMPLES]
)
def test_invariant_example_holds(
    seed: Knowledge, today: date, invariant: SafetyInvariant, example: InvariantExample
) -> None:
    answer = recommend(Query.model_validate(example.query), seed, today)
    if example.tier is not None:
        assert answer.tier == example.tier, (answer.headline, answer.trace)
    assert answer.tier not in example.not_tiers, (answer.headline, answer.trace)


def test_a_checked_red_flag_is_traced(seed: Knowledge, today: date) -> None:
    answer = recommend(Query(description="mum tearful", age="3 months", postcode="BD8",
                             safety_check="not_sure"), seed, today)
    assert answer.tier == "urgent"
    assert any(step.rule == "SAFE-0" for step in answer.trace)
    assert answer.safety_checked and not answer.safety_questions


def test_an_unchecked_answer_lists_the_safety_questions(seed: Knowledge, today: date) -> None:
    answer = recommend(Query(description="mum tearful and low", age="3 months",
                             postcode="BD8"), seed, today)
    assert answer.tier != "urgent"
    assert not answer.safety_checked
    assert len(answer.safety_questions) >= 5
    assert any("shaken" in q for q in answer.safety_questions)
    checked = recommend(Query(description="mum tearful and low", age="3 months",
                              postcode="BD8", safety_check="none_apply"), seed, today)
    assert checked.safety_checked and not checked.safety_questions
    assert checked.tier == answer.tier


def test_nothing_recognised_offers_choices_and_the_safety_line(
    seed: Knowledge, today: date
) -> None:
    answer = recommend(Query(description="got a family on my caseload can u help",
                             age="5 months", postcode="BD8"), seed, today)
    assert answer.tier == "signpost"
    assert not answer.recognised
    assert "concerns" in answer.missing
    assert {c.code for c in answer.choices} >= {"bonding", "low_mood"}
    safety = [s for s in answer.next_steps if s.startswith("If anyone is in danger now")]
    assert safety and "999" in safety[0]
    assert not any(s.id.startswith("lmm") for s in answer.services if s.role == "primary")


def test_an_eligibility_check_without_a_description_keeps_its_answer(
    seed: Knowledge, today: date
) -> None:
    answer = recommend(Query(age="5 months", postcode="BD8"), seed, today)
    assert answer.recognised
    assert answer.lmm_eligible is True
    assert answer.tier == "lmm_consultation"
