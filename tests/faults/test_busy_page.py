"""The chat page when the api is busy (headless Chromium against the busy api
of tests/faults/conftest.py, kept busy by real concurrent turns): it says so,
counts down, sends the message again by itself, and when still busy keeps
the message in the box to send by hand."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from tests.faults.conftest import SETUP_TIMEOUT_SECONDS

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.postgres,
              pytest.mark.timeout(SETUP_TIMEOUT_SECONDS)]

BUSY = re.compile(r"The navigator is busy — trying again in \d+ seconds?\.")
# Concurrent conversations: three times the busy api's 2 in flight + 2 queued,
# each sending again at once when refused, so a slot that frees is taken
# before the page's own retry (with 6 the page's retry got a slot once in CI).
LOAD = 12


@contextmanager
def kept_busy(api_url: str) -> Iterator[None]:
    """Other practitioners' turns, back to back, until the block ends."""
    stop = threading.Event()

    def practitioner() -> None:
        with httpx.Client(base_url=api_url, timeout=30) as client:
            while not stop.is_set():
                client.post("/api/v1/chat", json={"message": "8 week old in BD3"})
                time.sleep(0.01)

    with ThreadPoolExecutor(max_workers=LOAD) as pool:
        for _ in range(LOAD):
            pool.submit(practitioner)
        time.sleep(0.5)
        try:
            yield
        finally:
            stop.set()


def type_and_send(page: Any, text: str) -> None:
    box = page.get_by_label("Your message")
    box.fill(text)
    box.press("Enter")


def test_the_page_says_busy_and_sends_again_by_itself(
    busy_api: str, page: Any,
) -> None:
    page.goto(f"{busy_api}/")
    with kept_busy(busy_api):
        type_and_send(page, "6 week old in BD3, mum struggling to bond")
        notice = page.locator(".chat-busy")
        notice.wait_for(state="visible", timeout=10_000)
        assert BUSY.search(notice.inner_text()), notice.inner_text()
    page.get_by_text("Slowly answered.").wait_for(timeout=15_000)
    assert page.locator(".chat-busy").count() == 0
    assert page.locator(".chat-message--user").count() == 1, "the message is sent once, not twice"


def test_still_busy_the_page_keeps_the_message_to_send_by_hand(
    busy_api: str, page: Any,
) -> None:
    page.goto(f"{busy_api}/")
    message = "4 month old in BD3, mum can't bond with him"
    with kept_busy(busy_api):
        type_and_send(page, message)
        page.locator(".chat-outage").wait_for(state="visible", timeout=20_000)
        assert page.get_by_label("Your message").input_value() == message
        assert "Little Minds Matter" in page.locator(".chat-outage").inner_text()
    time.sleep(2)  # the others' turns finish
    page.get_by_label("Your message").press("Enter")
    page.get_by_text("Slowly answered.").wait_for(timeout=15_000)
