"""The api's client for Rasa's REST channel (``/webhooks/rest/webhook``).

One :class:`RasaClient` per api process (made in the app's lifespan, closed at
shutdown) with one pooled ``httpx.AsyncClient``. It does three things:

- **Back-pressure.** At most ``RASA_MAX_IN_FLIGHT`` turns go to Rasa at once;
  up to ``RASA_MAX_QUEUED`` more wait, each for at most
  ``RASA_QUEUE_WAIT_SECONDS``. A turn that finds the queue full, or whose
  expected wait (from the recent turn times) is over that bound, or that
  waits the bound out, raises :class:`RasaBusy` at once with a ``Retry-After``
  estimate: the router answers 503 quickly instead of letting the turn wait
  into a timeout.
- **Failover.** ``RASA_URL`` may list several Rasa instances, comma-separated.
  Each turn starts at the next instance in turn (round robin) and, when one
  cannot be reached or answers 5xx, tries the next. Conversations survive
  because the instances share the Redis tracker and lock store. A turn that
  timed out waiting for an answer is not sent again (Rasa may have taken it).
- **Timeouts.** ``RASA_TIMEOUT_SECONDS`` bounds the whole turn, across the
  instances tried; connecting to one instance is bounded by 2 s.

Any failure to get a well-formed answer (an empty one included: Rasa's REST
channel answers ``[]`` when its action server or tracker store fails) becomes
:class:`RasaUnavailable`,
which the chat router turns into a 503 that still carries the direct contacts
and any urgent guidance.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import math
import ssl
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import httpx
from fastapi import Depends, Request

from api.settings import Settings

log = logging.getLogger("navigator.rasa")

WEBHOOK_PATH = "/webhooks/rest/webhook"
# Building an SSL context loads the CA bundle (~100 ms): made once and shared.
SSL_CONTEXT = ssl.create_default_context()
CONNECT_TIMEOUT_SECONDS = 2.0
# Retry-After is a whole number of seconds, within these bounds.
MIN_RETRY_AFTER, MAX_RETRY_AFTER = 1, 30
# The weight of the newest turn in the running mean of turn times.
TURN_TIME_WEIGHT = 0.2

# Errors after which the turn is tried on the next instance: it never reached
# Rasa, or the connection died before an answer (an instance stopping).
_TRY_NEXT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout,
             httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)


class RasaUnavailable(Exception):
    """Rasa could not be reached, timed out, or answered with an error."""


class RasaBusy(Exception):
    """Too many turns are waiting for Rasa: try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Rasa is busy; retry after {retry_after} s")
        self.retry_after = retry_after


def rasa_urls(text: str) -> list[str]:
    """The instances named in ``RASA_URL``: comma-separated, in order."""
    return [u.strip().rstrip("/") for u in text.split(",") if u.strip()]


class TurnLimiter:
    """At most ``max_in_flight`` turns at once, ``max_queued`` more waiting,
    none waiting longer than ``max_wait_seconds``."""

    def __init__(self, max_in_flight: int, max_queued: int, max_wait_seconds: float) -> None:
        self.max_in_flight = max_in_flight
        self.max_queued = max_queued
        self.max_wait_seconds = max_wait_seconds
        self._slots = asyncio.Semaphore(max_in_flight)
        self.in_flight = 0
        self.waiting = 0
        # A running mean of turn times, seeded low so a cold start is not refused.
        self.turn_seconds = 0.5

    def _expected_wait(self, position: int) -> float:
        """Seconds until the turn at ``position`` in the queue (1 = next) starts."""
        return math.ceil(position / self.max_in_flight) * self.turn_seconds

    def _busy(self, position: int) -> RasaBusy:
        wait = max(self._expected_wait(position), self.max_wait_seconds)
        return RasaBusy(min(MAX_RETRY_AFTER, max(MIN_RETRY_AFTER, math.ceil(wait))))

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        if self._slots.locked() or self.waiting:
            position = self.waiting + 1
            if position > self.max_queued or self._expected_wait(position) > self.max_wait_seconds:
                raise self._busy(position)
            self.waiting += 1
            try:
                async with asyncio.timeout(self.max_wait_seconds):
                    await self._slots.acquire()
            except TimeoutError:
                raise self._busy(position) from None
            finally:
                self.waiting -= 1
        else:
            await self._slots.acquire()
        self.in_flight += 1
        started = time.monotonic()
        try:
            yield
        finally:
            self.in_flight -= 1
            self._slots.release()
            elapsed = time.monotonic() - started
            self.turn_seconds += TURN_TIME_WEIGHT * (elapsed - self.turn_seconds)


class RasaClient:
    def __init__(
        self,
        base_url: str,
        timeout_seconds: float,
        transport: httpx.AsyncBaseTransport | None = None,
        max_in_flight: int = 10,
        max_queued: int = 20,
        queue_wait_seconds: float = 2.0,
    ) -> None:
        self.urls = rasa_urls(base_url)
        if not self.urls:
            raise ValueError("RASA_URL names no Rasa instance")
        self._timeout_seconds = timeout_seconds
        self._next = itertools.count()
        self.limiter = TurnLimiter(max_in_flight, max_queued, queue_wait_seconds)
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(
                timeout_seconds, connect=min(CONNECT_TIMEOUT_SECONDS, timeout_seconds)
            ),
            transport=transport,
            verify=SSL_CONTEXT,
            limits=httpx.Limits(
                max_connections=max_in_flight * len(self.urls) + len(self.urls),
                max_keepalive_connections=max_in_flight * len(self.urls),
            ),
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> RasaClient:
        return cls(
            settings.rasa_url,
            settings.rasa_timeout_seconds,
            max_in_flight=settings.rasa_max_in_flight,
            max_queued=settings.rasa_max_queued,
            queue_wait_seconds=settings.rasa_queue_wait_seconds,
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def send(
        self, sender_id: str, message: str, metadata: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Send one practitioner message (with ``metadata`` for the bot's NLU
        and actions); return Rasa's bot messages in order. Raises
        :class:`RasaBusy` at once when too many turns are waiting."""
        payload: dict[str, Any] = {"sender": sender_id, "message": message}
        if metadata:
            payload["metadata"] = metadata
        async with self.limiter.slot():
            return await self._send_to_any(payload)

    async def _send_to_any(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
        start = next(self._next) % len(self.urls)
        order = self.urls[start:] + self.urls[:start]
        deadline = time.monotonic() + self._timeout_seconds
        failures: list[str] = []
        for url in order:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                response = await self._client.post(
                    url + WEBHOOK_PATH,
                    json=payload,
                    timeout=httpx.Timeout(
                        remaining, connect=min(CONNECT_TIMEOUT_SECONDS, remaining)
                    ),
                )
            except _TRY_NEXT as error:
                failures.append(f"{url}: {error or type(error).__name__}")
                log.warning("Rasa at %s unreachable (%s)", url, type(error).__name__)
                continue
            except httpx.HTTPError as error:  # a read timeout: not sent again
                raise RasaUnavailable(f"{url}: {error or type(error).__name__}") from error
            if response.status_code >= 500:
                failures.append(f"{url}: HTTP {response.status_code}")
                log.warning("Rasa at %s answered %s", url, response.status_code)
                continue
            return _messages(url, response)
        raise RasaUnavailable("; ".join(failures) or "no time left to reach Rasa")


def _messages(url: str, response: httpx.Response) -> list[dict[str, Any]]:
    if response.status_code != 200:
        raise RasaUnavailable(f"{url}: HTTP {response.status_code}")
    try:
        body = response.json()
    except ValueError as error:
        raise RasaUnavailable(f"{url}: the answer is not JSON") from error
    if not isinstance(body, list) or not all(isinstance(m, dict) for m in body):
        raise RasaUnavailable("Rasa answered something other than a list of messages")
    if not body:
        # The bot answers every message; Rasa's REST channel answers an empty
        # list when the turn failed inside it (its action server or tracker
        # store unreachable). Not sent again: the turn may have been recorded.
        raise RasaUnavailable(f"{url}: no messages (action server or tracker store failing?)")
    return body


async def get_rasa_client(request: Request) -> RasaClient:
    """The process's one client, made in the app's lifespan (api.main)."""
    client: RasaClient = request.app.state.rasa
    return client


RasaDep = Annotated[RasaClient, Depends(get_rasa_client)]
