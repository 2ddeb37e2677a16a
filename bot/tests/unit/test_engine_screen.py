"""The NLU component makes the intent agree with the engine about red flags."""

from __future__ import annotations

import socket
import time

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
