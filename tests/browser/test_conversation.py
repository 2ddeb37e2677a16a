"""Whole conversations on the chat page against the real stack: the api, the
trained Rasa server and the action server (tests/support/stack.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.chat_page import (
    choose_quick_reply_with_keyboard,
    click_quick_reply,
    quick_reply_titles,
    send,
    serious_axe_violations,
)

pytestmark = [pytest.mark.browser, pytest.mark.bot, pytest.mark.slow]

# No consent and no age in the first message, so the bot has questions to ask.
OPENING = (
    "I'm a health visitor. Mum in BD3 9LF has been really struggling to bond with her baby "
    "for months"
)
ANSWERS = {"age": "4 mo", "postcode": "bd39lf"}
# "None of these" answers the safety check (its "Yes" would make the answer urgent).
PREFERRED_REPLIES = ("None of these", "Yes, they agree", "Yes")


def hold_conversation(page: Any, opening: str) -> tuple[dict[str, Any], list[str]]:
    """Answer the bot until it recommends; return its last reply and a transcript."""
    reply = send(page, opening)
    how: list[str] = [f"typed the opening: {opening!r}"]
    for _ in range(10):
        asking = reply.get("asking")
        if reply.get("recommendation"):
            if not asking:
                return reply, how
            assert_question_in_view(page, reply)
            how.append(f"got {reply['recommendation']['tier']!r} and a question")
        titles = quick_reply_titles(page)
        how.append(f"bot asked {asking!r} offering {titles}")
        if asking in ANSWERS:
            reply = send(page, ANSWERS[asking])
            how.append(f"typed {asking}")
        elif titles:
            wanted = next((t for t in PREFERRED_REPLIES if t in titles), titles[0])
            reply = click_quick_reply(page, wanted)
            how.append(f"clicked quick reply {wanted!r}")
        else:
            reply = send(page, "yes, she agrees to a referral")
            how.append("typed yes")
    raise AssertionError(f"no recommendation after 10 turns: {how}; last reply {reply}")


def assert_question_in_view(page: Any, reply: dict[str, Any]) -> None:
    """A question asked on the same turn as a recommendation is not folded away."""
    question = reply["messages"][-1]["text"].splitlines()[0]
    bubble = page.locator(".chat-message--bot").last
    assert question in bubble.inner_text()
    assert bubble.is_visible()


def test_a_whole_conversation_ends_in_cards_and_a_copyable_handover(
    page: Any, chat_stack_url: str
) -> None:
    page.goto(chat_stack_url + "/")
    # Start from the bot's menu, answering it with the keyboard only.
    send(page, "help")
    assert "Describe a family" in quick_reply_titles(page)
    reply = choose_quick_reply_with_keyboard(page, "Describe a family")
    assert reply["_status"] == 200
    assert page.locator(".chat-message--user").last.inner_text().endswith("Describe a family")
    assert page.evaluate("document.activeElement.id") == "chat-input"

    reply, how = hold_conversation(page, OPENING)
    recommendation = reply["recommendation"]
    assert recommendation["tier"] in ("lmm_referral", "lmm_consultation"), how

    block = page.locator(".chat-recommendation").last
    block.wait_for()
    assert block.get_attribute("data-tier") == recommendation["tier"]
    assert recommendation["headline"] in block.inner_text()
    service_cards = block.locator(".chat-service")
    assert service_cards.count() == len(recommendation["services"]) >= 1
    first = recommendation["services"][0]
    assert first["name"] in service_cards.first.inner_text()
    assert "Details last checked on" in service_cards.first.inner_text()
    if any(s.get("needs_verification") for s in recommendation["services"]):
        assert block.get_by_text("To be confirmed").count() >= 1

    summary = block.locator(".chat-handover__text")
    text = summary.input_value()
    assert "BD3 9" in text
    assert "9LF" not in text.upper()
    assert (recommendation.get("age") or {}).get("text", "") in text
    block.get_by_role("button", name="Copy handover summary").click()
    # The clipboard answers asynchronously: wait for the status, then check.
    expect(block.get_by_role("status")).to_have_text(re.compile("^Copied"))
    assert page.evaluate("navigator.clipboard.readText()") == text

    assert serious_axe_violations(page) == []


def test_copy_falls_back_when_the_clipboard_api_is_missing(page: Any, chat_stack_url: str) -> None:
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page.goto(chat_stack_url + "/")
    hold_conversation(page, OPENING)
    block = page.locator(".chat-recommendation").last
    block.get_by_role("button", name="Copy handover summary").click()
    # The clipboard answers asynchronously: wait for the status, then check.
    expect(block.get_by_role("status")).to_have_text(re.compile("^Copied"))


def test_a_red_flag_shows_the_emergency_card_and_is_announced_at_once(
    page: Any, chat_stack_url: str
) -> None:
    page.goto(chat_stack_url + "/")
    reply = send(page, "there's a bruise on the cheek of a 6 week old baby")
    assert reply["recommendation"]["tier"] == "urgent"
    urgent = page.locator(".chat-recommendation[data-tier=urgent]")
    assert urgent.locator(".nhsuk-card--care--emergency").is_visible()
    assert urgent.locator("a[href^='tel:']").count() >= 1
    expect(page.locator("#chat-alert")).to_have_text(re.compile("^Urgent"))
    assert serious_axe_violations(page) == []


def test_a_volunteer_gets_the_volunteer_route_on_a_phone(page: Any, chat_stack_url: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(chat_stack_url + "/")
    reply, how = hold_conversation(
        page, "I volunteer at a baby group. Mum of a 4 month old in BD3 9LF hasn't bonded "
              "with him since birth, she'd like help")
    recommendation = reply["recommendation"]
    assert recommendation["tier"] == "signpost", how
    answer = page.locator(".chat-recommendation").last
    text = answer.inner_text()
    # what to do and whom to tell, never "consult LMM" or "refer to LMM" themselves
    assert "health visit" in text.lower(), text[:400]
    assert "safeguarding lead" in text.lower(), text[:400]
    ids = [s["id"] for s in recommendation["services"]]
    assert "lmm-consultation" not in ids and "lmm-clinical" not in ids, ids
    assert answer.locator("a[href^='tel:']").count() >= 1, "the urgent numbers are there"
    assert serious_axe_violations(page) == []
