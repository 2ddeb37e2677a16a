"""How an answer reads in a real browser: short first, remits folded, the
handover summary copied, printed and opened as a one-page request.

The api's own recommendation (with its ``presentation``) comes back from a
stubbed chat reply, so the page shows exactly what the bot would pass on for a
case with nine services, without needing the bot.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.browser.chat_page import CHAT_PATH, send, serious_axe_violations
from tests.browser.live import LiveServer

pytestmark = pytest.mark.browser

# Typed into the chat: the stub never passes it on, and nothing of it may
# reach the request page or its address.
TYPED = "Mrs Khan on 07700 900123 can't bond with her 4 month old"
CASE = {
    "description": "Mum of a 4 month old in BD3 9LF can't bond with him, low mood, feeding "
    "problems, crying all the time, dad drinking, going on 3 months, family agrees to referral",
    "safety_check": "none_apply",
}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def recommendation(api_without_rasa: LiveServer) -> dict[str, Any]:
    rec: dict[str, Any] = httpx.post(
        f"{api_without_rasa.url}/api/v1/recommendations", json=CASE, timeout=30
    ).json()
    assert len(rec["services"]) >= 6, "a long answer, as in the evaluation"
    return rec


def show(page: Any, server: LiveServer, recommendation: dict[str, Any]) -> None:
    """Open the chat page and answer one typed message with the recommendation."""
    page.emulate_media(reduced_motion="reduce")
    reply = {
        "messages": [
            {"text": "Refer to Little Minds Matter.", "buttons": [], "kind": "recommendation"},
            {"text": recommendation["presentation"]["handover"], "kind": "handover",
             "buttons": [{"title": "Start again", "payload": "/start_again"}]},
        ],
        "recommendation": recommendation,
        "handover": recommendation["presentation"]["handover"],
    }
    page.goto(server.url + "/")
    page.route(f"**{CHAT_PATH}", lambda route: route.fulfill(status=200, json=reply))
    send(page, TYPED)
    page.locator(".chat-recommendation").wait_for()


@pytest.fixture
def answered(
    page: Any, api_without_rasa: LiveServer, recommendation: dict[str, Any]
) -> Iterator[Any]:
    """The chat page after one message, answered with the recommendation."""
    show(page, api_without_rasa, recommendation)
    yield page


def box(locator: Any) -> dict[str, float]:
    found: dict[str, float] | None = locator.bounding_box()
    assert found is not None, "not rendered"
    return found


def test_the_first_phone_screen_says_what_to_do_and_who_to_contact(
    answered: Any, recommendation: dict[str, Any]
) -> None:
    page = answered
    page.set_viewport_size(PHONE)
    answer = page.locator(".chat-recommendation")
    answer.scroll_into_view_if_needed()
    answer.evaluate("e => e.scrollIntoView({block: 'start'})")
    top = box(answer)["y"]
    words = recommendation["presentation"]
    primary = page.locator(".chat-service--primary")
    assert words["tier_label"] in answer.locator("h3").first.inner_text()
    assert words["do_now"] in answer.locator(".chat-do-now").inner_text()
    assert primary.locator("h4").inner_text() == next(
        s["name"] for s in recommendation["services"] if s["id"] == words["primary_service"]
    )
    how = primary.get_by_text("How to refer", exact=True)
    contact = primary.locator(".chat-contact-list, .nhsuk-details").first
    for node in (answer.locator("h3").first, answer.locator(".chat-do-now"), how, contact):
        where = box(node)
        assert where["y"] + where["height"] - top <= PHONE["height"], node
    # The other services are one compact list, not a card each.
    others = page.locator(".chat-also__item")
    assert others.count() == len(recommendation["services"]) - 1
    assert page.locator(".chat-recommendation .chat-service.nhsuk-card").count() == 1


def test_an_urgent_answer_puts_who_to_call_on_the_first_phone_screen(
    page: Any, api_without_rasa: LiveServer
) -> None:
    urgent: dict[str, Any] = httpx.post(
        f"{api_without_rasa.url}/api/v1/recommendations",
        json={"description": "dad hit the baby, 3 month old, BD3 9LF"}, timeout=30,
    ).json()
    assert urgent["tier"] == "urgent"
    page.set_viewport_size(PHONE)
    show(page, api_without_rasa, urgent)
    answer = page.locator(".chat-recommendation")
    answer.evaluate("e => e.scrollIntoView({block: 'start'})")
    top = box(answer)["y"]
    assert answer.locator(".nhsuk-card--care--emergency").is_visible()
    call = page.locator(".chat-service--primary a[href^='tel:']").first
    where = box(call)
    assert where["y"] + where["height"] - top <= PHONE["height"]
    assert serious_axe_violations(page) == []


def test_remits_are_folded_until_asked_for(answered: Any) -> None:
    page = answered
    folds = page.locator(".chat-recommendation details.chat-remit")
    assert folds.count() >= 6
    assert all(not d.evaluate("e => e.open") for d in folds.all())
    first_other = page.locator(".chat-also__item").first
    remit_text = first_other.locator(".nhsuk-details__text")
    assert remit_text.is_hidden()
    first_other.locator("summary").click()
    assert remit_text.is_visible()
    assert "What it does" in remit_text.inner_text()
    # Keyboard: Enter on a summary opens it too.
    second = page.locator(".chat-also__item").nth(1)
    second.locator("summary").focus()
    page.keyboard.press("Enter")
    assert second.locator(".nhsuk-details__text").is_visible()


def test_the_handover_summary_can_be_copied(answered: Any, recommendation: dict[str, Any]) -> None:
    page = answered
    page.get_by_role("button", name="Copy handover summary").click()
    page.get_by_text("Copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == (
        recommendation["presentation"]["handover"]
    )
    assert page.get_by_role("button", name="Print this answer").is_visible()


def test_printing_shows_the_answer_black_on_white_with_remits_open(answered: Any) -> None:
    page = answered
    page.emulate_media(media="print")
    assert page.locator("#chat-form").is_hidden()
    assert page.locator(".nhsuk-header").is_hidden()
    assert page.locator(".chat-message--user").is_hidden(), "what was typed stays off paper"
    assert page.locator(".chat-handover__actions").is_hidden()
    for remit in page.locator(".chat-also__item .nhsuk-details__text").all():
        assert remit.is_visible()
    assert page.locator(".chat-handover__printed").is_visible()
    colours = page.locator(".chat-do-now").evaluate(
        "e => [getComputedStyle(e).color, getComputedStyle(document.body).backgroundColor]"
    )
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
    page.emulate_media(media="screen")
    assert page.locator("#chat-form").is_visible()
    assert page.locator(".chat-also__item .nhsuk-details__text").first.is_hidden()


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_the_answer_is_accessible_and_fits(answered: Any, width: int) -> None:
    page = answered
    page.set_viewport_size({"width": width, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert serious_axe_violations(page) == []
    page.locator(".chat-also__item summary").first.click()
    assert serious_axe_violations(page) == []


def test_the_request_page_opens_from_the_answer_with_nothing_typed(
    answered: Any, api_without_rasa: LiveServer, recommendation: dict[str, Any]
) -> None:
    page = answered
    posted: list[Any] = []
    page.context.on("request", lambda r: posted.append(r) if "/request" in r.url else None)
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Open as a referral or consultation request").click()
    request_page = opened.value
    request_page.wait_for_load_state()
    assert request_page.url == api_without_rasa.url + "/request", "nothing in the address"
    assert posted and posted[0].method == "POST"
    body = posted[0].post_data or ""
    text = request_page.locator("main").inner_text()
    for typed in ("Khan", "07700", "900123", "can't bond with her"):
        assert typed not in body
        assert typed not in text
        assert typed not in request_page.url
    assert recommendation["presentation"]["tier_label"] in text
    assert "Parent or carer name(s)" in text
    assert "BD3 9" in text and "BD3 9LF" not in text
    for width in (320, 1280):
        request_page.set_viewport_size({"width": width, "height": 900})
        assert request_page.evaluate("document.documentElement.scrollWidth") <= width
        assert serious_axe_violations(request_page) == []
    request_page.emulate_media(media="print")
    assert request_page.get_by_role("button", name="Print this page").is_hidden()
    assert request_page.locator(".nhsuk-header").is_hidden()
    # One A4 sheet, even for this nine-service answer.
    pdf: bytes = request_page.pdf(format="A4")
    assert re.findall(rb"/Count\s*(\d+)", pdf) == [b"1"]
    request_page.close()
