"""Pathway rules: conditions, every rule's examples, and the content checks."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pathways.facts import FACTS
from pathways.model import Condition, Knowledge
from pathways.rules import check_rule_examples, check_rules, evaluate, holds
from tests.pathways.small import small_documents, small_knowledge

FACTS_README = Path(__file__).parents[2] / "pathways" / "README.md"
FACTS_SAMPLE: dict[str, Any] = {
    "red_flag": False, "concerns": ["bonding", "low_mood"], "age_months": 23,
    "lmm_eligible": None, "consent_to_referral": True, "stage": "postnatal",
}

# Run as the api runs the engine: both reading layers.
pytestmark = pytest.mark.usefixtures("with_similarity")


@pytest.mark.parametrize(
    ("field", "op", "value", "expected"),
    [
        ("red_flag", "eq", False, True),
        ("red_flag", "eq", 0, False),  # false is not 0
        ("lmm_eligible", "eq", False, False),  # null is not false
        ("lmm_eligible", "is_null", None, True),
        ("lmm_eligible", "ne", False, True),
        ("consent_to_referral", "not_null", None, True),
        ("age_months", "lt", 24, True),
        ("age_months", "gte", 24, False),
        ("age_months", "lte", 23, True),
        ("age_months", "gt", "23", False),  # wrong type: false, not an error
        ("lmm_eligible", "lt", 3, False),  # null compares false
        ("stage", "in", ["antenatal", "postnatal"], True),
        ("stage", "not_in", ["antenatal"], True),
        ("concerns", "contains", "bonding", True),
        ("concerns", "contains_any", ["feeding", "low_mood"], True),
        ("concerns", "not_contains_any", ["feeding", "housing"], True),
        ("no_such_fact", "eq", True, False),
    ],
)
def test_conditions(field: str, op: str, value: Any, expected: bool) -> None:
    condition = Condition.model_validate({"field": field, "op": op, "value": value})
    assert holds(condition, FACTS_SAMPLE) is expected


def test_evaluate_gives_every_rule_in_priority_order() -> None:
    knowledge = small_knowledge()
    verdicts = evaluate(reversed(knowledge.rules), {"red_flag": True})
    assert [v.id for v in verdicts] == ["R-001", "R-002", "R-003"]
    assert [v.matched for v in verdicts] == [True, False, True]
    assert verdicts[0].summary == "A red flag is urgent."


def test_every_seed_rule_has_a_summary_and_examples(seed: Knowledge) -> None:
    assert len(seed.rules) >= 20
    for rule in seed.rules:
        assert len(rule.summary.strip()) >= 10, rule.id
        assert rule.examples, rule.id


def test_every_seed_rule_example_holds(seed: Knowledge, today: date) -> None:
    failures = check_rule_examples(seed, today)
    assert not failures, "\n".join(map(str, failures))


def test_seed_rules_and_concerns_refer_only_to_things_that_exist(seed: Knowledge) -> None:
    problems = check_rules(seed)
    assert not problems, "\n".join(problems)


def test_every_seed_rule_decides_in_at_least_one_example(seed: Knowledge) -> None:
    """A rule no example shows deciding is either dead or untested."""
    deciding = {r.id for r in seed.rules if any(e.rule_fires for e in r.examples)}
    catch_all = {"R-008"}  # for red flags added later; all seed red flags have their own rule
    assert {r.id for r in seed.rules} - deciding == catch_all


def test_every_red_flag_concern_has_an_urgent_service(seed: Knowledge) -> None:
    emergency = {"emergency-999", "childrens-social-care", "first-response",
                 "maternity-assessment-centre"}
    for concern in seed.concerns.values():
        if concern.red_flag:
            assert concern.tiers == ("urgent",), concern.code
            assert emergency & set(concern.services), concern.code


def test_a_broken_example_is_reported_with_the_reason(today: date) -> None:
    documents = small_documents()
    documents["rules"][1]["examples"][0]["tier"] = "signpost"
    documents["rules"][2]["examples"][0]["facts"] = {"age": "banana"}
    failures = check_rule_examples(small_knowledge(documents), today)
    assert [(f.rule, f.example) for f in failures] == [("R-002", "consent"), ("R-003", "low mood")]
    assert "expected tier signpost, got lmm_referral" in failures[0].problem
    assert "age cannot be read" in failures[1].problem


def test_an_example_expecting_another_rule_to_decide_is_reported(today: date) -> None:
    documents = small_documents()
    documents["rules"][2]["examples"][0]["facts"] = {"description": "a bruise"}
    documents["rules"][2]["examples"][0]["tier"] = "urgent"
    failures = check_rule_examples(small_knowledge(documents), today)
    assert len(failures) == 1 and "R-001 did" in failures[0].problem


def test_content_mistakes_are_named() -> None:
    documents = small_documents()
    documents["rules"][0]["conditions"].append({"field": "red_flagg", "op": "eq", "value": True})
    documents["rules"][1]["conditions"].append(
        {"field": "concerns", "op": "contains", "value": "bondng"})
    documents["rules"][1]["outcome"]["services"] = ["lmm-clinicall"]
    documents["concerns"][0]["services"].append("nowhere")
    documents["concerns"][0]["phrases"].append("{9-3}")
    problems = check_rules(small_knowledge(documents))
    assert any("R-001" in p and "red_flagg" in p for p in problems)
    assert any("R-002" in p and "bondng" in p for p in problems)
    assert any("R-002" in p and "lmm-clinicall" in p for p in problems)
    assert any("bonding" in p and "nowhere" in p for p in problems)
    assert any("{9-3}" in p for p in problems)


def test_facts_are_documented_for_clinicians() -> None:
    readme = FACTS_README.read_text(encoding="utf-8")
    for name in FACTS:
        assert f"`{name}`" in readme, f"{name} is not in pathways/README.md"

