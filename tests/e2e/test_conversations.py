"""Whole conversations through POST /api/v1/chat against the real trained
model, the action server and the api's engine."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Chat, text_of
from tests.support.stack import running_stack

pytestmark = [pytest.mark.bot, pytest.mark.slow]


def answer_until_recommendation(
    chat: Chat, first: str, answers: dict[str, str]
) -> dict[str, Any]:
    """Send ``first``, then answer whatever the bot asks from ``answers`` until
    it gives its final recommendation (at most 6 turns)."""
    reply = chat(first)
    for _ in range(6):
        if reply["asking"] is None:
            return reply
        asking = reply["asking"]
        assert asking in answers, f"unexpected question {asking}: {text_of(reply)}"
        reply = chat(answers[asking])
    raise AssertionError(f"no recommendation after 6 turns: {text_of(reply)}")


def test_one_message_gets_a_recommendation_straight_away(chat: Chat) -> None:
    reply = chat("Mum of a 4 month old in BD3 9 can't bond with him, happy to be referred")
    recommendation = reply["recommendation"]
    assert recommendation is not None, text_of(reply)
    assert recommendation["tier"] in ("lmm_referral", "lmm_consultation")
    assert recommendation["age"]["months"] == 4
    assert any(c["code"] == "bonding" for c in recommendation["concerns"])
    assert "Little Minds Matter" in text_of(reply)
    assert reply["handover"] and "9LF" not in reply["handover"]
    assert reply["asking"] in (None, "duration"), "at most the engine's one follow-up question"
    # Each message says what it is, so the page can fold the answer's text
    # under its cards and keep a question asked on the same turn in view.
    kinds = [m["kind"] for m in reply["messages"]]
    assert kinds[0] == "recommendation" and "handover" in kinds, kinds
    question = [m for m in reply["messages"] if m["kind"] == "text"]
    assert len(question) == (1 if reply["asking"] else 0), kinds


def test_lmm_referral_after_the_bot_asks_what_is_missing(chat: Chat) -> None:
    reply = chat("HV here, baby is 6 wks and mum is really struggling to bond")
    assert reply["asking"] == "postcode", text_of(reply)
    reply = answer_until_recommendation(
        chat, "bd39lf", {"duration": "since the birth", "consent_to_referral": "yes they agree"}
    )
    assert reply["recommendation"]["tier"] == "lmm_referral", text_of(reply)
    assert reply["recommendation"]["lmm_eligible"] is True
    assert reply["recommendation"]["postcode"]["normalised"] == "BD3 9"
    assert "Does:" in text_of(reply) and "How to refer:" in text_of(reply)


def test_lmm_consultation_when_the_family_has_not_agreed(chat: Chat) -> None:
    reply = answer_until_recommendation(
        chat,
        "mum of a 5 month old in BD5 0, mild worries about bonding, she doesn't want a referral",
        {"duration": "a couple of weeks", "consent_to_referral": "no"},
    )
    assert reply["recommendation"]["tier"] == "lmm_consultation", text_of(reply)


def test_signpost_for_a_baby_over_two(chat: Chat) -> None:
    reply = answer_until_recommendation(
        chat, "26 month old in BD8, parents worried about bonding", {}
    )
    recommendation = reply["recommendation"]
    assert recommendation["tier"] == "signpost", text_of(reply)
    assert recommendation["lmm_eligible"] is False
    assert not any(s["id"].startswith("lmm-") and s["role"] == "primary"
                   for s in recommendation["services"])


def test_urgent_for_a_red_flag_in_the_middle_of_the_form(chat: Chat) -> None:
    reply = chat("8 week old in BD3")
    assert reply["asking"] == "concerns", text_of(reply)
    reply = chat("there's a bruise on his cheek and he isn't rolling yet")
    assert reply["recommendation"]["tier"] == "urgent", text_of(reply)
    assert reply["asking"] is None
    assert text_of(reply).startswith("URGENT")
    assert {m["kind"] for m in reply["messages"]} == {"urgent", "handover"}
    ids = [s["id"] for s in reply["recommendation"]["services"]]
    assert "childrens-social-care" in ids
    # The form is over: a new message is not taken as the answer to a question.
    after = chat("thanks")
    assert after["asking"] is None


def test_a_split_postcode_district_gets_one_request_for_more(chat: Chat) -> None:
    reply = chat("4 month old in BD3, mum can't bond with him, happy to be referred")
    assert reply["asking"] == "postcode", text_of(reply)
    assert "full postcode" in text_of(reply) and "Leeds" in text_of(reply), text_of(reply)
    reply = answer_until_recommendation(
        chat, "BD3 9LF", {"duration": "since the birth", "consent_to_referral": "yes"}
    )
    recommendation = reply["recommendation"]
    assert recommendation["postcode"]["normalised"] == "BD3 9", text_of(reply)
    assert recommendation["lmm_eligible"] is True
    assert "9LF" not in reply["handover"]


def test_not_knowing_the_full_postcode_is_accepted_and_not_asked_again(chat: Chat) -> None:
    reply = chat("is this family eligible for little minds matter?")
    reply = chat("14 months")
    assert reply["asking"] == "postcode", text_of(reply)
    reply = chat("BD3")
    assert reply["asking"] == "postcode" and "full postcode" in text_of(reply), text_of(reply)
    reply = chat("I don't know")
    assert reply["asking"] is None, text_of(reply)
    assert text_of(reply).startswith("I cannot say yet"), text_of(reply)


def test_eligibility_check_for_a_volunteer(chat: Chat) -> None:
    reply = chat("is this family eligible for little minds matter?")
    assert reply["asking"] == "age", text_of(reply)
    reply = chat("14 months")
    assert reply["asking"] == "postcode", text_of(reply)
    reply = chat("LS28 7")
    assert reply["asking"] is None
    assert text_of(reply).startswith("No: this family is not eligible"), text_of(reply)


def test_a_service_question_is_answered_from_the_knowledge_base(chat: Chat) -> None:
    reply = chat("what does first response do?")
    text = text_of(reply)
    assert "First Response" in text and "0800 952 1181" in text, text


def test_a_correction_changes_the_answer(chat: Chat) -> None:
    first = answer_until_recommendation(
        chat, "mum of a 5 month old in BD8 9, not bonding since birth, happy to be referred",
        {"duration": "since birth", "consent_to_referral": "yes"},
    )
    assert first["recommendation"]["lmm_eligible"] is True, text_of(first)
    reply = chat("sorry, she's actually 25 months")
    assert reply["recommendation"]["age"]["months"] == 25, text_of(reply)
    assert reply["recommendation"]["lmm_eligible"] is False
    assert reply["recommendation"]["tier"] == "signpost"


def test_an_unreadable_answer_is_re_asked_with_a_way_out(chat: Chat) -> None:
    chat("worried about a baby, mum very low")
    reply = chat("banana")
    assert reply["asking"] == "age", text_of(reply)
    assert "Try" in text_of(reply) or "weeks" in text_of(reply)
    reply = chat("sausages")
    assert {"title": "I don't know", "payload": "/dont_know"} in reply["messages"][-1]["buttons"]


def test_api_proxy_answers_503_with_contacts_when_rasa_is_down(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # A second api whose Rasa is not running: the shared stack stays up.
    with running_stack(tmp_path_factory.mktemp("no-rasa"), with_bot=False) as lonely:
        response = httpx.post(
            f"{lonely.api_url}/api/v1/chat",
            json={"sender_id": "e2e-down", "message": "mum says she wants to kill herself"},
            timeout=30,
        )
    assert response.status_code == 503
    body = response.json()
    text = "\n".join(m["text"] for m in body["messages"])
    assert "999" in text and "0800 952 1181" in text
    assert body["recommendation"]["tier"] == "urgent", "the engine still spots the red flag"
