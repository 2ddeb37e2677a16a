"""What the browser tests do on the chat page, in the words of the page."""

from __future__ import annotations

import json
from typing import Any

from tests.browser.live import AXE_JS

CHAT_PATH = "/api/v1/chat"


def serious_axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.0-2.2 A/AA rules) and keep serious and critical findings."""
    # Evaluated through the DevTools protocol: the page's strict
    # Content-Security-Policy (rightly) refuses an injected <script> tag.
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result: dict[str, Any] = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def send(page: Any, text: str) -> dict[str, Any]:
    """Type a message, press Enter, wait for the reply to be shown; return the api's JSON."""
    box = page.get_by_label("Your message")
    box.fill(text)
    box.focus()
    with page.expect_response(lambda r: r.url.endswith(CHAT_PATH)) as reply:
        page.keyboard.press("Enter")
    return _settled(page, reply.value)


def choose_quick_reply_with_keyboard(page: Any, title: str) -> dict[str, Any]:
    """From the message box, Shift+Tab back to a quick-reply button and press Space."""
    page.get_by_label("Your message").focus()
    for _ in range(20):
        page.keyboard.press("Shift+Tab")
        focused = page.evaluate("document.activeElement.textContent.trim()")
        if focused == title:
            break
    else:
        raise AssertionError(f"no quick-reply button {title!r} reachable with the keyboard")
    with page.expect_response(lambda r: r.url.endswith(CHAT_PATH)) as reply:
        page.keyboard.press("Space")
    return _settled(page, reply.value)


def click_quick_reply(page: Any, title: str) -> dict[str, Any]:
    button = page.locator(".chat-quick-replies").get_by_role("button", name=title, exact=True)
    with page.expect_response(lambda r: r.url.endswith(CHAT_PATH)) as reply:
        button.click()
    return _settled(page, reply.value)


def _settled(page: Any, response: Any) -> dict[str, Any]:
    page.locator("#chat-typing").wait_for(state="hidden")
    body: dict[str, Any] = json.loads(response.text() or "{}")
    body["_status"] = response.status
    return body


def quick_reply_titles(page: Any) -> list[str]:
    titles: list[str] = page.locator(".chat-quick-replies button").all_inner_texts()
    return [t.strip() for t in titles]


def bot_texts(page: Any) -> list[str]:
    texts: list[str] = page.locator(".chat-message--bot .chat-message__body").all_inner_texts()
    return texts


def assert_a_local_accessible_page_that_fits(
    page: Any, server_url: str, width: int, requests: list[str]
) -> None:
    """What every server-rendered page must be: nothing fetched from elsewhere,
    no sideways scrolling at ``width``, the NHS.UK header, no serious axe finding."""
    assert [u for u in requests if not u.startswith(server_url)] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    header_colour = page.eval_on_selector(
        ".nhsuk-header", "e => getComputedStyle(e).backgroundColor"
    )
    assert header_colour == "rgb(0, 94, 184)"
    assert serious_axe_violations(page) == []
