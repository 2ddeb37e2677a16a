"""Form validation through the engine: readable answers normalised, unreadable
ones re-asked with the engine's message, the red-flag check once per case
before any answer that is not urgent, extra questions only when the engine
says they are missing, a red flag ending the form, and never a third ask of
the same question in a row."""

from __future__ import annotations

import asyncio
from typing import Any, Dict

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.forms import ValidateEligibilityForm, ValidateTriageForm

from .conftest import DOMAIN, FakeApi, tracker
from .samples import REFERRAL

AGE_ERROR = {
    "detail": 'I could not read "banana" as an age.',
    "errors": [{"field": "age", "message": 'I could not read "banana" as an age. Try "6 weeks".'}],
}


# Who is asking, already said: the form's questions about the case are tested
# on their own (asking who is asking is tested below).
KNOWN_ASKER = {"asker": "health_visitor_or_midwife"}


def validate(form: Any, **tracker_args: Any) -> tuple[list[Dict[str, Any]], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(form.run(dispatcher, tracker(**tracker_args), DOMAIN))
    return events, dispatcher


def test_an_age_the_engine_reads_is_stored_as_the_engine_describes_it(api: FakeApi) -> None:
    api.on("POST", "/api/v1/recommendations", 200, REFERRAL)
    events, dispatcher = validate(
        ValidateTriageForm(), text="6 wks", intent="inform", active_loop="triage_form",
        slots={"requested_slot": "age", "age": "6 wks"},
        events=[{"event": "slot", "name": "age", "value": "6 wks"}],
    )
    assert events == [SlotSet("age", "4 months old")]
    assert dispatcher.messages == []
    assert api.sent_json("/api/v1/recommendations") == [{"age": "6 wks"}]


def test_an_unreadable_age_is_re_asked_with_the_engines_message(api: FakeApi) -> None:
    api.on("POST", "/api/v1/recommendations", 422, AGE_ERROR)
    events, dispatcher = validate(
        ValidateTriageForm(), text="banana", intent="inform", active_loop="triage_form",
        slots={"requested_slot": "age", "age": "banana"},
        events=[{"event": "slot", "name": "age", "value": "banana"}],
    )
    assert events == [SlotSet("age", None)]
    assert [m["text"] for m in dispatcher.messages] == [
        'I could not read that as an age. Try "6 weeks".'
    ], "the engine's message, without quoting what was typed"


def test_a_postcode_is_cut_to_what_the_engine_keeps(api: FakeApi) -> None:
    api.on("POST", "/api/v1/postcodes", 200,
           {"normalised": "BD3 9", "areas": ["bradford_district"], "certainty": "sector",
            "note": None, "lmm_area": True})
    events, _ = validate(
        ValidateEligibilityForm(), text="bd39lf", intent="inform", active_loop="eligibility_form",
        slots={"requested_slot": "postcode", "postcode": "bd39lf"},
        events=[{"event": "slot", "name": "postcode", "value": "bd39lf"}],
    )
    assert events == [SlotSet("postcode", "BD3 9")]
    assert api.sent_json("/api/v1/postcodes") == [{"postcode": "bd39lf"}], "in the body"


POSTCODE_ERROR = {
    "detail": '"Mrs [name] [phone]" is not a UK postcode.',
    "errors": [{"field": "postcode", "message": '"Mrs [name] [phone]" is not a UK postcode. '
                'Give a full postcode such as "BD3 9LF", or its first part such as "BD3".'}],
}


def test_a_refused_postcode_is_not_echoed_back(api: FakeApi) -> None:
    api.on("POST", "/api/v1/postcodes", 422, POSTCODE_ERROR)
    typed = "Mrs [name] [phone]"
    events, dispatcher = validate(
        ValidateEligibilityForm(), text=typed, intent="inform", active_loop="eligibility_form",
        slots={"requested_slot": "postcode", "postcode": typed},
        events=[{"event": "slot", "name": "postcode", "value": typed}],
    )
    assert events == [SlotSet("postcode", None)]
    assert [m["text"] for m in dispatcher.messages] == [
        'That is not a UK postcode. Give a full postcode such as "BD3 9LF", or its first '
        'part such as "BD3".'
    ]


def test_consent_is_asked_only_when_the_engine_reports_it_missing(api: FakeApi) -> None:
    filled = {"age": "4 months old", "postcode": "BD3 9", "concerns": ["bonding"], **KNOWN_ASKER,
              "safety_check": "none_apply"}
    api.on("POST", "/api/v1/recommendations", 200,
           dict(REFERRAL, tier="lmm_consultation", missing=["consent_to_referral"]))
    events, _ = validate(ValidateTriageForm(), active_loop="triage_form", slots=filled)
    assert events == [SlotSet("requested_slot", "consent_to_referral")]

    api.on("POST", "/api/v1/recommendations", 200, REFERRAL)
    events, _ = validate(ValidateTriageForm(), active_loop="triage_form", slots=filled)
    assert events == [], "nothing missing: Rasa's form finishes by itself"


def test_a_red_flag_ends_the_form_without_more_questions(api: FakeApi) -> None:
    events, _ = validate(
        ValidateTriageForm(), active_loop="triage_form",
        slots={"red_flag": True, "concerns": ["injury_non_mobile"]},
    )
    assert events == [SlotSet("requested_slot", None)]
    assert api.requests == []


def test_an_unrecognised_concern_is_re_asked(api: FakeApi) -> None:
    events, dispatcher = validate(
        ValidateTriageForm(), text="hmm", intent="inform", active_loop="triage_form",
        slots={"requested_slot": "concerns", "concerns": []},
        events=[{"event": "slot", "name": "concerns", "value": []}],
    )
    assert events == [SlotSet("concerns", None)]
    assert "could not match" in dispatcher.messages[0]["text"]


def test_the_answer_so_far_comes_before_the_first_extra_question(api: FakeApi) -> None:
    filled = {"age": "4 months old", "postcode": "BD3 9", "concerns": ["bonding"], **KNOWN_ASKER,
              "consent_to_referral": True, "safety_check": "none_apply"}
    api.on("POST", "/api/v1/recommendations", 200,
           dict(REFERRAL, tier="lmm_consultation", missing=["duration"]))
    events, dispatcher = validate(ValidateTriageForm(), active_loop="triage_form", slots=filled)
    assert events == [SlotSet("requested_slot", "duration")]
    with_answer = [m["custom"] for m in dispatcher.messages if "recommendation" in m["custom"]]
    assert with_answer[0]["recommendation"]["tier"] == "lmm_consultation"
    assert dispatcher.messages[0]["text"].startswith("My suggestion so far")


SPLIT = {"normalised": "BD3", "areas": ["united_kingdom"],
         "possible_areas": ["bradford_district", "leeds"], "certainty": "district"}
FILLED_IN_BD3 = {"age": "4 months old", "postcode": "BD3", "concerns": ["bonding"], **KNOWN_ASKER,
                 "consent_to_referral": True, "safety_check": "none_apply"}


def test_a_split_district_the_engine_cannot_place_is_asked_about_before_extras(
    api: FakeApi,
) -> None:
    api.on("POST", "/api/v1/recommendations", 200,
           dict(REFERRAL, postcode=SPLIT, missing=["postcode", "duration"]))
    events, dispatcher = validate(ValidateTriageForm(), active_loop="triage_form",
                                  slots=FILLED_IN_BD3)
    assert events == [SlotSet("requested_slot", "postcode")]
    assert dispatcher.messages == [], "action_ask_postcode says why"


def test_a_split_district_is_asked_about_only_once(api: FakeApi) -> None:
    api.on("POST", "/api/v1/recommendations", 200,
           dict(REFERRAL, postcode=SPLIT, missing=["postcode", "duration"]))
    events, _ = validate(ValidateTriageForm(), active_loop="triage_form",
                         slots={**FILLED_IN_BD3, "asked_fuller_postcode": True})
    assert events == [SlotSet("requested_slot", "duration")]


def test_a_split_district_that_does_not_change_the_answer_is_not_asked_about(
    api: FakeApi,
) -> None:
    api.on("POST", "/api/v1/recommendations", 200,
           dict(REFERRAL, postcode=dict(SPLIT, possible_areas=["bsb_area"]), missing=[]))
    events, _ = validate(ValidateTriageForm(), active_loop="triage_form", slots=FILLED_IN_BD3)
    assert events == []


def test_an_eligibility_check_in_a_split_district_asks_for_more_once(api: FakeApi) -> None:
    api.on("POST", "/api/v1/recommendations", 200,
           dict(REFERRAL, postcode=SPLIT, lmm_eligible=None, missing=["postcode", "concerns"]))
    slots = {"age": "14 months old", "postcode": "BD3"}
    events, _ = validate(ValidateEligibilityForm(), active_loop="eligibility_form", slots=slots)
    assert events == [SlotSet("requested_slot", "postcode")]
    assert api.sent_json("/api/v1/recommendations") == [{"age": "14 months old", "postcode": "BD3"}]
    events, _ = validate(ValidateEligibilityForm(), active_loop="eligibility_form",
                         slots={**slots, "asked_fuller_postcode": True})
    assert events == []


CORE = {"age": "4 months old", "postcode": "BD3 9", "concerns": ["bonding"], **KNOWN_ASKER}


def test_the_safety_check_comes_once_the_core_is_known_before_any_answer(api: FakeApi) -> None:
    api.on("POST", "/api/v1/recommendations", 200,
           dict(REFERRAL, tier="lmm_consultation", missing=["duration"],
                safety_questions=["Has the baby been hurt?"]))
    events, dispatcher = validate(ValidateTriageForm(), active_loop="triage_form", slots=CORE)
    assert events == [SlotSet("requested_slot", "safety_check")]
    assert dispatcher.messages == [], "no answer, not even the answer so far, before the check"


def test_none_of_these_carries_on_to_the_extras_with_the_answer_so_far(api: FakeApi) -> None:
    api.on("POST", "/api/v1/recommendations", 200,
           dict(REFERRAL, tier="lmm_consultation", missing=["duration"]))
    events, dispatcher = validate(
        ValidateTriageForm(), text="/deny", intent="deny", active_loop="triage_form",
        slots={**CORE, "requested_slot": "safety_check", "safety_check": "none_apply",
               "last_asked": "safety_check", "asked_in_a_row": 1},
        events=[{"event": "slot", "name": "safety_check", "value": "none_apply"}],
    )
    assert events == [SlotSet("safety_check", "none_apply"), SlotSet("requested_slot", "duration")]
    assert api.sent_json("/api/v1/recommendations")[-1]["safety_check"] == "none_apply"
    assert dispatcher.messages[0]["text"].startswith("My suggestion so far")


def test_yes_or_not_sure_at_the_safety_check_ends_the_form_for_the_urgent_answer(
    api: FakeApi,
) -> None:
    for answer in ("some_apply", "not_sure"):
        events, dispatcher = validate(
            ValidateTriageForm(), text="/affirm", intent="affirm", active_loop="triage_form",
            slots={**CORE, "requested_slot": "safety_check", "safety_check": answer},
            events=[{"event": "slot", "name": "safety_check", "value": answer}],
        )
        assert events == [SlotSet("safety_check", answer), SlotSet("requested_slot", None)]
        assert dispatcher.messages == []
    assert api.requests == [], "action_recommend asks the engine, with the answer"


def test_an_answered_safety_check_is_not_asked_again(api: FakeApi) -> None:
    api.on("POST", "/api/v1/recommendations", 200, REFERRAL)
    events, _ = validate(ValidateTriageForm(), active_loop="triage_form",
                         slots={**CORE, "safety_check": "none_apply",
                                "consent_to_referral": True})
    assert events == [], "nothing missing: the form finishes and action_recommend answers"


def test_an_unreadable_safety_answer_is_asked_again(api: FakeApi) -> None:
    api.on("POST", "/api/v1/recommendations", 200, dict(REFERRAL, missing=[]))
    events, dispatcher = validate(
        ValidateTriageForm(), text="what do you mean", intent="nlu_fallback",
        active_loop="triage_form",
        slots={**CORE, "requested_slot": "safety_check", "safety_check": "what do you mean",
               "last_asked": "safety_check", "asked_in_a_row": 1},
        events=[{"event": "slot", "name": "safety_check", "value": "what do you mean"}],
    )
    assert events == [SlotSet("safety_check", None), SlotSet("requested_slot", "safety_check")]
    assert "None of these" in dispatcher.messages[0]["text"]


def test_the_safety_check_is_never_asked_a_third_time_it_is_taken_as_not_sure(
    api: FakeApi,
) -> None:
    api.on("POST", "/api/v1/recommendations", 200, dict(REFERRAL, missing=[]))
    events, dispatcher = validate(
        ValidateTriageForm(), text="hmm", intent="nlu_fallback", active_loop="triage_form",
        slots={**CORE, "requested_slot": "safety_check", "safety_check": "hmm",
               "last_asked": "safety_check", "asked_in_a_row": 2},
        events=[{"event": "slot", "name": "safety_check", "value": "hmm"}],
    )
    assert events == [SlotSet("safety_check", None), SlotSet("safety_check", "not_sure"),
                      SlotSet("requested_slot", None)]
    assert 'taking it as "not sure"' in dispatcher.messages[-1]["text"]


def test_an_age_that_fails_twice_is_not_asked_a_third_time(api: FakeApi) -> None:
    api.on("POST", "/api/v1/recommendations", 422, AGE_ERROR)
    events, dispatcher = validate(
        ValidateTriageForm(), text="sausages", intent="inform", active_loop="triage_form",
        slots={"requested_slot": "age", "age": "sausages", "last_asked": "age",
               "asked_in_a_row": 2},
        events=[{"event": "slot", "name": "age", "value": "sausages"}],
    )
    assert events == [SlotSet("age", None), SlotSet("age", "unknown")]
    assert [m["text"] for m in dispatcher.messages] == [
        AGE_ERROR["errors"][0]["message"],
        "I will carry on without the baby's age: tell me at any point if you find out.",
    ]


def test_a_question_asked_twice_around_an_interruption_is_not_asked_a_third_time(
    api: FakeApi,
) -> None:
    """After "why?" (nothing filled) the form steps aside for the answer, and
    coming back it would ask the same question a third time: it carries on."""
    api.on("POST", "/api/v1/recommendations", 200, dict(REFERRAL, missing=["postcode"]))
    asked_twice = {"requested_slot": "postcode", "age": "4 months old", "concerns": ["bonding"],
                   "last_asked": "postcode", "asked_in_a_row": 2}
    message = [{"event": "action", "name": "action_listen"}, {"event": "user", "text": "why?"},
               {"event": "action", "name": "action_extract_slots"}]
    events, dispatcher = validate(
        ValidateTriageForm(), text="why do you need that", intent="why_asking",
        active_loop="triage_form", slots=asked_twice,
        events=message + [{"event": "action", "name": "triage_form"}],
    )
    assert events == [] and dispatcher.messages == [], "Rasa's rules answer the question first"
    events, dispatcher = validate(
        ValidateTriageForm(), text="why do you need that", intent="why_asking",
        active_loop="triage_form", slots=asked_twice,
        events=message + [{"event": "action", "name": "action_explain_asking"},
                          {"event": "action", "name": "triage_form"}],
    )
    assert events == [SlotSet("postcode", "unknown"), SlotSet("requested_slot", "safety_check")]
    assert dispatcher.messages[0]["text"].startswith("I will carry on without the postcode")


def test_the_second_ask_is_still_allowed(api: FakeApi) -> None:
    events, _ = validate(
        ValidateTriageForm(), text="why do you need that", intent="why_asking",
        active_loop="triage_form",
        slots={"requested_slot": "postcode", "age": "4 months old", "concerns": ["bonding"],
               "last_asked": "postcode", "asked_in_a_row": 1},
    )
    assert events == []


def test_who_is_asking_is_asked_once_before_an_answer_involving_lmm(api: FakeApi) -> None:
    api.on("POST", "/api/v1/recommendations", 200,
           dict(REFERRAL, tier="lmm_consultation", missing=["duration"]))
    unknown = {key: value for key, value in CORE.items() if key != "asker"}
    answered = {**unknown, "safety_check": "none_apply"}
    events, _ = validate(ValidateTriageForm(), active_loop="triage_form", slots=answered)
    assert events == [SlotSet("requested_slot", "asker")]
    # asked before (after a greeting, or skipped): never again
    events, _ = validate(ValidateTriageForm(), active_loop="triage_form",
                         slots={**answered, "asked_asker": True})
    assert SlotSet("requested_slot", "asker") not in events


def test_who_is_asking_is_not_asked_when_the_answer_does_not_involve_lmm(api: FakeApi) -> None:
    api.on("POST", "/api/v1/recommendations", 200, dict(REFERRAL, tier="signpost", missing=[]))
    unknown = {key: value for key, value in CORE.items() if key != "asker"}
    events, _ = validate(ValidateTriageForm(), active_loop="triage_form",
                         slots={**unknown, "safety_check": "none_apply"})
    assert SlotSet("requested_slot", "asker") not in events


def test_a_reply_that_is_not_a_role_carries_on_without_it(api: FakeApi) -> None:
    api.on("POST", "/api/v1/recommendations", 200,
           dict(REFERRAL, tier="lmm_consultation", missing=[]))
    unknown = {key: value for key, value in CORE.items() if key != "asker"}
    events, _ = validate(
        ValidateTriageForm(), text="she has been like this for months", intent="inform",
        active_loop="triage_form",
        slots={**unknown, "safety_check": "none_apply", "requested_slot": "asker",
               "asked_asker": True, "last_asked": "asker", "asked_in_a_row": 1},
    )
    assert SlotSet("asker", "unknown") in events
    assert SlotSet("requested_slot", "asker") not in events
