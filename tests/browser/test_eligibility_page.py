"""The volunteers' eligibility page in a real browser (Debian chromium)
against the real api: filling in the form and reading the answer, the
postcode never in the URL, and accessibility (axe-core) at 320 and 1280
pixels wide, with the empty form, an answer and an error."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.chat_page import (
    assert_a_local_accessible_page_that_fits,
)
from tests.browser.live import LiveServer, open_recording_requests

pytestmark = pytest.mark.browser


def open_page(page: Any, server: LiveServer, path: str = "/eligibility") -> list[str]:
    return open_recording_requests(page, server, path)


def submit(page: Any) -> None:
    page.get_by_role("button", name="Check").click()
    page.wait_for_load_state("networkidle")


def answer(page: Any) -> tuple[str, str]:
    card = page.locator("[data-role=answer]")
    return card.get_attribute("data-verdict"), card.inner_text()


def test_check_a_family_through_the_form(page: Any, api_without_rasa: LiveServer) -> None:
    open_page(page, api_without_rasa)
    page.get_by_label("Or the baby's age in whole months").fill("4")
    page.get_by_label("The family's postcode").fill("bd3 9qz")
    submit(page)
    verdict, text = answer(page)
    assert verdict == "yes"
    assert "BD3 9 is in Bradford District" in text and "9QZ" not in text.upper()
    assert page.url.endswith("/eligibility"), "the postcode is never in the URL"
    assert page.get_by_label("The family's postcode").input_value() == "bd3 9qz"

    page.get_by_label("Or the baby's age in whole months").fill("3")
    page.get_by_label("The family's postcode").fill("BD20")
    submit(page)
    verdict, text = answer(page)
    assert verdict == "cannot_tell" and "full postcode" in text

    page.get_by_label("Or the baby's age in whole months").fill("")
    page.get_by_label("Weeks pregnant").fill("30")
    page.get_by_label("The family's postcode").fill("LS6 2AB")
    submit(page)
    verdict, text = answer(page)
    assert verdict == "no" and "outside Bradford District" in text


def test_a_bad_value_is_explained_beside_the_field(page: Any, api_without_rasa: LiveServer
                                                   ) -> None:
    open_page(page, api_without_rasa)
    page.get_by_label("Weeks pregnant").fill("50")
    submit(page)
    summary = page.locator(".nhsuk-error-summary").inner_text()
    assert "Weeks pregnant must be a whole number from 1 to 42." in summary
    assert page.locator("#weeks_pregnant-error").is_visible()
    assert page.locator("[data-role=answer]").count() == 0
    page.locator(".nhsuk-error-summary a").first.click()
    assert page.evaluate("document.activeElement.id") == "weeks_pregnant"


def test_the_footer_links_to_the_check(page: Any, api_without_rasa: LiveServer) -> None:
    open_page(page, api_without_rasa, "/services")
    page.locator("footer").get_by_role("link", name="Can LMM see this family?").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Can Little Minds Matter see this family?"
    )


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("fill", [
    {}, {"Or the baby's age in whole months": "4", "The family's postcode": "BD3 9QZ"},
    {"Weeks pregnant": "50", "The family's postcode": "nowhere"},
])
def test_accessible_and_fits_the_screen(
    page: Any, api_without_rasa: LiveServer, width: int, fill: dict[str, str]
) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    requests = open_page(page, api_without_rasa)
    for label, value in fill.items():
        page.get_by_label(label).fill(value)
    if fill:
        submit(page)
    assert_a_local_accessible_page_that_fits(page, api_without_rasa.url, width, requests)
