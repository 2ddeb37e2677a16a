"""Point a test app's chat proxy at a stand-in for Rasa (an httpx handler)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from fastapi.testclient import TestClient

from api.rasa_client import RasaClient, get_rasa_client


def use_fake_rasa(
    client: TestClient, handler: Callable[[httpx.Request], httpx.Response]
) -> TestClient:
    """``client`` with its app's Rasa client answering through ``handler``
    (one client for the app, as the real one is)."""
    fake = RasaClient("http://rasa", 5.0, transport=httpx.MockTransport(handler))
    client.app.dependency_overrides[get_rasa_client] = lambda: fake  # type: ignore[attr-defined]
    return client
