"""The real stack for whole conversations: api, action server and the trained
Rasa model (tests/support/stack.py), started once per test session."""

from __future__ import annotations

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
def chat(stack: Stack) -> Iterator[Chat]:
    """Send messages as one new conversation (a client with its own cookie
    jar, so the server issues it one); each call returns the 200 reply."""
    with httpx.Client(base_url=stack.api_url, timeout=60) as browser:

        def send(message: str) -> dict[str, Any]:
            response = browser.post("/api/v1/chat", json={"message": message})
            assert response.status_code == 200, response.text
            reply: dict[str, Any] = response.json()
            return reply

        yield send


def text_of(reply: dict[str, Any]) -> str:
    return "\n".join(m["text"] for m in reply["messages"])
