"""Every client error as one plain shape: ``{"detail": "...", "errors": [{"field", "message"}]}``.

Practitioners and the bot read these messages, so they say which field was
wrong and what is accepted. Unexpected failures answer a generic 500 with no
stack trace (the detail goes to the log only).
"""

from __future__ import annotations

import json
import logging
import traceback
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Send

from api.security_headers import security_headers

log = logging.getLogger("navigator.api")


class FieldError(Exception):
    """A client error about one field, raised by handlers and turned into a 422."""

    def __init__(self, field: str, message: str, status_code: int = 422) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.status_code = status_code


class FieldErrorItem(BaseModel):
    """One field at fault, as :func:`error_body` lists it."""

    field: str = Field(
        description="The request field at fault (nested ones dotted, such as concerns.0), "
        "or body for the request body as a whole",
        examples=["age"],
    )
    message: str = Field(
        description="What was wrong with it and what is accepted",
        examples=['I could not read "banana" as an age. Try "6 weeks", "14 months", '
                  '"28 weeks pregnant" or "due in March".'],
    )


# The public OpenAPI document gives ErrorBody for each error status (api.openapi),
# so its docstring and descriptions are written for the api's clients.
class ErrorBody(BaseModel):
    """The body of every error answer: what went wrong and what is accepted."""

    detail: str = Field(description="One plain sentence: the (first) problem and what to do")
    errors: list[FieldErrorItem] = Field(
        description="Each field at fault; empty when the error is not about a field "
        "(a body too large, too many requests, an unexpected failure)"
    )


def error_body(detail: str, errors: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """An :class:`ErrorBody` as JSON-ready data (middlewares send it without FastAPI)."""
    return {"detail": detail, "errors": errors or []}


_TYPE_NAMES = {
    "string_type": "text",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a JSON object",
    "model_type": "a JSON object",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "finite_number": "a finite number",
}

_BOUNDS = {
    "greater_than_equal": ("at least", "ge"),
    "greater_than": ("more than", "gt"),
    "less_than_equal": ("at most", "le"),
    "less_than": ("less than", "lt"),
}


async def send_error(
    send: Send, status: int, detail: str, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    """Answer ``status`` with the error body straight from ASGI middleware,
    which runs before the app (and its handlers) could."""
    body = json.dumps(error_body(detail)).encode()
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            *(headers or []),
        ],
    })
    await send({"type": "http.response.body", "body": body})


def _field_name(location: tuple[Any, ...]) -> str:
    parts = [str(p) for p in location if p not in ("body", "query", "path")]
    return ".".join(parts) or "body"


def _friendly(error: dict[str, Any]) -> dict[str, str]:
    field = _field_name(tuple(error.get("loc", ())))
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind == "json_invalid":
        return {"field": "body", "message": "The request body is not valid JSON."}
    if kind == "missing":
        return {"field": field, "message": f"{field} is required."}
    if kind in _TYPE_NAMES:
        return {"field": field, "message": f"{field} must be {_TYPE_NAMES[kind]}."}
    if kind == "string_too_long":
        limit = context.get("max_length")
        return {"field": field, "message": f"{field} must be at most {limit} characters."}
    if kind == "string_too_short":
        limit = context.get("min_length")
        return {"field": field, "message": f"{field} must be at least {limit} characters."}
    if kind in _BOUNDS:
        limit = context.get(_BOUNDS[kind][1])
        return {"field": field, "message": f"{field} must be {_BOUNDS[kind][0]} {limit}."}
    if kind == "extra_forbidden":
        return {"field": field, "message": f"{field} is not a field this endpoint accepts."}
    return {"field": field, "message": f"{field}: {error.get('msg', 'is not valid')}."}


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101 - registered for this type
    errors = [_friendly(e) for e in exc.errors()]
    first = errors[0]["message"] if errors else "The request is not valid."
    return JSONResponse(status_code=422, content=error_body(first, errors))


async def _field_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, FieldError)  # noqa: S101 - registered for this type
    return JSONResponse(
        status_code=exc.status_code,
        content=error_body(exc.message, [{"field": exc.field, "message": exc.message}]),
    )


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101 - registered for this type
    detail = exc.detail if isinstance(exc.detail, str) else "The request could not be handled."
    return JSONResponse(
        status_code=exc.status_code, content=error_body(detail), headers=exc.headers
    )


DATABASE_RETRY_SECONDS = 5


async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    # The database went away (restarting, cut off): the request's transaction
    # was rolled back whole, so the client may simply try again.
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path,
                type(exc).__name__)
    return JSONResponse(
        status_code=503,
        content=error_body("The navigator's database is unavailable for a moment; nothing was "
                           f"saved. Please try again in {DATABASE_RETRY_SECONDS} seconds."),
        headers={"Retry-After": str(DATABASE_RETRY_SECONDS)},
    )


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    # The frames and the type, never the exception's message: it may quote input.
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error("unhandled %s on %s %s\n%s", type(exc).__name__, request.method,
              request.url.path, frames)
    # answered outside every middleware, so the security headers are added here
    return JSONResponse(
        status_code=500,
        content=error_body("Something went wrong on our side. Please try again."),
        headers=security_headers(request),
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(FieldError, _field_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(DBAPIError, _database_unavailable)
    app.add_exception_handler(Exception, _unexpected_error)
