"""Request bodies over their endpoint's limit are refused with 413 before they
are parsed.

A pure ASGI middleware, outermost but for the error handlers: a declared
``Content-Length`` over the limit is answered at once, without calling the
app or reading a byte of the body; a body without one (chunked) is counted as
it streams, and the first chunk past the limit ends the request with a 413.
So no endpoint ever holds more than its limit in memory, whatever it does
with the body (JSON, forms, the admin's zip upload).

Limits are per path (:func:`limit_for`): the JSON api a few tens of KB, the
admin forms 256 KB, the admin's content import a few MB. The answer is the
api's usual error body ``{"detail", "errors"}`` and says the limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import send_error

IMPORT_PATH = "/admin/import"


@dataclass(frozen=True)
class BodyLimits:
    api_bytes: int
    admin_bytes: int
    import_bytes: int


def limit_for(path: str, limits: BodyLimits) -> int:
    """The most bytes a request body to ``path`` may have."""
    if path == IMPORT_PATH:
        return limits.import_bytes
    if path == "/admin" or path.startswith("/admin/"):
        return limits.admin_bytes
    return limits.api_bytes


def describe(size: int) -> str:
    """256 KB, 5 MB, 32 KB: the limit as people say it."""
    if size >= 1024 * 1024 and size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)} MB"
    if size >= 1024 and size % 1024 == 0:
        return f"{size // 1024} KB"
    return f"{size:,} bytes"


def too_large_message(limit: int) -> str:
    return f"The request body is too large: this endpoint accepts at most {describe(limit)}."


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a streamed body passes its limit. A
    FastAPI ``HTTPException`` so FastAPI's body reading re-raises it as it is
    (not as a 400), and the api's handler answers it as ``{detail, errors}``."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=too_large_message(limit))


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send, limit: int) -> None:
    await send_error(send, 413, too_large_message(limit), [(b"connection", b"close")])


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, limits: BodyLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = limit_for(scope["path"], self.limits)
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, limit)
            return

        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge:
            # Raised where the app read the body itself (a form parser, say).
            if started:
                raise
            await _refuse(send, limit)
