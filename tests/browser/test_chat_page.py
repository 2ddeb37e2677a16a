"""The chat page in a real browser against the real api, with Rasa not running.

These cover what does not need the bot: the page's accessibility, the privacy
of what it sends, the server-issued conversation cookie, "Start again", 320px
screens, reduced motion,
and what a practitioner sees when the chat service is down (503 + contacts).
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from api.conversations import COOKIE_NAME
from tests.browser.chat_page import CHAT_PATH, send, serious_axe_violations
from tests.browser.live import LiveServer

pytestmark = pytest.mark.browser

CASE = "Mum of a 4 month old in BD3 9LF can't bond with him"


def open_page(page: Any, server: LiveServer) -> list[str]:
    """Open the chat page; return the list every request URL is recorded in."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(server.url + "/")
    page.wait_for_load_state("networkidle")
    return requests


def sent_bodies(page: Any) -> list[dict[str, Any]]:
    bodies: list[dict[str, Any]] = []

    def record(request: Any) -> None:
        if request.url.endswith(CHAT_PATH):
            bodies.append(json.loads(request.post_data))

    page.on("request", record)
    return bodies


def test_empty_page_is_accessible(page: Any, api_without_rasa: LiveServer) -> None:
    open_page(page, api_without_rasa)
    assert page.get_by_label("Your message").is_visible()
    assert page.get_by_role("button", name="Send").is_visible()
    assert page.get_by_role("button", name="Start again").is_visible()
    assert page.get_by_role("log").count() == 1
    assert serious_axe_violations(page) == []


def test_page_tells_practitioners_not_to_type_identifying_details(
    page: Any, api_without_rasa: LiveServer
) -> None:
    open_page(page, api_without_rasa)
    assert page.get_by_text("Don't type names, addresses or phone numbers").is_visible()


def test_everything_is_served_locally_without_inline_code(
    page: Any, api_without_rasa: LiveServer
) -> None:
    requests = open_page(page, api_without_rasa)
    assert requests, "the page made no requests at all"
    elsewhere = [url for url in requests if not url.startswith(api_without_rasa.url)]
    assert elsewhere == []
    # NHS.UK styles really loaded (a broken path would leave the header unstyled).
    header_colour = page.eval_on_selector(
        ".nhsuk-header", "e => getComputedStyle(e).backgroundColor"
    )
    assert header_colour == "rgb(0, 94, 184)"
    # Strict Content-Security-Policy friendly: no inline scripts, styles or handlers.
    inline = page.evaluate(
        """() => ({
            scripts: [...document.scripts].filter(s => !s.src).length,
            styles: document.querySelectorAll("style, [style]").length,
            handlers: [...document.querySelectorAll("*")].filter(
                e => [...e.attributes].some(a => a.name.startsWith("on"))).length,
        })"""
    )
    assert inline == {"scripts": 0, "styles": 0, "handlers": 0}


def test_skip_link_is_first_and_moves_focus_to_the_content(
    page: Any, api_without_rasa: LiveServer
) -> None:
    open_page(page, api_without_rasa)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "maincontent"


def test_rasa_down_shows_the_message_and_contacts(page: Any, api_without_rasa: LiveServer) -> None:
    open_page(page, api_without_rasa)
    reply = send(page, CASE)
    assert reply["_status"] == 503
    outage = page.locator(".chat-outage")
    outage.wait_for()
    assert "cannot answer right now" in outage.inner_text()
    phones = outage.locator("a[href^='tel:']")
    assert phones.count() >= 2, outage.inner_text()
    # The practitioner's own message stays on screen; focus stays in the box.
    assert page.locator(".chat-message--user").inner_text().endswith(CASE)
    assert page.evaluate("document.activeElement.id") == "chat-input"
    # Screen readers hear it at once (assertive region), not only in the log.
    # (a locator wait: the page's Content-Security-Policy forbids evaluated strings)
    expect(page.locator("#chat-alert")).to_contain_text("cannot answer")
    assert serious_axe_violations(page) == []


def test_typing_indicator_shows_while_waiting(page: Any, api_without_rasa: LiveServer) -> None:
    open_page(page, api_without_rasa)
    page.evaluate(
        """() => {
            window.typingSeen = false;
            const typing = document.getElementById("chat-typing");
            new MutationObserver(() => { if (!typing.hidden) window.typingSeen = true; })
                .observe(typing, {attributes: true});
        }"""
    )
    assert page.locator("#chat-typing").is_hidden()
    send(page, CASE)
    assert page.evaluate("window.typingSeen") is True
    assert page.locator("#chat-typing").is_hidden()


def conversation_cookie(page: Any) -> dict[str, Any]:
    """The conversation cookie the server set (read through the browser's
    DevTools protocol: the page's own script cannot read it)."""
    cookies = [c for c in page.context.cookies() if c["name"] == COOKIE_NAME]
    assert len(cookies) == 1, cookies
    return cookies[0]


def conversation_of(page: Any) -> str:
    value: str = conversation_cookie(page)["value"]
    return value.split(".")[0]


def test_only_the_message_is_sent_and_the_server_issues_the_conversation(
    page: Any, api_without_rasa: LiveServer
) -> None:
    bodies = sent_bodies(page)
    open_page(page, api_without_rasa)
    send(page, CASE)
    send(page, "4 months")
    assert bodies == [{"message": CASE, "new_conversation": True}, {"message": "4 months"}]
    cookie = conversation_cookie(page)
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert cookie["path"] == CHAT_PATH
    assert cookie["expires"] == -1, "a session cookie: gone when the browser closes"
    assert page.evaluate("document.cookie") == "", "the page's script never sees it"


def test_the_conversation_lasts_for_the_tab_and_start_again_renews_it(
    page: Any, api_without_rasa: LiveServer
) -> None:
    bodies = sent_bodies(page)
    open_page(page, api_without_rasa)
    send(page, CASE)
    first = conversation_of(page)
    page.reload()
    send(page, "4 months")
    assert conversation_of(page) == first
    assert "new_conversation" not in bodies[1]

    page.get_by_role("button", name="Start again").click()
    assert page.locator(".chat-message").count() == 1  # only the welcome is left
    assert page.evaluate("document.activeElement.id") == "chat-input"
    send(page, CASE)
    assert bodies[2]["new_conversation"] is True
    assert conversation_of(page) != first


def test_a_new_tab_starts_its_own_conversation_and_never_continues_another(
    page: Any, api_without_rasa: LiveServer
) -> None:
    open_page(page, api_without_rasa)
    send(page, CASE)
    first = conversation_of(page)

    other_tab = page.context.new_page()
    other_bodies = sent_bodies(other_tab)
    other_tab.goto(api_without_rasa.url + "/")
    send(other_tab, "8 week old in BD5, mum very low")
    assert other_bodies[0]["new_conversation"] is True
    assert conversation_of(page) != first, "one cookie per browser: the newer conversation"

    # The first tab must not go on with the other tab's family.
    bodies = sent_bodies(page)
    box = page.get_by_label("Your message")
    box.fill("she is 4 months")
    box.press("Enter")
    error = page.locator("#chat-input-error")
    expect(error).to_contain_text("replaced by one started in another tab")
    assert bodies == []
    page.get_by_role("button", name="Start again").click()
    send(page, "she is 4 months")
    assert bodies == [{"message": "she is 4 months", "new_conversation": True}]
    other_tab.close()


def test_a_forged_conversation_cookie_is_replaced(
    page: Any, api_without_rasa: LiveServer
) -> None:
    open_page(page, api_without_rasa)
    send(page, CASE)
    real = conversation_cookie(page)
    forged = real["value"].split(".")[0] + ".1.AAAA"
    page.context.clear_cookies()
    page.context.add_cookies([{**real, "value": forged}])
    send(page, "4 months")
    assert conversation_cookie(page)["value"] not in (forged, real["value"])


def test_empty_message_gets_a_clear_error_and_is_not_sent(
    page: Any, api_without_rasa: LiveServer
) -> None:
    bodies = sent_bodies(page)
    open_page(page, api_without_rasa)
    page.get_by_label("Your message").focus()
    page.keyboard.press("Enter")
    error = page.locator("#chat-input-error")
    assert error.is_visible()
    assert "Type a message" in error.inner_text()
    assert page.get_by_label("Your message").get_attribute("aria-invalid") == "true"
    assert bodies == []
    send(page, CASE)
    assert error.is_hidden()


def test_message_box_has_a_visible_focus_indicator(page: Any, api_without_rasa: LiveServer) -> None:
    open_page(page, api_without_rasa)
    box = page.get_by_label("Your message")
    before = box.evaluate("e => getComputedStyle(e).boxShadow + getComputedStyle(e).outlineStyle")
    box.focus()
    after = box.evaluate("e => getComputedStyle(e).boxShadow + getComputedStyle(e).outlineStyle")
    assert after != before


@pytest.mark.parametrize(
    ("motion", "animation"), [("no-preference", "chat-typing-pulse"), ("reduce", "none")]
)
def test_typing_animation_respects_reduced_motion(
    page: Any, api_without_rasa: LiveServer, motion: str, animation: str
) -> None:
    page.emulate_media(reduced_motion=motion)
    open_page(page, api_without_rasa)
    name = page.eval_on_selector(
        ".chat-typing__dots span", "e => getComputedStyle(e).animationName"
    )
    assert name == animation


def test_works_at_320_pixels_wide(page: Any, api_without_rasa: LiveServer) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    open_page(page, api_without_rasa)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    send(page, CASE)
    page.locator(".chat-outage").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    send_button = page.get_by_role("button", name="Send").bounding_box()
    assert send_button is not None
    assert send_button["x"] >= 0
    assert send_button["x"] + send_button["width"] <= 320


def test_rasa_down_still_shows_urgent_guidance_for_a_red_flag(
    page: Any, api_without_rasa: LiveServer
) -> None:
    open_page(page, api_without_rasa)
    reply = send(page, "there is a bruise on the cheek of a 6 week old baby")
    assert reply["_status"] == 503
    assert reply["recommendation"]["tier"] == "urgent"
    urgent = page.locator(".chat-recommendation[data-tier=urgent]")
    assert urgent.locator(".nhsuk-card--care--emergency").is_visible()
    assert reply["recommendation"]["headline"] in urgent.inner_text()
    assert page.locator(".chat-outage a[href^='tel:']").count() >= 2
    expect(page.locator("#chat-alert")).to_have_text(re.compile("^Urgent"))
    assert serious_axe_violations(page) == []


def test_only_messages_marked_as_the_recommendation_fold_into_the_cards(
    page: Any, api_without_rasa: LiveServer
) -> None:
    """The page goes by each message's kind, not its wording: a question that
    quotes the headline stays in view; the recommendation's own text folds away."""
    recommendation = httpx.post(
        f"{api_without_rasa.url}/api/v1/recommendations",
        json={"description": "4 month old in BD3 9, mum can't bond with him"},
    ).json()
    headline = recommendation["headline"]
    question = f"{headline} Before I say more: has the family agreed to a referral?"
    reply = {
        "messages": [
            {"text": f"My suggestion so far:\n{headline}", "buttons": [],
             "kind": "recommendation"},
            {"text": "Handover summary (no names; postcode sector only)", "buttons": [],
             "kind": "handover"},
            {"text": question, "buttons": [{"title": "Yes", "payload": "/affirm"}],
             "kind": "text"},
        ],
        "asking": "consent_to_referral",
        "recommendation": recommendation,
        "handover": "Handover summary (no names; postcode sector only)",
    }
    open_page(page, api_without_rasa)
    page.route(f"**{CHAT_PATH}", lambda route: route.fulfill(status=200, json=reply))
    send(page, CASE)
    last = page.locator(".chat-message--bot").last
    assert question in last.inner_text()
    assert last.is_visible()
    assert "Yes" in last.locator(".chat-quick-replies").inner_text()
    folded = page.locator(".chat-recommendation .chat-plain-text").text_content() or ""
    assert "My suggestion so far" in folded
    assert "Handover summary" in folded
    assert question not in folded
    assert page.get_by_text("My suggestion so far").is_hidden(), "folded until asked for"
