"""Recommendations and urgent guidance rendered from the engine's answer."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List

from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.offline import api_down_text
from actions.recommendation import ActionRecommend, ActionUrgentGuidance

from .conftest import DOMAIN, FakeApi, tracker
from .samples import REFERRAL, URGENT

CASE = {
    "age": "4 months old", "postcode": "BD3 9", "concerns": ["bonding"],
    "consent_to_referral": True, "description": "Mum (Jane Smith) of a 4 month old in BD3 9LF",
}


def run(action: Any, **tracker_args: Any) -> tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker(**tracker_args), DOMAIN))
    return events, dispatcher.messages


def test_the_recommendation_spells_out_tier_remit_referral_route_and_contacts(api: FakeApi) -> None:
    api.on("POST", "/api/v1/recommendations", 200, REFERRAL)
    events, messages = run(ActionRecommend(), slots=CASE)
    assert events == []
    assert api.sent_json("/api/v1/recommendations") == [{
        "concerns": ["bonding"], "age": "4 months old", "postcode": "BD3 9",
        "consent_to_referral": True, "description": CASE["description"],
    }]
    text = "\n".join(m["text"] for m in messages)
    for expected in ("Refer to Little Minds Matter", "Why: The baby is under 24 months",
                     "Does: Video Interaction Guidance", "Does not: Crisis care",
                     "How to refer: Professional referral form",
                     "Phone: 01274 000000 (number not confirmed: check before use)",
                     "Details last checked on 31 January 2024. Some details are to be confirmed"):
        assert expected in text
    *answer, last, handover = [m["custom"] for m in messages]
    assert answer and all(custom == {"kind": "recommendation"} for custom in answer)
    assert last == {"kind": "recommendation", "recommendation": REFERRAL}
    assert handover == {"kind": "handover", "handover": messages[-1]["text"]}


def test_the_handover_summary_has_no_names_free_text_or_full_postcode(api: FakeApi) -> None:
    api.on("POST", "/api/v1/recommendations", 200, REFERRAL)
    _, messages = run(ActionRecommend(), slots=CASE)
    handover = messages[-1]["custom"]["handover"]
    assert "Postcode area: BD3 9" in handover
    assert "9LF" not in handover and "Jane" not in handover
    assert "Concerns: Difficulty bonding" in handover
    assert handover == REFERRAL["presentation"]["handover"], "the engine's words, not the bot's"


def test_api_down_gives_the_direct_contacts(api_down: None) -> None:
    _, messages = run(ActionRecommend(), slots=CASE)
    assert [m["text"] for m in messages] == [api_down_text()]
    assert messages[0]["custom"] == {"kind": "contacts"}
    assert "999" in api_down_text() and "0800 952 1181" in api_down_text()


def test_urgent_guidance_ends_any_form_and_asks_the_engine(api: FakeApi) -> None:
    api.on("POST", "/api/v1/recommendations", 200, URGENT)
    events, messages = run(
        ActionUrgentGuidance(), text="there's a bruise on his cheek", intent="red_flag",
        active_loop="triage_form", slots={"requested_slot": "postcode", "age": "6 weeks old"},
        entities=[{"entity": "concern", "value": "injury_non_mobile",
                   "extractor": "EngineRedFlagScreen"}],
    )
    assert events == [
        SlotSet("concerns", ["injury_non_mobile"]),
        SlotSet("red_flag", True),
        SlotSet("description", "there's a bruise on his cheek"),
        SlotSet("requested_slot", None),
        ActiveLoop(None),
    ]
    assert api.sent_json("/api/v1/recommendations") == [{
        "concerns": ["injury_non_mobile"], "age": "6 weeks old",
        "description": "there's a bruise on his cheek",
    }]
    assert messages[0]["text"].startswith("URGENT: act now")
    assert [m["custom"]["kind"] for m in messages] == ["urgent"] * (len(messages) - 1) + [
        "handover"]
    assert "01274 435600" in "\n".join(m["text"] for m in messages)


def test_urgent_guidance_without_the_api_still_gives_999_and_the_front_door(api_down: None) -> None:
    _, messages = run(ActionUrgentGuidance(), text="baby not breathing", intent="red_flag")
    assert [m["text"] for m in messages] == [api_down_text()]
    assert messages[0]["custom"] == {"kind": "contacts"}


def test_the_answer_to_the_safety_check_goes_to_the_engine(api: FakeApi) -> None:
    api.on("POST", "/api/v1/recommendations", 200,
           dict(URGENT, headline="You said a red flag may apply: act now."))
    _, messages = run(ActionRecommend(), slots={**CASE, "safety_check": "not_sure"})
    assert api.sent_json("/api/v1/recommendations")[0]["safety_check"] == "not_sure"
    assert messages[0]["text"].startswith("URGENT: act now")
    assert messages[0]["custom"] == {"kind": "urgent"}


def test_an_answer_given_without_the_safety_check_lists_its_questions(api: FakeApi) -> None:
    questions = ["Has the baby been hurt?", "Is anyone in danger from domestic abuse now?"]
    api.on("POST", "/api/v1/recommendations", 200, dict(REFERRAL, safety_questions=questions))
    _, messages = run(ActionRecommend(), slots=CASE)
    assert "safety_check" not in api.sent_json("/api/v1/recommendations")[0]
    texts = [m["text"] for m in messages]
    assert ("Before acting on this, check that none of these apply (if any does, or you are "
            "not sure, act on it as urgent):\n- Has the baby been hurt?\n"
            "- Is anyone in danger from domestic abuse now?") in texts
