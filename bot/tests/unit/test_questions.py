"""Service questions, eligibility checks and the form's questions."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.asking import ActionAskConcerns, ActionAskPostcode
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
    api.on("GET", "/api/v1/services", 200, [HEALTH_VISITING, HOME_START])
    events, messages = run(ActionServiceInfo(), text="does home start see pregnant women?",
                           intent="ask_service")
    assert events == [SlotSet("last_service", "home-start")]
    assert messages[0]["text"] == (
        "Yes: Home-Start Bradford sees expectant parents as well as families after the birth."
    )
    assert "Does: Weekly volunteer visits" in messages[-1]["text"]


def test_a_former_name_finds_the_current_service(api: FakeApi) -> None:
    api.on("GET", "/api/v1/services", 200, [HEALTH_VISITING, HOME_START])
    _, messages = run(ActionServiceInfo(), text="what does Better Start home-start do",
                      intent="ask_service")
    assert "Home-Start Bradford" in messages[-1]["text"]


def test_an_unknown_service_lists_what_is_known(api: FakeApi) -> None:
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
    assert events == [SlotSet("last_asked", "concerns")]
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
    api.on("GET", "/api/v1/postcodes/BD3", 200, SPLIT_BD3)
    events, messages = run(ActionAskPostcode(), active_loop="triage_form",
                           slots={"postcode": "BD3", "requested_slot": "postcode"})
    assert events == [SlotSet("last_asked", "postcode"), SlotSet("asked_fuller_postcode", True)]
    assert messages[0]["text"].startswith(SPLIT_BD3["note"] + "\nWhat is the family's full postcode")
    assert 'for example "BD3 9"' in messages[0]["text"]
    assert messages[0]["custom"] == {"asking": "postcode"}
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/dont_know"]


def test_after_asking_once_the_postcode_question_is_the_ordinary_one(api: FakeApi) -> None:
    events, messages = run(ActionAskPostcode(), active_loop="triage_form",
                           slots={"postcode": None, "asked_fuller_postcode": True})
    assert messages[0]["text"].startswith("What is the family's postcode?")
    assert events == [SlotSet("last_asked", "postcode")]
    assert api.requests == []
