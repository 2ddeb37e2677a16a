"""Who is asking, in whole conversations through POST /api/v1/chat against the
trained model, the action server and the engine: said in the first message
or asked once after a greeting (with buttons), remembered for the
conversation, and a volunteer's answer is the volunteer route; a red flag is
urgent at once, before any question."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import Chat, text_of

pytestmark = [pytest.mark.bot, pytest.mark.slow]

NONE_OF_THESE = "/deny"
VOLUNTEER_BUTTON = '/tell_role{"asker":"volunteer"}'
LMM_OFFERS = {"lmm-consultation", "lmm-clinical"}


def button_titles(reply: dict[str, Any]) -> list[str]:
    return [b["title"] for m in reply["messages"] for b in m["buttons"]]


def assert_volunteer_answer(reply: dict[str, Any]) -> None:
    recommendation = reply["recommendation"]
    assert recommendation is not None, text_of(reply)
    assert recommendation["tier"] == "signpost", text_of(reply)
    ids = [s["id"] for s in recommendation["services"]]
    assert ids[0] == "health-visiting" and not LMM_OFFERS & set(ids), ids
    steps = " ".join(recommendation["next_steps"])
    assert "designated safeguarding lead" in steps and "call 999" in steps
    assert any(t["rule"] == "V-001" for t in recommendation["trace"])


def test_said_in_the_first_message_it_is_not_asked_and_shapes_the_answer(chat: Chat) -> None:
    reply = chat("I'm a volunteer at a baby group: mum of a 4 month old in BD3 9 can't bond "
                 "with him, happy to be referred")
    assert reply["asking"] == "safety_check", text_of(reply)
    assert "Who are you" not in text_of(reply)
    reply = chat(NONE_OF_THESE)
    assert_volunteer_answer(reply)


def test_asked_once_after_a_greeting_with_buttons_and_remembered(chat: Chat) -> None:
    reply = chat("hi")
    assert reply["asking"] == "asker", text_of(reply)
    assert "Who are you?" in text_of(reply)
    assert button_titles(reply) == [
        "Health visitor or midwife", "Another professional", "Volunteer or voluntary sector",
        "Little Minds Matter staff", "Skip",
    ]
    reply = chat(VOLUNTEER_BUTTON)
    assert reply["asking"] is None
    assert "I will answer for a volunteer" in text_of(reply)
    reply = chat("hello")
    assert reply["asking"] != "asker" and "Who are you" not in text_of(reply), "asked once"
    replies = [chat("mum of a 4 month old in BD3 9 can't bond with him, happy to be referred")]
    while replies[-1]["asking"] is not None and len(replies) < 5:
        assert replies[-1]["asking"] != "asker", text_of(replies[-1])
        replies.append(chat(NONE_OF_THESE if replies[-1]["asking"] == "safety_check"
                            else "since the birth"))
    assert_volunteer_answer(replies[-1])


def test_a_case_instead_of_an_answer_carries_on_and_is_not_asked_again(chat: Chat) -> None:
    reply = chat("hello")
    assert reply["asking"] == "asker", text_of(reply)
    reply = chat("mum of a 4 month old in BD3 9 can't bond with him, happy to be referred")
    assert reply["asking"] == "safety_check", text_of(reply)
    reply = chat(NONE_OF_THESE)
    assert reply["recommendation"]["tier"] in ("lmm_referral", "lmm_consultation")
    assert reply["asking"] != "asker"


def test_a_red_flag_is_urgent_at_once_whoever_is_asking(chat: Chat) -> None:
    reply = chat("HV here, 6 week old in BD5 0, there's a bruise on his cheek")
    assert reply["recommendation"]["tier"] == "urgent", text_of(reply)
    assert reply["asking"] is None
    assert "Who are you" not in text_of(reply)


def test_a_volunteer_with_a_red_flag_gets_the_urgent_answer_first(chat: Chat) -> None:
    reply = chat("hi")
    assert reply["asking"] == "asker"
    chat(VOLUNTEER_BUTTON)
    reply = chat("6 week old in BD5 0, there's a bruise on his cheek")
    recommendation = reply["recommendation"]
    assert recommendation["tier"] == "urgent", text_of(reply)
    assert reply["asking"] is None
    steps = recommendation["next_steps"]
    assert steps[0].startswith("Phone the children's social care front door now"), steps
    assert "designated safeguarding lead" in " ".join(steps)


def test_a_conversation_that_opens_with_a_case_asks_before_an_lmm_answer(chat: Chat) -> None:
    reply = chat("mum of a 4 month old in BD3 9 can't bond with him, happy to be referred")
    assert reply["asking"] == "safety_check", text_of(reply)
    reply = chat(NONE_OF_THESE)
    assert reply["asking"] == "asker" and reply["recommendation"] is None, text_of(reply)
    reply = chat(VOLUNTEER_BUTTON)
    assert_volunteer_answer(reply)


def test_a_case_in_reply_to_who_is_asking_carries_on_without_it(chat: Chat) -> None:
    chat("mum of a 4 month old in BD3 9 can't bond with him, happy to be referred")
    reply = chat(NONE_OF_THESE)
    assert reply["asking"] == "asker", text_of(reply)
    reply = chat("it has been going on since the birth")
    assert reply["asking"] != "asker" and "Who are you" not in text_of(reply), "asked once"
    assert reply["recommendation"] is not None, text_of(reply)
    assert reply["recommendation"]["tier"] in ("lmm_referral", "lmm_consultation")
