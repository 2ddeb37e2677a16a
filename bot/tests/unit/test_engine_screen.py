"""The NLU component makes the intent agree with the engine: red flags, and
a case detail in a message the classifier took for something else."""

from __future__ import annotations

import socket
import time
from typing import Any, Dict, List, Optional

import pytest
from rasa.shared.nlu.training_data.message import Message

from components.engine_screen import EngineRedFlagScreen, apply_findings


def closed_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


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


def screen() -> EngineRedFlagScreen:
    return EngineRedFlagScreen({"timeout_seconds": 0.2})


def test_the_proxys_reading_decides_without_calling_the_api(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NAVIGATOR_API_URL", f"http://127.0.0.1:{closed_port()}")
    reading = {"red_flag": True, "concerns": [{"code": "suicidal_parent", "red_flag": True}]}
    m = message("describe_case")
    m.set("text", "mum says she wants to end it")
    m.set("metadata", {"navigator_parse": reading})
    screen().process([m])
    assert m.get("intent") == {"name": "red_flag", "confidence": 1.0}
    assert m.get("navigator_parse") == reading
    assert "navigator_parse" in m.as_dict(only_output_properties=True), "kept for the actions"


def test_without_a_reading_and_with_the_api_down_the_classifier_stands(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NAVIGATOR_API_URL", f"http://127.0.0.1:{closed_port()}")
    m = message("describe_case")
    m.set("text", "4 month old, not bonding")
    started = time.monotonic()
    screen().process([m])
    assert m.get("intent") == {"name": "describe_case", "confidence": 0.8}
    assert m.get("navigator_parse") is None
    assert time.monotonic() - started < 1.0, "Rasa's event loop is not held up for long"


DA_READING = {"red_flag": False, "age": None, "postcode": None, "concerns": [
    {"code": "domestic_abuse", "label": "Domestic abuse (no immediate danger)",
     "red_flag": False}]}
AGE_READING = {"red_flag": False, "concerns": [], "postcode": None,
               "age": {"stage": "antenatal", "weeks": 0, "months": 0, "text": "pregnant"}}
NOTHING = {"red_flag": False, "concerns": [], "age": None, "postcode": None}


def said(text: str, intent: str, entities: Optional[List[Dict[str, Any]]] = None) -> Message:
    m = message(intent)
    m.set("text", text)
    m.set("entities", entities or [])
    return m


@pytest.mark.parametrize("intent", [
    "ask_service", "greet", "goodbye", "thank", "help", "nlu_fallback", "out_of_scope",
    "bot_challenge", "why_asking", "affirm", "deny", "dont_know", "check_eligibility",
])
def test_a_case_detail_makes_any_other_guess_a_case(intent: str) -> None:
    m = said("mum told me her partner hits her and he still lives with them", intent)
    apply_findings(m, DA_READING)
    assert m.get("intent") == {"name": "describe_case", "confidence": 1.0}
    assert m.get("intent_ranking")[0] == {"name": "describe_case", "confidence": 1.0}


def test_a_classifier_red_flag_the_engine_reads_as_a_concern_becomes_a_case() -> None:
    m = said("he hits her", "red_flag")
    apply_findings(m, DA_READING)
    assert m.get("intent")["name"] == "describe_case"


@pytest.mark.parametrize("intent", ["describe_case", "inform", "correct", "start_again",
                                    "human_handoff"])
def test_case_intents_start_again_and_a_person_keep_their_path(intent: str) -> None:
    m = said("new family: 6 week old, dad hits mum", intent)
    apply_findings(m, DA_READING)
    assert m.get("intent") == {"name": intent, "confidence": 0.8}


def test_a_question_about_a_named_service_stays_a_question() -> None:
    m = said("does home-start see pregnant women?", "ask_service",
             [{"entity": "service", "value": "home-start", "start": 5, "end": 15}])
    apply_findings(m, AGE_READING)
    assert m.get("intent")["name"] == "ask_service"


def test_a_question_about_lmms_offers_stays_a_question() -> None:
    m = said("how do I book a consultation", "ask_consultation")
    apply_findings(m, {**NOTHING, "concerns": [
        {"code": "practitioner_guidance", "label": "Talk it through", "red_flag": False}]})
    assert m.get("intent")["name"] == "ask_consultation"


def test_a_concern_in_a_service_question_naming_no_service_is_a_case() -> None:
    m = said("what should I do, mum's partner hits her?", "ask_service")
    apply_findings(m, DA_READING)
    assert m.get("intent")["name"] == "describe_case"


def test_an_eligibility_check_with_an_age_and_postcode_stays_one() -> None:
    m = said("is a 14 month old in BD7 eligible?", "check_eligibility")
    apply_findings(m, {**AGE_READING, "postcode": {"normalised": "BD7"}})
    assert m.get("intent")["name"] == "check_eligibility"


def test_nothing_read_leaves_any_guess_alone() -> None:
    m = said("what does first response do?", "ask_service")
    apply_findings(m, NOTHING)
    assert m.get("intent") == {"name": "ask_service", "confidence": 0.8}


def test_a_worry_only_suspected_by_similarity_leaves_a_question_alone() -> None:
    for text, intent in (("bye", "goodbye"),
                         ("is this family eligible for little minds matter?", "check_eligibility")):
        m = said(text, intent)
        apply_findings(m, {**NOTHING, "concerns": [
            {"code": "baby_withdrawn", "label": "Withdrawn baby", "red_flag": False,
             "how_found": "similarity", "suspected": True}]})
        assert m.get("intent")["name"] == intent
