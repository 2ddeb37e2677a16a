"""Helpers for the action unit tests: a real rasa_sdk Tracker and
CollectingDispatcher, and the api replaced by an httpx.MockTransport that
records each request and answers from a table of canned responses."""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import httpx
import pytest
from rasa_sdk import Tracker

from actions import api_client

DOMAIN: Dict[str, Any] = {
    "forms": {
        "triage_form": {"required_slots": ["age", "concerns", "postcode"]},
        "eligibility_form": {"required_slots": ["age", "postcode"]},
    }
}
SLOTS = (
    "age", "postcode", "concerns", "consent_to_referral", "description", "red_flag",
    "duration", "safety_check", "asked_in_a_row", "last_asked", "last_service",
    "requested_slot", "asked_fuller_postcode", "asker", "asked_asker",
)


def tracker(
    text: str = "",
    intent: str = "describe_case",
    slots: Optional[Dict[str, Any]] = None,
    entities: Optional[List[Dict[str, Any]]] = None,
    active_loop: Optional[str] = None,
    events: Optional[List[Dict[str, Any]]] = None,
) -> Tracker:
    values = {name: None for name in SLOTS}
    values.update(slots or {})
    return Tracker(
        sender_id="test",
        slots=values,
        latest_message={"text": text, "intent": {"name": intent, "confidence": 0.9},
                        "entities": entities or []},
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


Route = Tuple[str, str]
Answer = Tuple[int, Any]


class FakeApi:
    """Answers (method, path) with canned JSON and records what was sent."""

    def __init__(self) -> None:
        self.routes: Dict[Route, Callable[[httpx.Request], Answer]] = {}
        self.requests: List[httpx.Request] = []

    def on(self, method: str, path: str, status: int, body: Any) -> None:
        self.routes[(method, path)] = lambda _request: (status, body)

    def sent_json(self, path: str) -> List[Any]:
        return [json.loads(r.content) for r in self.requests if r.url.path == path]

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        route = self.routes.get((request.method, request.url.path))
        if route is None:
            return httpx.Response(404, json={"detail": "not found", "errors": []})
        status, body = route(request)
        return httpx.Response(status, json=body)


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> FakeApi:
    fake = FakeApi()
    monkeypatch.setattr(api_client, "transport", httpx.MockTransport(fake.handler))
    return fake


@pytest.fixture
def api_down(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    monkeypatch.setattr(api_client, "transport", httpx.MockTransport(refuse))


@pytest.fixture(autouse=True)
def no_published_contacts() -> Iterator[None]:
    """Each test starts with no published contacts kept from another."""
    from actions.offline import forget_published

    forget_published()
    yield
    forget_published()
