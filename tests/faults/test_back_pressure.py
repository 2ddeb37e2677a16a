"""Back-pressure: more chat turns than the api lets wait get a quick 503 with
Retry-After (and the direct contacts), never a 500 or a hang. A real api
process in front of a deliberately slow stand-in for Rasa
(tests/support/slow_rasa.py), with small limits."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.faults.conftest import (
    BUSY_MAX_IN_FLIGHT,
    BUSY_MAX_QUEUED,
    BUSY_QUEUE_WAIT_SECONDS,
    BUSY_TIMEOUT_SECONDS,
    SETUP_TIMEOUT_SECONDS,
    SLOW_TURN_SECONDS,
    text_of,
)

pytestmark = [pytest.mark.slow, pytest.mark.postgres,
              pytest.mark.timeout(SETUP_TIMEOUT_SECONDS)]

TURNS = 10
RED_FLAG = "6 week old, mum says she wants to kill herself"


@dataclass
class Turn:
    status: int
    seconds: float
    retry_after: str | None
    body: dict[str, Any]


def turn(api_url: str, message: str) -> Turn:
    """One turn of a new conversation (its own cookie jar)."""
    with httpx.Client(base_url=api_url, timeout=BUSY_TIMEOUT_SECONDS * 3) as browser:
        started = time.monotonic()
        response = browser.post("/api/v1/chat", json={"message": message})
        return Turn(response.status_code, time.monotonic() - started,
                    response.headers.get("retry-after"), response.json())


def test_turns_beyond_the_bound_get_a_quick_503_with_retry_after(busy_api: str) -> None:
    # Warm up (the first turn pays for the api's first reading of a message).
    assert turn(busy_api, "8 week old in BD3").status == 200
    messages = [RED_FLAG] + [f"8 week old in BD3, turn {n}" for n in range(TURNS - 1)]
    with ThreadPoolExecutor(max_workers=TURNS) as pool:
        turns = list(pool.map(lambda m: turn(busy_api, m), messages))

    statuses = [t.status for t in turns]
    assert set(statuses) <= {200, 503}, statuses
    answered = [t for t in turns if t.status == 200]
    refused = [t for t in turns if t.status == 503]
    assert len(answered) >= BUSY_MAX_IN_FLIGHT, statuses
    assert len(refused) >= TURNS - BUSY_MAX_IN_FLIGHT - BUSY_MAX_QUEUED, statuses
    for busy in refused:
        assert busy.retry_after is not None and int(busy.retry_after) >= 1
        assert busy.seconds < BUSY_QUEUE_WAIT_SECONDS + 1, "quick: never waits into the timeout"
        assert "busy" in str(busy.body["detail"]) and busy.body["errors"] == []
        assert "999" in text_of(busy.body) and "Little Minds Matter" in text_of(busy.body)
    assert all(t.seconds < BUSY_TIMEOUT_SECONDS for t in turns), [t.seconds for t in turns]
    # A red flag is never lost in the queue: its answer, 200 or 503, is urgent.
    assert turns[0].body["recommendation"] is not None
    assert text_of(turns[0].body).startswith("URGENT"), text_of(turns[0].body)

    # Once the burst is over, turns are answered again.
    time.sleep(SLOW_TURN_SECONDS)
    assert turn(busy_api, "8 week old in BD3").status == 200
