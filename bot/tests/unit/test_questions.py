"""Service questions, eligibility checks and the form's questions (the safety
check, and the buttons and a person offered when a question comes again)."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.asking import (
    ActionAskAge,
    ActionAskConcerns,
    ActionAskConsentToReferral,
    ActionAskDuration,
    ActionAskPostcode,
    ActionAskSafetyCheck,
)
from actions.conversation import ActionExplainAsking
from actions.eligibility import ActionCheckEligibility
from actions.services import ActionLmmOffer, ActionServiceInfo

from .conftest import DOMAIN, FakeApi, tracker
from .samples import HEALTH_VISITING, HOME_START, REFERRAL


def run(action: Any, **tracker_args: Any) -> tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker(**tracker_args), DOMAIN))
    return events, dispatcher.messages


def test_a_service_question_is_answered_from_the_knowledge_base(api: FakeApi) -> None:
    api.on("POST", "/api/v1/services/find", 200, [HOME_START])
    events, messages = run(ActionServiceInfo(), text="does home start see pregnant women?",
                           intent="ask_service")
    assert events == [SlotSet("last_service", "home-start")]
    assert messages[0]["text"] == (
        "Yes: Home-Start Bradford sees expectant parents as well as families after the birth."
    )
    assert "Does: Weekly volunteer visits" in messages[-1]["text"]


def test_the_engine_finds_the_service_by_name(api: FakeApi) -> None:
    """The bot keeps no name search: it asks the engine's (in a POST body, not a URL)."""
    api.on("POST", "/api/v1/services/find", 200, [HOME_START, HEALTH_VISITING])
    _, messages = run(ActionServiceInfo(), text="what does Better Start home-start do",
                      intent="ask_service")
    assert api.sent_json("/api/v1/services/find") == [
        {"text": "what does Better Start home-start do"}
    ]
    assert "Home-Start Bradford" in messages[-1]["text"]
    assert all("home-start" not in str(r.url).lower() for r in api.requests)


def test_an_unknown_service_lists_what_is_known(api: FakeApi) -> None:
    api.on("POST", "/api/v1/services/find", 200, [])
    api.on("GET", "/api/v1/services", 200, [HEALTH_VISITING, HOME_START])
    events, messages = run(ActionServiceInfo(), text="what does zumba do", intent="ask_service")
    assert events == []
    assert messages[0]["text"].startswith("I could not tell which service you mean.")
    assert "Home-Start Bradford" in messages[0]["text"]


def test_consultation_question_shows_lmm_consultation(api: FakeApi) -> None:
    api.on("GET", "/api/v1/services/lmm-consultation", 200,
           dict(HOME_START, id="lmm-consultation", name="LMM consultation"))
    events, messages = run(ActionLmmOffer(), text="how do I book a consultation",
                           intent="ask_consultation")
    assert events == [SlotSet("last_service", "lmm-consultation")]
    assert messages[-1]["text"].startswith("LMM consultation")


def test_eligibility_no_says_where_to_go_instead(api: FakeApi) -> None:
    api.on("POST", "/api/v1/recommendations", 200, dict(
        REFERRAL, tier="signpost", lmm_eligible=False,
        eligibility_reasons=["LS28 is in Leeds, outside Bradford District."],
        services=[dict(REFERRAL["services"][0], id="leeds-la", name="Leeds infant mental health",
                       how_to_refer="Via Leeds health visiting")],
    ))
    _, messages = run(ActionCheckEligibility(), slots={"age": "3 months old", "postcode": "LS28"})
    assert api.sent_json("/api/v1/recommendations") == [{"age": "3 months old", "postcode": "LS28"}]
    text = messages[0]["text"]
    assert text.startswith("No: this family is not eligible for Little Minds Matter.")
    assert "LS28 is in Leeds" in text
    assert "- Leeds infant mental health: Via Leeds health visiting" in text


def test_questions_say_which_slot_they_ask_for(api: FakeApi) -> None:
    api.on("GET", "/api/v1/concerns", 200, [
        {"code": "bonding", "label": "Difficulty bonding", "red_flag": False,
         "tiers": ["lmm_referral", "lmm_consultation"]},
        {"code": "injury_non_mobile", "label": "Bruise", "red_flag": True, "tiers": ["urgent"]},
        {"code": "housing", "label": "Housing", "red_flag": False, "tiers": ["signpost"]},
    ])
    events, messages = run(ActionAskConcerns(), active_loop="triage_form")
    assert events == [SlotSet("last_asked", "concerns"), SlotSet("asked_in_a_row", 1)]
    assert messages[0]["custom"] == {"asking": "concerns"}
    assert messages[0]["buttons"] == [
        {"title": "Difficulty bonding", "payload": '/inform{"concern":"bonding"}'},
        {"title": "Something else / not sure", "payload": "/dont_know"},
    ]
    _, messages = run(ActionAskPostcode(), active_loop="triage_form")
    assert messages[0]["custom"] == {"asking": "postcode"}


def test_why_asking_explains_the_slot_being_asked(api: FakeApi) -> None:
    _, messages = run(ActionExplainAsking(), text="why?", intent="why_asking",
                      active_loop="triage_form", slots={"requested_slot": "postcode"})
    assert "Bradford District" in messages[0]["text"]


SPLIT_BD3 = {
    "normalised": "BD3", "areas": ["united_kingdom"],
    "possible_areas": ["bradford_district", "leeds", "bsb_area"], "certainty": "district",
    "note": "Split: mostly Bradford District, but some Thornbury streets are in Leeds.",
}


def test_a_split_district_is_asked_for_more_once_with_the_engines_note(api: FakeApi) -> None:
    api.on("POST", "/api/v1/postcodes", 200, SPLIT_BD3)
    events, messages = run(ActionAskPostcode(), active_loop="triage_form",
                           slots={"postcode": "BD3", "requested_slot": "postcode"})
    assert events == [SlotSet("last_asked", "postcode"), SlotSet("asked_in_a_row", 1),
                      SlotSet("asked_fuller_postcode", True)]
    assert messages[0]["text"].startswith(SPLIT_BD3["note"] + "\nWhat is the family's full postcode")
    assert 'for example "BD3 9"' in messages[0]["text"]
    assert messages[0]["custom"] == {"asking": "postcode"}
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/dont_know"]


def test_after_asking_once_the_postcode_question_is_the_ordinary_one(api: FakeApi) -> None:
    events, messages = run(ActionAskPostcode(), active_loop="triage_form",
                           slots={"postcode": None, "asked_fuller_postcode": True})
    assert messages[0]["text"].startswith("What is the family's postcode?")
    assert events == [SlotSet("last_asked", "postcode"), SlotSet("asked_in_a_row", 1)]
    assert api.requests == []


PERSON = {"title": "Speak to a person", "payload": "/human_handoff"}
DONT_KNOW = {"title": "I don't know", "payload": "/dont_know"}
CHOICES = [{"code": "bonding", "label": "Difficulty bonding with the baby"},
           {"code": "low_mood", "label": "Parent's low mood or depression"}]


def test_a_description_with_nothing_recognised_gets_the_engines_choices(api: FakeApi) -> None:
    api.on("POST", "/api/v1/recommendations", 200,
           dict(REFERRAL, tier="signpost", concerns=[], recognised=False, choices=CHOICES))
    events, messages = run(ActionAskConcerns(), active_loop="triage_form",
                           slots={"description": "worried about this family"})
    assert api.sent_json("/api/v1/recommendations") == [
        {"concerns": [], "description": "worried about this family"}]
    assert messages[0]["buttons"] == [
        {"title": "Difficulty bonding with the baby", "payload": '/inform{"concern":"bonding"}'},
        {"title": "Parent's low mood or depression", "payload": '/inform{"concern":"low_mood"}'},
        {"title": "Something else / not sure", "payload": "/dont_know"},
    ]
    assert events == [SlotSet("last_asked", "concerns"), SlotSet("asked_in_a_row", 1)]


def test_the_second_ask_in_a_row_adds_a_person(api: FakeApi) -> None:
    api.on("POST", "/api/v1/recommendations", 200,
           dict(REFERRAL, recognised=False, choices=CHOICES))
    events, messages = run(ActionAskConcerns(), active_loop="triage_form",
                           slots={"last_asked": "concerns", "asked_in_a_row": 1})
    assert events == [SlotSet("last_asked", "concerns"), SlotSet("asked_in_a_row", 2)]
    assert messages[0]["buttons"][-2:] == [
        {"title": "Something else / not sure", "payload": "/dont_know"}, PERSON]


def test_the_age_asked_again_offers_pregnant_i_dont_know_and_a_person(api: FakeApi) -> None:
    events, messages = run(ActionAskAge(), active_loop="triage_form")
    assert messages[0]["buttons"] == [], "the first time, in the practitioner's own words"
    assert events == [SlotSet("last_asked", "age"), SlotSet("asked_in_a_row", 1)]
    events, messages = run(ActionAskAge(), active_loop="triage_form",
                           slots={"last_asked": "age", "asked_in_a_row": 1})
    assert messages[0]["buttons"] == [
        {"title": "Pregnant", "payload": '/inform{"age":"pregnant"}'}, DONT_KNOW, PERSON]
    assert messages[0]["custom"] == {"asking": "age"}
    assert events == [SlotSet("last_asked", "age"), SlotSet("asked_in_a_row", 2)]


def test_a_different_question_in_between_starts_the_count_again(api: FakeApi) -> None:
    events, messages = run(ActionAskAge(), active_loop="triage_form",
                           slots={"last_asked": "postcode", "asked_in_a_row": 2})
    assert messages[0]["buttons"] == []
    assert events == [SlotSet("last_asked", "age"), SlotSet("asked_in_a_row", 1)]


def test_other_questions_asked_again_offer_their_choices_and_a_person(api: FakeApi) -> None:
    again = {"asked_in_a_row": 1}
    _, messages = run(ActionAskPostcode(), slots={**again, "last_asked": "postcode",
                                                  "asked_fuller_postcode": True})
    assert messages[0]["buttons"] == [DONT_KNOW, PERSON]
    _, messages = run(ActionAskDuration(), slots={**again, "last_asked": "duration"})
    assert [b["title"] for b in messages[0]["buttons"]] == [
        "A few days", "A few weeks", "A few months", "Since the birth", "I don't know",
        "Speak to a person"]
    _, messages = run(ActionAskConsentToReferral(),
                      slots={**again, "last_asked": "consent_to_referral"})
    assert [b["title"] for b in messages[0]["buttons"]] == [
        "Yes, they agree", "No", "Not asked yet", "Speak to a person"]


QUESTIONS = ["Has the baby been hurt, shaken or handled roughly?",
             "Has a parent spoken of suicide or of harming themselves or the baby?"]


def test_the_safety_check_lists_the_engines_questions_with_three_answers(api: FakeApi) -> None:
    api.on("POST", "/api/v1/recommendations", 200,
           dict(REFERRAL, tier="lmm_consultation", safety_questions=QUESTIONS))
    events, messages = run(ActionAskSafetyCheck(), active_loop="triage_form",
                           slots={"age": "4 months old", "postcode": "BD3 9",
                                  "concerns": ["bonding"]})
    assert api.sent_json("/api/v1/recommendations") == [
        {"concerns": ["bonding"], "age": "4 months old", "postcode": "BD3 9"}]
    assert messages == [{
        "text": "Before I give my answer, a safety check. Does any of these apply to this "
                "family now?\n- " + QUESTIONS[0] + "\n- " + QUESTIONS[1],
        "buttons": [{"title": "None of these", "payload": "/deny"},
                    {"title": "Yes", "payload": "/affirm"},
                    {"title": "Not sure", "payload": "/dont_know"}],
        "custom": {"asking": "safety_check"},
        "template": None, "response": None, "image": None, "attachment": None,
        "elements": [],
    }]
    assert events == [SlotSet("last_asked", "safety_check"), SlotSet("asked_in_a_row", 1)]


def test_the_safety_check_asked_again_adds_a_person(api: FakeApi) -> None:
    api.on("POST", "/api/v1/recommendations", 200, dict(REFERRAL, safety_questions=QUESTIONS))
    _, messages = run(ActionAskSafetyCheck(), active_loop="triage_form",
                      slots={"last_asked": "safety_check", "asked_in_a_row": 1})
    assert [b["title"] for b in messages[0]["buttons"]] == [
        "None of these", "Yes", "Not sure", "Speak to a person"]


def test_the_safety_check_is_still_asked_when_the_api_is_down(api_down: None) -> None:
    events, messages = run(ActionAskSafetyCheck(), active_loop="triage_form")
    assert "in danger or at risk of harm now" in messages[0]["text"]
    assert messages[0]["custom"] == {"asking": "safety_check"}
    assert events == [SlotSet("last_asked", "safety_check"), SlotSet("asked_in_a_row", 1)]
