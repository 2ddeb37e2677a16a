"""Per-address rate limits on the public api, with the ``limits`` library.

A pure ASGI middleware counts each request to ``/api/v1`` and the Open
Referral UK view against its endpoint's limit (chat, parse, recommendations,
postcodes, or the rest), keyed by the client address, before anything is
parsed. Over the limit, the answer is 429 with ``Retry-After`` and the api's
usual ``{"detail", "errors"}`` body. The chat also counts each new
conversation an address starts (:meth:`RateLimits.retry_after` with
``NEW_CONVERSATION``), which caps how many live conversations it can hold.

Counts are in memory per instance by default (a sliding window, a few bytes
per address); ``RATE_LIMIT_STORAGE_URL=redis://...`` shares them between
instances. If Redis cannot be reached the request is let through and a
warning logged: a practitioner is never refused because the counter is down.
The addresses in ``RATE_LIMIT_EXEMPT`` (loopback by default: the action
server calls the api for every practitioner) are never limited.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.storage import storage_from_string
from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import send_error
from api.limit_settings import LimitSettings

log = logging.getLogger("navigator.limits")

CHAT = "chat"
PARSE = "parse"
RECOMMENDATIONS = "recommendations"
POSTCODES = "postcodes"
API = "api"
NEW_CONVERSATION = "new_conversation"

# What each limit covers, in the words of the 429 message.
WHAT = {
    CHAT: "chat messages",
    PARSE: "requests to read a message",
    RECOMMENDATIONS: "recommendation requests",
    POSTCODES: "postcode look-ups",
    API: "requests",
    NEW_CONVERSATION: "new conversations",
}


def category(path: str) -> str | None:
    """Which limit a request path counts against; None for pages, the admin
    (it has its own sign-in throttling), health checks and static files."""
    if path == "/api/v1/chat":
        return CHAT
    if path == "/api/v1/parse":
        return PARSE
    if path == "/api/v1/recommendations":
        return RECOMMENDATIONS
    if path.startswith("/api/v1/postcodes"):
        return POSTCODES
    if path.startswith(("/api/v1/", "/openreferral/")) or path in ("/api/v1", "/openreferral"):
        return API
    return None


def _per(item: RateLimitItem) -> str:
    unit = item.GRANULARITY.name
    return f"per {unit}" if item.multiples == 1 else f"per {item.multiples} {unit}s"


@dataclass(frozen=True)
class Refusal:
    retry_after: int
    detail: str

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class RateLimits:
    def __init__(self, settings: LimitSettings) -> None:
        self.rules: dict[str, list[RateLimitItem]] = {
            CHAT: parse_many(settings.rate_limit_chat),
            PARSE: parse_many(settings.rate_limit_parse),
            RECOMMENDATIONS: parse_many(settings.rate_limit_recommendations),
            POSTCODES: parse_many(settings.rate_limit_postcodes),
            API: parse_many(settings.rate_limit_api),
            NEW_CONVERSATION: parse_many(settings.rate_limit_new_conversations),
        }
        self.exempt = settings.rate_limit_exempt_addresses()
        url = settings.rate_limit_storage_url
        if url.startswith("memory://"):
            storage = storage_from_string("async+memory://")
        else:
            # redis-py's asyncio client (the redis package), not coredis.
            storage = storage_from_string(f"async+{url}", implementation="redispy")
        self.limiter = SlidingWindowCounterRateLimiter(storage)

    async def refusal(self, name: str, address: str) -> Refusal | None:
        """Count one request by ``address`` against limit ``name``; a
        :class:`Refusal` if it is over the limit, else None."""
        if address in self.exempt:
            return None
        for item in self.rules[name]:
            try:
                allowed = await self.limiter.hit(item, name, address)
                if allowed:
                    continue
                stats = await self.limiter.get_window_stats(item, name, address)
            except Exception as error:  # a counter that is down never refuses people
                log.warning("rate limit storage unavailable, letting the request through: %s",
                            error)
                return None
            retry_after = max(1, math.ceil(stats.reset_time - time.time()))
            detail = (
                f"Too many {WHAT[name]} from your network: at most {item.amount} "
                f"{_per(item)}. Try again in {retry_after} seconds."
            )
            return Refusal(retry_after, detail)
        return None


def client_address(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, limits: RateLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        name = category(scope["path"]) if scope["type"] == "http" else None
        refusal = (
            await self.limits.refusal(name, client_address(scope)) if name is not None else None
        )
        if refusal is None:
            await self.app(scope, receive, send)
            return
        await send_error(
            send, 429, refusal.detail, [(b"retry-after", str(refusal.retry_after).encode())]
        )
