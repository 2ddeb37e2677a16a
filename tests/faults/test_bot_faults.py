"""The chat when a part of the bot fails: a Rasa instance killed, the action
server stopped, Redis (the tracker and lock store) stopped and started again.
Real processes throughout (tests/faults/conftest.py)."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from tests.faults.conftest import SETUP_TIMEOUT_SECONDS, Chat, Faults, kill, text_of

pytestmark = [pytest.mark.bot, pytest.mark.slow, pytest.mark.postgres,
              pytest.mark.timeout(SETUP_TIMEOUT_SECONDS)]

NONE_OF_THESE = "/deny"  # the safety check's "None of these" button


def assert_contacts(response: httpx.Response) -> dict[str, Any]:
    """A clear 503: the error body with the direct contacts (999, children's
    social care, Little Minds Matter)."""
    assert response.status_code == 503, response.text
    body: dict[str, Any] = response.json()
    assert body["detail"] and body["errors"] == []
    text = text_of(body)
    for contact in ("999", "01274 435600", "Little Minds Matter"):
        assert contact in text, text
    return body


def ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["messages"], "an answer with something in it"
    return body


def test_a_killed_rasa_instance_is_replaced_by_the_other_mid_conversation(
    faults: Faults, chat: Chat
) -> None:
    live = [name for name in faults.rasa_proxies if name in faults.stack.processes]
    assert len(live) == 2, "both Rasa instances running"
    reply = ok(chat("HV here, baby is 6 wks and mum is really struggling to bond"))
    assert reply["asking"] == "postcode", text_of(reply)

    before = {name: proxy.bytes_down for name, proxy in faults.rasa_proxies.items()}
    reply = ok(chat("BD3 9LF"))
    served = [name for name, proxy in faults.rasa_proxies.items()
              if proxy.bytes_down > before[name]]
    assert len(served) == 1, served
    killed, other = served[0], next(n for n in faults.rasa_proxies if n != served[0])
    kill(faults.stack, killed)

    # The next turns are answered by the other instance, which knows the
    # conversation from the shared Redis store: the age and postcode given
    # earlier are in the final answer.
    answers = {"safety_check": NONE_OF_THESE, "duration": "since the birth",
               "consent_to_referral": "yes they agree",
               "asker": '/tell_role{"asker":"health_visitor_or_midwife"}'}
    before_other = faults.rasa_proxies[other].bytes_down
    for _ in range(5):
        if reply["asking"] is None:
            break
        assert reply["asking"] in answers, f"asked {reply['asking']} again: {text_of(reply)}"
        started = time.monotonic()
        reply = ok(chat(answers[reply["asking"]]))
        assert time.monotonic() - started < 3, "no wait on the dead instance"
    assert faults.rasa_proxies[other].bytes_down > before_other
    recommendation = reply["recommendation"]
    assert recommendation is not None, text_of(reply)
    assert recommendation["age"]["weeks"] == 6, recommendation["age"]
    assert recommendation["postcode"]["normalised"] == "BD3 9"
    assert recommendation["tier"] == "lmm_referral", text_of(reply)


def test_the_action_server_stopped_gives_the_contacts_and_red_flags_still_caught(
    faults: Faults, chat: Chat
) -> None:
    ok(chat("8 week old in BD3"))
    faults.stack.stop("actions")
    try:
        started = time.monotonic()
        response = chat("mum is really struggling to bond with him")
        assert time.monotonic() - started < 2, "a clear answer within 2 s"
        body = assert_contacts(response)
        assert body["recommendation"] is None

        started = time.monotonic()
        response = chat("there's a bruise on his cheek")
        assert time.monotonic() - started < 2
        assert response.status_code in (200, 503), response.text
        body = response.json()
        assert body["recommendation"]["tier"] == "urgent", "the api's own red-flag screen"
        assert text_of(body).startswith("URGENT"), text_of(body)
        assert "01274 435600" in text_of(body)
    finally:
        faults.start_actions()
    ok(chat("/start_again"))


def test_redis_stopped_gives_the_contacts_and_started_again_works_with_no_restart(
    faults: Faults, chat: Chat
) -> None:
    ok(chat("8 week old in BD3"))
    kill(faults.stack, "redis")
    try:
        started = time.monotonic()
        response = chat("mum is really struggling to bond with him")
        assert time.monotonic() - started < 2, "a clear answer within 2 s"
        assert_contacts(response)
    finally:
        faults.start_redis()  # the same port: nothing else is restarted
    # Redis here keeps nothing on disk, so the conversation starts afresh.
    reply = ok(chat("8 week old in BD3, mum can't bond with him"))
    assert reply["asking"] is not None or reply["recommendation"] is not None, text_of(reply)
