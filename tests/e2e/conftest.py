"""The real stack for whole conversations: api, action server and the trained
Rasa model (tests/support/stack.py), started once per test session."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.support.stack import Stack, require_bot, running_stack

Chat = Callable[[str], dict[str, Any]]


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    require_bot()
    with running_stack(tmp_path_factory.mktemp("stack")) as running:
        yield running


@pytest.fixture
def chat(stack: Stack) -> Chat:
    """Send messages as one new conversation; each call returns the 200 reply."""
    sender = f"e2e-{uuid.uuid4().hex[:12]}"

    def send(message: str) -> dict[str, Any]:
        response = httpx.post(
            f"{stack.api_url}/api/v1/chat",
            json={"sender_id": sender, "message": message},
            timeout=60,
        )
        assert response.status_code == 200, response.text
        reply: dict[str, Any] = response.json()
        return reply

    return send


def text_of(reply: dict[str, Any]) -> str:
    return "\n".join(m["text"] for m in reply["messages"])
