"""The NLU component makes the intent agree with the engine about red flags."""

from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message

from components.engine_screen import apply_findings


def message(intent: str, confidence: float = 0.8) -> Message:
    return Message(data={
        "text": "x",
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": intent, "confidence": confidence},
                           {"name": "describe_case", "confidence": 0.1}],
        "entities": [],
    })


def test_an_engine_red_flag_overrides_the_classifier() -> None:
    m = message("describe_case")
    apply_findings(m, {"red_flag": True, "concerns": [
        {"code": "injury_non_mobile", "red_flag": True}, {"code": "bonding", "red_flag": False}]})
    assert m.get("intent") == {"name": "red_flag", "confidence": 1.0}
    assert [e["value"] for e in m.get("entities")] == ["injury_non_mobile"]


def test_a_classifier_red_flag_the_engine_does_not_confirm_is_demoted() -> None:
    m = message("red_flag")
    apply_findings(m, {"red_flag": False, "concerns": []})
    assert m.get("intent")["name"] == "describe_case"


def test_no_red_flag_leaves_the_classifier_alone() -> None:
    m = message("ask_service")
    apply_findings(m, {"red_flag": False, "concerns": []})
    assert m.get("intent") == {"name": "ask_service", "confidence": 0.8}
