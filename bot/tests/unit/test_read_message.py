"""action_read_message: what the engine finds in a message becomes slots,
consent only from the engine's reading (or a button or a bare yes/no), and
the answers to the safety check."""

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


REFER_PLAN = "I want to refer this family"
NOT_YET = "mum has not yet consented to a referral"


def test_consent_comes_only_from_the_engines_reading(api: FakeApi) -> None:
    """The engine reads neither a plan to refer nor "not yet consented" as a yes."""
    api.on("POST", "/api/v1/parse", 200, PARSE_NOTHING)
    for text, intent in ((REFER_PLAN, "affirm"), (NOT_YET, "describe_case"),
                         (NOT_YET, "affirm")):
        events = run(tracker(text, intent=intent))
        assert events == [SlotSet("description", text)], text


def test_a_plan_to_refer_does_not_answer_the_consent_question_yes(api: FakeApi) -> None:
    api.on("POST", "/api/v1/parse", 200, PARSE_NOTHING)
    slots = {"requested_slot": "consent_to_referral"}
    for text, intent in ((REFER_PLAN, "affirm"), (NOT_YET, "deny"), (NOT_YET, "affirm")):
        events = run(tracker(text, intent=intent, active_loop="triage_form", slots=slots))
        assert events == [SlotSet("description", text),
                          SlotSet("consent_to_referral", text)], "validation asks again"
    events = run(tracker(NOT_YET, intent="dont_know", active_loop="triage_form", slots=slots))
    assert events == [SlotSet("consent_to_referral", "unknown")]


def test_the_engines_consent_reading_is_taken(api: FakeApi) -> None:
    api.on("POST", "/api/v1/parse", 200, dict(PARSE_NOTHING, consent_to_referral=False))
    events = run(tracker("mum declined a referral", intent="describe_case"))
    assert events == [SlotSet("consent_to_referral", False),
                      SlotSet("description", "mum declined a referral")]


def test_a_bare_yes_answers_the_consent_question(api: FakeApi) -> None:
    api.on("POST", "/api/v1/parse", 200, PARSE_NOTHING)
    slots = {"requested_slot": "consent_to_referral"}
    assert run(tracker("yes they agree", intent="affirm", active_loop="triage_form",
                       slots=slots)) == [SlotSet("consent_to_referral", True)]
    assert run(tracker("no", intent="deny", active_loop="triage_form",
                       slots=slots)) == [SlotSet("consent_to_referral", False)]


SAFETY = {"requested_slot": "safety_check"}


def test_the_safety_check_buttons_give_the_engines_answers(api: FakeApi) -> None:
    for payload, intent, answer in (("/deny", "deny", "none_apply"),
                                    ("/affirm", "affirm", "some_apply"),
                                    ("/dont_know", "dont_know", "not_sure")):
        events = run(tracker(payload, intent=intent, active_loop="triage_form", slots=SAFETY))
        assert events == [SlotSet("safety_check", answer)]
    assert api.requests == []


def test_typed_answers_to_the_safety_check(api: FakeApi) -> None:
    api.on("POST", "/api/v1/parse", 200, PARSE_NOTHING)
    for text, intent, answer in (("None of these", "dont_know", "none_apply"),
                                 ("no", "deny", "none_apply"),
                                 ("Yes", "affirm", "some_apply"),
                                 ("not sure", "dont_know", "not_sure"),
                                 ("I haven't checked", "dont_know", "not_sure")):
        events = run(tracker(text, intent=intent, active_loop="triage_form", slots=SAFETY))
        assert events == [SlotSet("safety_check", answer)], text


def test_anything_else_at_the_safety_check_is_left_for_validation(api: FakeApi) -> None:
    api.on("POST", "/api/v1/parse", 200, PARSE_NOTHING)
    events = run(tracker("what do you mean", intent="nlu_fallback", active_loop="triage_form",
                         slots=SAFETY))
    assert events == [SlotSet("description", "what do you mean"),
                      SlotSet("safety_check", "what do you mean")]


def test_an_age_button_gives_its_age_for_the_engine_to_read(api: FakeApi) -> None:
    events = run(tracker('/inform{"age":"pregnant"}', intent="inform", active_loop="triage_form",
                         slots={"requested_slot": "age"},
                         entities=[{"entity": "age", "value": "pregnant"}]))
    assert events == [SlotSet("age", "pregnant")]


def test_nothing_read_from_an_answer_about_a_split_district_keeps_the_district(
    api: FakeApi,
) -> None:
    api.on("POST", "/api/v1/parse", 200, PARSE_NOTHING)
    events = run(tracker("banana", intent="inform", active_loop="triage_form",
                         slots={"requested_slot": "postcode", "postcode": "BD3",
                                "asked_fuller_postcode": True}))
    assert events == [SlotSet("description", "banana"), SlotSet("postcode", "BD3")]


def test_none_of_these_to_the_concern_question_is_something_else(api: FakeApi) -> None:
    api.on("POST", "/api/v1/parse", 200, PARSE_NOTHING)
    events = run(tracker("none of these", intent="deny", active_loop="triage_form",
                         slots={"requested_slot": "concerns"}))
    assert events == [SlotSet("concerns", ["other"])]


def test_an_answer_in_which_worries_are_only_suspected_still_answers_the_question(
    api: FakeApi,
) -> None:
    api.on("POST", "/api/v1/parse", 200, dict(PARSE_NOTHING, concerns=[
        {"code": "traumatic_birth", "label": "Traumatic birth", "red_flag": False,
         "how_found": "similarity", "suspected": True}]))
    events = run(tracker("since the birth", intent="inform", active_loop="triage_form",
                         slots={"requested_slot": "duration", "concerns": ["bonding"]}))
    assert events == [SlotSet("concerns", ["bonding", "traumatic_birth"]),
                      SlotSet("description", "since the birth"),
                      SlotSet("duration", "since the birth")]


def test_a_worry_read_from_a_phrase_is_a_new_detail_not_the_answer(api: FakeApi) -> None:
    api.on("POST", "/api/v1/parse", 200, dict(PARSE_NOTHING, concerns=[
        {"code": "anxiety", "label": "Anxiety", "red_flag": False, "how_found": "phrase",
         "suspected": False}]))
    events = run(tracker("she's also very anxious", intent="inform", active_loop="triage_form",
                         slots={"requested_slot": "postcode", "concerns": ["bonding"]}))
    assert events == [SlotSet("concerns", ["bonding", "anxiety"]),
                      SlotSet("description", "she's also very anxious")]
