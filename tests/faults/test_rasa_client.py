"""The api's Rasa client on its own (quick; the slow tests here run it against
real processes): which instance a turn goes to, when it tries the next, and
the back-pressure bound. Rasa's answers come from an httpx handler."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import httpx
import pytest
from pydantic import ValidationError

from api.rasa_client import RasaBusy, RasaClient, RasaUnavailable, TurnLimiter, rasa_urls
from api.settings import Settings

T = TypeVar("T")
ANSWER = [{"recipient_id": "c", "text": "What is the family's postcode?"}]


class Instances:
    """Three Rasa instances behind one handler: each answers ``status[host]``."""

    def __init__(self, **status: Any) -> None:
        self.status = {"a": 200, "b": 200, "c": 200, **status}
        self.calls: list[str] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        self.calls.append(host)
        outcome = self.status[host]
        if isinstance(outcome, Exception):
            raise outcome
        return httpx.Response(outcome, json=ANSWER if outcome == 200 else {"error": "x"})

    def client(self, **limits: Any) -> RasaClient:
        return RasaClient("http://a, http://b ,http://c/", 5.0,
                          transport=httpx.MockTransport(self.handler), **limits)


def run(scenario: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """``asyncio.run`` in a thread of its own: the main thread may hold a
    running loop already (Playwright's sync API, in the browser tests)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(scenario())).result()


def send(client: RasaClient) -> list[dict[str, Any]]:
    async def go() -> list[dict[str, Any]]:
        try:
            return await client.send("c", "hello")
        finally:
            await client.aclose()

    return run(go)


def test_rasa_url_lists_instances_in_order() -> None:
    assert rasa_urls("http://a:5005/, http://b:5005,,") == ["http://a:5005", "http://b:5005"]


def test_turns_go_round_the_instances() -> None:
    instances = Instances()
    client = instances.client()

    async def three() -> None:
        for _ in range(4):
            assert await client.send("c", "hello") == ANSWER
        await client.aclose()

    run(three)
    assert instances.calls == ["a", "b", "c", "a"]


@pytest.mark.parametrize("failure", [
    503, 500, httpx.ConnectError("refused"), httpx.RemoteProtocolError("disconnected"),
])
def test_a_failing_instance_is_skipped_for_the_next(failure: Any) -> None:
    instances = Instances(a=failure)
    assert send(instances.client()) == ANSWER
    assert instances.calls == ["a", "b"]


def test_all_instances_failing_is_rasa_unavailable() -> None:
    instances = Instances(a=502, b=httpx.ConnectError("refused"), c=500)
    with pytest.raises(RasaUnavailable):
        send(instances.client())
    assert instances.calls == ["a", "b", "c"]


@pytest.mark.parametrize("failure", [httpx.ReadTimeout("slow"), 400, 404])
def test_a_turn_rasa_may_have_taken_is_not_sent_again(failure: Any) -> None:
    instances = Instances(a=failure)
    with pytest.raises(RasaUnavailable):
        send(instances.client())
    assert instances.calls == ["a"]


def test_an_empty_answer_is_rasa_unavailable() -> None:
    client = RasaClient("http://a", 5.0, transport=httpx.MockTransport(
        lambda _request: httpx.Response(200, json=[])))
    with pytest.raises(RasaUnavailable, match="no messages"):
        send(client)


def test_turns_beyond_the_queue_are_refused_at_once_with_retry_after() -> None:
    async def scenario() -> list[object]:
        limiter = TurnLimiter(max_in_flight=1, max_queued=1, max_wait_seconds=5.0)
        release = asyncio.Event()

        async def turn() -> object:
            try:
                async with limiter.slot():
                    await release.wait()
                return "answered"
            except RasaBusy as busy:
                return busy

        tasks = [asyncio.create_task(turn()) for _ in range(4)]
        await asyncio.sleep(0.05)
        refused = [t for t in tasks if t.done()]  # at once, not after a wait
        release.set()
        results = await asyncio.gather(*tasks)
        assert refused == tasks[2:]
        return list(results)

    results = run(scenario)
    assert results[:2] == ["answered", "answered"]
    assert all(isinstance(r, RasaBusy) and r.retry_after >= 1 for r in results[2:])


def test_a_queued_turn_waits_at_most_the_bound() -> None:
    async def scenario() -> tuple[object, float]:
        limiter = TurnLimiter(max_in_flight=1, max_queued=5, max_wait_seconds=0.3)
        limiter.turn_seconds = 0.01  # recent turns were quick: worth queueing
        hold = asyncio.Event()

        async def holder() -> None:
            async with limiter.slot():
                await hold.wait()

        first = asyncio.create_task(holder())
        await asyncio.sleep(0.01)
        started = time.monotonic()
        try:
            async with limiter.slot():
                outcome: object = "answered"
        except RasaBusy as busy:
            outcome = busy
        waited = time.monotonic() - started
        hold.set()
        await first
        assert limiter.in_flight == 0 and limiter.waiting == 0
        return outcome, waited

    outcome, waited = run(scenario)
    assert isinstance(outcome, RasaBusy)
    assert 0.25 < waited < 1


@pytest.mark.parametrize("settings", [
    {"rasa_url": "localhost:5005"},
    {"rasa_url": " , "},
    {"rasa_max_in_flight": 0},
    {"rasa_max_queued": -1},
    {"rasa_queue_wait_seconds": 0},
    {"rasa_timeout_seconds": 0},
])
def test_bad_rasa_settings_are_refused(settings: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Settings(environment="test", **settings)


def test_several_rasa_urls_are_accepted() -> None:
    settings = Settings(environment="test", rasa_url="http://10.0.0.1:5005,http://10.0.0.2:5005")
    assert RasaClient.from_settings(settings).urls == ["http://10.0.0.1:5005",
                                                       "http://10.0.0.2:5005"]
