"""The one client the actions use to reach the navigator's api.

Small on purpose: each method is one endpoint, with timeouts and
``raise_for_status`` so a broken api becomes :class:`ApiUnavailable` (the
actions then give the direct contacts) and a 422 becomes :class:`ApiInputError`
carrying the engine's user-facing message (the actions re-ask with it).

No user text goes in a URL (a postcode is sent in a POST body), and a
refusal never quotes back what was typed: the engine's message says "that"
where it quoted the value, and still says what is accepted.

Every call goes through one ``httpx.AsyncClient`` per event loop (made on
first use, :func:`shared_client`), so connections to the api are kept alive
between calls instead of a new client and connection for each one. A
connection idle for :data:`IDLE_CONNECTION_SECONDS` is dropped, before the
api (uvicorn, 5 s) or a balancer would close it under a request.
"""

from __future__ import annotations

import asyncio
import os
import re
import ssl
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import quote

import httpx

from actions.offline import published_is_due, remember_published

DEFAULT_API_URL = "http://127.0.0.1:8000"
TIMEOUT = httpx.Timeout(5.0, connect=2.0)
# Building an SSL context loads the CA bundle (~100 ms); a client per call
# would pay that on every action, so one context is made once and shared.
SSL_CONTEXT = ssl.create_default_context()

# Tests swap in an httpx.MockTransport here; None means real network.
transport: Optional[httpx.AsyncBaseTransport] = None
IDLE_CONNECTION_SECONDS = 2.0
LIMITS = httpx.Limits(
    max_connections=100, max_keepalive_connections=20, keepalive_expiry=IDLE_CONNECTION_SECONDS
)
# The shared clients: one per event loop, base url and transport.
_clients: Dict[Tuple[int, str, int], Tuple[asyncio.AbstractEventLoop, httpx.AsyncClient]] = {}


def shared_client(base_url: str) -> httpx.AsyncClient:
    """The kept-alive client for this event loop (made lazily, in the loop
    that uses it: the action server's). A new ``transport`` (a test's) gets
    a client of its own; clients of loops that have closed are forgotten."""
    loop = asyncio.get_running_loop()
    key = (id(loop), base_url, id(transport))
    found = _clients.get(key)
    if found is not None and found[0] is loop and not found[1].is_closed:
        return found[1]
    for old_key, (old_loop, _) in list(_clients.items()):
        if old_loop.is_closed():
            del _clients[old_key]
    client = httpx.AsyncClient(
        base_url=base_url, timeout=TIMEOUT, transport=transport, verify=SSL_CONTEXT,
        limits=LIMITS,
    )
    _clients[key] = (loop, client)
    return client


class ApiUnavailable(Exception):
    """The api could not be reached or failed: not the practitioner's fault."""


class ApiInputError(Exception):
    """The api refused a value (422); ``message`` says what is accepted."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def api_url() -> str:
    return os.environ.get("NAVIGATOR_API_URL", DEFAULT_API_URL).rstrip("/")


class NavigatorApi:
    """Async client for the endpoints the bot needs."""

    def __init__(self, base_url: Optional[str] = None) -> None:
        self._base_url = base_url or api_url()

    async def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = await shared_client(self._base_url).request(method, path, **kwargs)
            if response.status_code == 422:
                raise _input_error(response, _sent_texts(kwargs.get("json")))
            response.raise_for_status()
            return response.json()
        except httpx.HTTPError as error:
            raise ApiUnavailable(f"{method} {path} failed: {error}") from error
        except ValueError as error:  # a non-JSON body
            raise ApiUnavailable(f"{method} {path} answered something unreadable") from error

    async def parse(self, text: str) -> Dict[str, Any]:
        """Age, postcode, concerns and red flags the engine finds in a message."""
        result: Dict[str, Any] = await self._request(
            "POST", "/api/v1/parse", json={"text": text[:2000]}
        )
        return result

    async def recommend(self, query: Dict[str, Any]) -> Dict[str, Any]:
        """The engine's recommendation (checks and previews too: the api's
        usage counts count each chat conversation once, not these calls)."""
        result: Dict[str, Any] = await self._request(
            "POST", "/api/v1/recommendations", json=query
        )
        if published_is_due():
            await self.refresh_direct_contacts()
        return result

    async def refresh_direct_contacts(self) -> None:
        """Keep the published direct contacts for when the api is down
        (``actions.offline``); a failure here keeps what was kept."""
        try:
            found = await self._request("GET", "/api/v1/contacts/direct")
        except (ApiUnavailable, ApiInputError):
            return
        if isinstance(found, dict) and isinstance(found.get("text"), str):
            version = found.get("version")
            remember_published(found["text"], version if isinstance(version, int) else None)

    async def postcode(self, postcode: str) -> Dict[str, Any]:
        result: Dict[str, Any] = await self._request(
            "POST", "/api/v1/postcodes", json={"postcode": postcode.strip()}
        )
        return result

    async def services(self) -> List[Dict[str, Any]]:
        result: List[Dict[str, Any]] = await self._request("GET", "/api/v1/services")
        return result

    async def find_services(self, text: str) -> List[Dict[str, Any]]:
        """The services a question names, best match first (the engine's one name search)."""
        result: List[Dict[str, Any]] = await self._request(
            "POST", "/api/v1/services/find", json={"text": text}
        )
        return result

    async def concerns(self) -> List[Dict[str, Any]]:
        result: List[Dict[str, Any]] = await self._request("GET", "/api/v1/concerns")
        return result

    async def service(self, service_id: str) -> Dict[str, Any]:
        result: Dict[str, Any] = await self._request(
            "GET", f"/api/v1/services/{quote(service_id, safe='')}"
        )
        return result


def _sent_texts(body: Any) -> List[str]:
    """Every string in a JSON request body: what the practitioner typed."""
    if isinstance(body, str):
        return [body]
    if isinstance(body, dict):
        return [text for value in body.values() for text in _sent_texts(value)]
    if isinstance(body, list):
        return [text for value in body for text in _sent_texts(value)]
    return []


_QUOTED = re.compile(r'"([^"]*)"')


def without_echo(message: str, sent: List[str]) -> str:
    """The engine's message with any quoted piece of what was sent replaced
    by "that": '"Mrs [name] [phone]" is not a UK postcode. Give ...' becomes
    'That is not a UK postcode. Give ...'. Quoted examples stay."""
    typed = [text.strip().lower() for text in sent if text.strip()]

    def replace(match: "re.Match[str]") -> str:
        quoted = match.group(1).strip().lower()
        # The engine quotes the value as typed, cut to its first characters.
        if quoted and any(text.startswith(quoted) for text in typed):
            return "that"
        return match.group(0)

    unquoted = _QUOTED.sub(replace, message)
    return unquoted[:1].upper() + unquoted[1:]


def _input_error(response: httpx.Response, sent: List[str]) -> ApiInputError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    errors = body.get("errors") or []
    if errors:
        return ApiInputError(
            str(errors[0].get("field", "")),
            without_echo(str(errors[0].get("message", "")), sent),
        )
    return ApiInputError(
        "", without_echo(str(body.get("detail", "That value could not be read.")), sent)
    )
