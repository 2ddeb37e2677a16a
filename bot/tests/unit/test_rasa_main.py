"""The serving fixes in serving/rasa_main.py keep Rasa's behaviour: action
server responses are accepted and refused exactly as before, and requests to
the action server reuse one kept-alive connection."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List

import pytest
from aiohttp import web
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from serving import rasa_main

GOOD: Dict[str, Any] = {
    "events": [{"event": "slot", "name": "age", "value": "4 months old"}],
    "responses": [{"text": "How old is the baby?", "custom": {"asking": "age"}}],
}
BAD: List[Dict[str, Any]] = [
    {"events": [{"event": "no_such_event"}]},
    {"events": "not a list"},
    {"responses": ["not an object"]},
]


@pytest.fixture(scope="module", autouse=True)
def patched() -> None:
    rasa_main.validate_action_responses_with_one_validator()
    rasa_main.reuse_endpoint_connections()


def remote_action() -> RemoteAction:
    return RemoteAction("action_read_message", EndpointConfig("http://127.0.0.1:1/webhook"))


def test_valid_action_responses_are_accepted() -> None:
    assert remote_action()._validate_action_result(GOOD) is True


@pytest.mark.parametrize("response", BAD)
def test_invalid_action_responses_are_refused_as_jsonschema_refuses_them(
    response: Dict[str, Any],
) -> None:
    with pytest.raises(ValidationError) as expected:
        validate(response, RemoteAction.action_response_format_spec())
    with pytest.raises(ValidationError, match="Failed to validate Action server response") as got:
        remote_action()._validate_action_result(response)
    assert got.value.message.startswith(expected.value.message)


def test_requests_to_the_action_server_reuse_one_connection() -> None:
    async def scenario() -> List[Any]:
        peers: List[Any] = []

        async def webhook(request: web.Request) -> web.Response:
            peers.append(request.transport.get_extra_info("peername"))  # type: ignore[union-attr]
            return web.json_response({"events": [], "responses": []})

        app = web.Application()
        app.router.add_post("/webhook", webhook)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
        try:
            for _ in range(3):
                assert await endpoint.request(json={"next_action": "x"}, method="post") == {
                    "events": [], "responses": []}
        finally:
            await runner.cleanup()
        return peers

    peers = asyncio.run(scenario())
    assert len(peers) == 3
    assert len(set(peers)) == 1, "one kept-alive connection, not one per request"
