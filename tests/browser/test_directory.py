"""The service directory in a real browser (Debian chromium) against the real
api: searching and filtering through the form, opening a service's page, and
accessibility (axe-core) at 320 and 1280 pixels wide."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.chat_page import (
    assert_a_local_accessible_page_that_fits,
)
from tests.browser.live import LiveServer, open_recording_requests

pytestmark = pytest.mark.browser


def open_directory(page: Any, server: LiveServer, path: str = "/services") -> list[str]:
    return open_recording_requests(page, server, path)


def listed(page: Any) -> list[str]:
    ids: list[str] = page.eval_on_selector_all(
        "[data-service-id]", "cards => cards.map(c => c.dataset.serviceId)"
    )
    return ids


def test_search_and_filter_through_the_form(page: Any, api_without_rasa: LiveServer) -> None:
    open_directory(page, api_without_rasa)
    everything = listed(page)
    assert len(everything) >= 25

    page.get_by_label("Search words").fill("volunteers")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state("networkidle")
    found = listed(page)
    assert "home-start" in found and len(found) < len(everything)
    assert "q=volunteers" in page.url
    assert page.get_by_label("Search words").input_value() == "volunteers"

    page.get_by_label("Search words").fill("")
    page.get_by_label("Area the family lives in").select_option(label="Leeds")
    page.get_by_label("Pregnancy or baby's age").select_option(label="Pregnancy")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state("networkidle")
    found = listed(page)
    assert "leeds-la" in found and "health-visiting" not in found
    assert "for families in Leeds" in page.locator("[data-role=filter-summary]").inner_text()

    page.get_by_label("Concern").select_option(label="Housing or homelessness")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state("networkidle")
    assert listed(page) == []
    assert "No services match" in page.locator("[data-role=no-results]").inner_text()
    page.get_by_role("link", name="clear the filters").first.click()
    page.wait_for_load_state("networkidle")
    assert listed(page) == everything


def test_open_a_service_page(page: Any, api_without_rasa: LiveServer) -> None:
    open_directory(page, api_without_rasa, "/services?q=assessment")
    page.get_by_role("link", name="Maternity Assessment Centre (Bradford Royal Infirmary)").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/services/maternity-assessment-centre")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Maternity Assessment")
    contact = page.locator("[data-field=contact]").inner_text()
    assert "(number to be confirmed)" in contact
    assert page.locator("[data-remit=does] li").count() >= 1
    assert page.locator("a[href^='tel:']").count() >= 1
    page.get_by_role("link", name="Service directory").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/services")


def test_chat_page_links_to_the_directory(page: Any, api_without_rasa: LiveServer) -> None:
    open_directory(page, api_without_rasa, "/")
    page.locator("footer").get_by_role("link", name="Service directory").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text() == "Service directory"


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize(
    "path",
    ["/services", "/services?age=banana", "/services?concern=smoking&area=leeds",
     "/services/maternity-assessment-centre", "/services/no-such-service"],
)
def test_accessible_and_fits_the_screen(
    page: Any, api_without_rasa: LiveServer, width: int, path: str
) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    requests = open_directory(page, api_without_rasa, path)
    assert_a_local_accessible_page_that_fits(page, api_without_rasa.url, width, requests)
