"""action_read_message: what the engine finds in a message becomes slots."""

from __future__ import annotations

import asyncio

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.read_message import ActionReadMessage

from .conftest import DOMAIN, FakeApi, tracker
from .samples import PARSE_NOTHING, PARSE_ONE_MESSAGE

ONE_MESSAGE = "Mum of a 4 month old in BD3 9 can't bond with him, happy to be referred"


def run(t):  # type: ignore[no-untyped-def]
    return asyncio.run(ActionReadMessage().run(CollectingDispatcher(), t, DOMAIN))


def test_one_message_fills_age_postcode_concerns_and_description(api: FakeApi) -> None:
    api.on("POST", "/api/v1/parse", 200, PARSE_ONE_MESSAGE)
    events = run(tracker(ONE_MESSAGE))
    assert events == [
        SlotSet("age", "4 months old"),
        SlotSet("postcode", "BD3 9"),
        SlotSet("concerns", ["bonding"]),
        SlotSet("consent_to_referral", True),
        SlotSet("description", ONE_MESSAGE),
    ]
    assert api.sent_json("/api/v1/parse") == [{"text": ONE_MESSAGE}]


def test_an_unreadable_answer_goes_to_the_slot_asked_for_so_validation_can_re_ask(
    api: FakeApi,
) -> None:
    api.on("POST", "/api/v1/parse", 200, PARSE_NOTHING)
    events = run(tracker("banana", intent="inform", active_loop="triage_form",
                         slots={"requested_slot": "age"}))
    assert events == [SlotSet("description", "banana"), SlotSet("age", "banana")]


def test_how_long_answers_are_a_duration_not_the_babys_age(api: FakeApi) -> None:
    api.on("POST", "/api/v1/parse", 200, dict(
        PARSE_NOTHING, age={"stage": "postnatal", "weeks": 13, "months": 3, "text": "3 months old"}))
    events = run(tracker("about 3 months", intent="inform", active_loop="triage_form",
                         slots={"requested_slot": "duration", "age": "6 months old"}))
    assert events == [SlotSet("description", "about 3 months"), SlotSet("duration", "about 3 months")]


def test_the_classifiers_concern_words_are_not_taken_as_codes(api: FakeApi) -> None:
    api.on("POST", "/api/v1/parse", 200, PARSE_NOTHING)
    events = run(tracker("mum can't bond", intent="describe_case",
                         entities=[{"entity": "concern", "value": "bond"}]))
    assert events == [SlotSet("description", "mum can't bond")]


def test_questions_fill_nothing_so_the_form_steps_aside(api: FakeApi) -> None:
    events = run(tracker("why do you need that", intent="why_asking",
                         active_loop="triage_form", slots={"requested_slot": "postcode"}))
    assert events == []
    assert api.requests == [], "a question is not sent to the parser"


def test_a_correction_replaces_the_age_and_drops_concerns_said_to_be_absent(api: FakeApi) -> None:
    api.on("POST", "/api/v1/parse", 200, dict(
        PARSE_NOTHING,
        age={"stage": "postnatal", "weeks": 35, "months": 8, "text": "8 months old"},
        concerns=[{"code": "feeding", "label": "Feeding", "red_flag": False}],
        absent_concerns=["bonding"],
    ))
    events = run(tracker("sorry, she's 8 months, bond is fine, it's feeding", intent="correct",
                         slots={"age": "4 months old", "concerns": ["bonding"],
                                "description": "earlier"}))
    assert events == [
        SlotSet("age", "8 months old"),
        SlotSet("concerns", ["feeding"]),
        SlotSet("description", "earlier\nsorry, she's 8 months, bond is fine, it's feeding"),
    ]


def test_yes_and_no_answer_the_consent_question(api: FakeApi) -> None:
    api.on("POST", "/api/v1/parse", 200, PARSE_NOTHING)
    slots = {"requested_slot": "consent_to_referral"}
    assert run(tracker("/affirm", intent="affirm", active_loop="triage_form", slots=slots)) == [
        SlotSet("consent_to_referral", True)
    ]
    assert run(tracker("/deny", intent="deny", active_loop="triage_form", slots=slots)) == [
        SlotSet("consent_to_referral", False)
    ]


def test_dont_know_marks_the_asked_slot_unknown(api: FakeApi) -> None:
    events = run(tracker("/dont_know", intent="dont_know", active_loop="triage_form",
                         slots={"requested_slot": "postcode"}))
    assert events == [SlotSet("postcode", "unknown")]


def test_a_concern_button_adds_its_code(api: FakeApi) -> None:
    events = run(tracker('/inform{"concern":"bonding"}', intent="inform",
                         active_loop="triage_form", slots={"requested_slot": "concerns"},
                         entities=[{"entity": "concern", "value": "bonding"}]))
    assert events == [SlotSet("concerns", ["bonding"])]


def test_engine_red_flag_is_remembered(api: FakeApi) -> None:
    api.on("POST", "/api/v1/parse", 200, dict(
        PARSE_NOTHING,
        concerns=[{"code": "injury_non_mobile", "label": "Bruise", "red_flag": True}],
        red_flag=True,
    ))
    events = run(tracker("bruise on his cheek", intent="describe_case"))
    assert SlotSet("red_flag", True) in events
    assert SlotSet("concerns", ["injury_non_mobile"]) in events


def test_api_down_still_takes_the_raw_answer(api_down: None) -> None:
    events = run(tracker("6 wks", intent="inform", active_loop="triage_form",
                         slots={"requested_slot": "age"}))
    assert events == [SlotSet("description", "6 wks"), SlotSet("age", "6 wks")]


def test_a_correction_takes_the_age_the_classifier_found_for_the_engine_to_check(
    api: FakeApi,
) -> None:
    api.on("POST", "/api/v1/parse", 200, PARSE_NOTHING)
    events = run(tracker("sorry, she's actually 25 months", intent="correct",
                         entities=[{"entity": "age", "value": "25 months"}],
                         slots={"age": "5 months old"}))
    assert events == [SlotSet("age", "25 months"),
                      SlotSet("description", "sorry, she's actually 25 months")]


def test_the_reading_sent_with_the_message_is_used_without_calling_the_api(
    api: FakeApi,
) -> None:
    t = tracker(ONE_MESSAGE)
    t.latest_message["navigator_parse"] = PARSE_ONE_MESSAGE
    events = run(t)
    assert SlotSet("age", "4 months old") in events
    assert SlotSet("postcode", "BD3 9") in events
    assert SlotSet("concerns", ["bonding"]) in events
    assert api.requests == [], "the message is read once, by the chat proxy"


def test_dont_know_to_a_fuller_postcode_keeps_the_district(api: FakeApi) -> None:
    events = run(tracker("/dont_know", intent="dont_know", active_loop="triage_form",
                         slots={"requested_slot": "postcode", "postcode": "BD3",
                                "asked_fuller_postcode": True}))
    assert events == [SlotSet("postcode", "BD3")]
