"""Rasa's own command line, with two fixes for serving speed and the log
privacy guards (:mod:`serving.log_privacy`: no message text in Rasa's logs)
applied first.

Profiling the chat at 10 concurrent conversations showed Rasa's one event
loop busy with work that need not be done on every action server call:

- Rasa 3.6 checks every action server response with ``jsonschema.validate``,
  which re-checks the constant response schema against the JSON Schema
  meta-schema each time: over half of Rasa's CPU time. Here the schema is
  checked once and its validator reused: the same responses are accepted and
  refused, with the same message.
- Each call opened a new HTTP session and connection to the action server.
  Here one session per event loop is kept, so connections are reused; they
  are dropped after 2 s idle, before the action server (Sanic, 5 s) would
  close them, so a request never goes out on a connection being closed.

Usage (what scripts/bot-serve.sh and tests/support/stack.py run, from bot/):
    .venv/bin/python -m serving.rasa_main run --model ... --endpoints ...
"""

from __future__ import annotations

import asyncio
import sys
from types import TracebackType
from typing import Any, Dict, Optional, Text, Tuple, Type

import aiohttp
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

from serving.log_privacy import install as install_log_privacy

IDLE_CONNECTION_SECONDS = 2.0


def validate_action_responses_with_one_validator() -> None:
    """Replace RemoteAction._validate_action_result with a cached validator."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)

    def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
        error = best_match(validator.iter_errors(result))
        if error is None:
            return True
        # Rasa's own wording, so logs read the same as without this fix.
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error

    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]


class _Borrowed:
    """``async with`` on a shared session that leaves it open afterwards."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        return None


def reuse_endpoint_connections() -> None:
    """Make EndpointConfig.session hand out one kept-open session per event
    loop and credentials, instead of a new session for every request."""
    shared: Dict[Tuple[int, str, str], aiohttp.ClientSession] = {}

    def session(self: EndpointConfig) -> _Borrowed:
        key = (id(asyncio.get_running_loop()), repr(self.headers), repr(self.basic_auth))
        current = shared.get(key)
        if current is None or current.closed:
            auth = (
                aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
                if self.basic_auth else None
            )
            current = aiohttp.ClientSession(
                headers=self.headers,
                auth=auth,
                timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                connector=aiohttp.TCPConnector(keepalive_timeout=IDLE_CONNECTION_SECONDS),
            )
            shared[key] = current
        return _Borrowed(current)

    EndpointConfig.session = session  # type: ignore[assignment]


def main() -> None:
    install_log_privacy()
    validate_action_responses_with_one_validator()
    reuse_endpoint_connections()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
