"""The public OpenAPI document (``/openapi.json``), with every error answer in it.

FastAPI documents each operation's success and a 422 in its own
``HTTPValidationError`` shape, which this api never sends: every error answer
is :class:`api.errors.ErrorBody` (``{"detail", "errors"}``). Which error
statuses an operation can answer follows from how the app is built, so they
are added here, for every operation in the document, rather than repeated on
each route (where one would be forgotten):

- 400: a body that cannot be decoded at all (bytes that are not UTF-8), on
  operations that take a body;
- 413: a body over its limit (:mod:`api.body_limit`), on every operation: the
  limit is checked before routing, so even a GET that sends a body meets it;
- 422: a parameter or body field that cannot be read, on operations that take any;
- 429: over a rate limit, with ``Retry-After`` (:mod:`api.limits`), on the
  operations it counts.

Any other 4xx a route documents without a body (its 404, say) gets the same
body; a route's own description of a status is kept. FastAPI's
``HTTPValidationError`` and ``ValidationError`` components are dropped once
nothing refers to them. ``tests/api/test_openapi_contract.py`` runs
schemathesis against the real server to keep this document true.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from api.errors import ErrorBody
from api.limits import category

REF_TEMPLATE = "#/components/schemas/{model}"
ERROR_BODY_REF = REF_TEMPLATE.format(model=ErrorBody.__name__)
FASTAPI_VALIDATION = ("HTTPValidationError", "ValidationError")
HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})

DESCRIPTIONS = {
    "400": "The request body could not be read at all (not UTF-8 text, say)",
    "413": "The request body is over its limit (BODY_LIMIT_API_BYTES, 32 KB by default)",
    "422": "A parameter or field could not be read: `detail` says what is accepted and "
    "`errors` names each field",
    "429": "Too many requests from this address: Retry-After says when to try again",
}
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
}


def error_statuses(path: str, operation: dict[str, Any]) -> list[str]:
    """The error statuses the app's machinery can answer for this operation."""
    statuses = ["413"]
    if operation.get("requestBody"):
        statuses.append("400")
    if operation.get("requestBody") or operation.get("parameters"):
        statuses.append("422")
    if category(path) is not None:
        statuses.append("429")
    return statuses


def _documents_fastapi_validation(response: dict[str, Any]) -> bool:
    return any(f"/{name}" in json.dumps(response.get("content")) for name in FASTAPI_VALIDATION)


def _document_operation(path: str, operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    for status in error_statuses(path, operation):
        response = responses.setdefault(status, {})
        if status == "422" and _documents_fastapi_validation(response):
            response.pop("description", None)  # FastAPI's "Validation Error"
        response.setdefault("description", DESCRIPTIONS[status])
    for status, response in responses.items():
        if not status.startswith("4"):
            continue
        if "content" not in response or _documents_fastapi_validation(response):
            response["content"] = {"application/json": {"schema": {"$ref": ERROR_BODY_REF}}}
        if status == "429":
            response.setdefault("headers", RETRY_AFTER)
    operation["responses"] = dict(sorted(responses.items()))


def _drop_unreferenced(document: dict[str, Any], names: tuple[str, ...]) -> None:
    schemas: dict[str, Any] = document["components"]["schemas"]
    for name in names:
        others = {key: value for key, value in document.items() if key != "components"}
        others["schemas"] = {key: value for key, value in schemas.items() if key != name}
        if name in schemas and f'"{REF_TEMPLATE.format(model=name)}"' not in json.dumps(others):
            del schemas[name]


def document_errors(document: dict[str, Any]) -> dict[str, Any]:
    """Add :class:`ErrorBody` and each operation's error statuses to ``document``."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    error_body = ErrorBody.model_json_schema(ref_template=REF_TEMPLATE)
    schemas.update(error_body.pop("$defs", {}))
    schemas[ErrorBody.__name__] = error_body
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                _document_operation(path, operation)
    _drop_unreferenced(document, FASTAPI_VALIDATION)
    document["components"]["schemas"] = dict(sorted(schemas.items()))
    return document


def install_openapi(app: FastAPI) -> None:
    """Serve FastAPI's document with the errors added (built once, on first use)."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_errors(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
