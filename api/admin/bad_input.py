"""Bad input to the admin is a 400 page that says what was wrong, never a 500.

- Numbers in paths, queries and forms are ASCII digits within the database's
  integer range (``DbId``, ``VersionQuery``, :func:`form_int`): ``int()``
  accepts "²" as a digit test and "١٢" as twelve, and a 30-digit id overflows
  PostgreSQL's integer.
- Text containing NUL characters is refused before it reaches PostgreSQL,
  which cannot store them (:func:`refuse_nul`).
- FastAPI's own validation errors (too long, not a number, missing) become the
  same page (:func:`from_validation_error`); the admin route class uses both.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query, Request
from fastapi.exceptions import RequestValidationError
from starlette.datastructures import UploadFile

from api.admin.security import AdminPageError

MAX_ID = 2_147_483_647  # PostgreSQL integer

DbId = Annotated[int, Path(ge=1, le=MAX_ID)]
VersionQuery = Annotated[int, Query(ge=1, le=MAX_ID)]
OptionalVersionQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]

TITLE = "Some of what was sent cannot be used"


def bad_request(message: str) -> AdminPageError:
    return AdminPageError(400, TITLE, message + " Nothing was changed. Go back and try again.")


def form_int(value: object, label: str) -> int | None:
    """A whole number from a form field; None when it is absent or blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = value.strip() if isinstance(value, str) else ""
    if not (text.isascii() and text.isdecimal() and len(text) <= 10 and int(text) <= MAX_ID):
        raise bad_request(f"The {label} must be a whole number written with the digits 0-9 "
                          f"(at most {MAX_ID}).")
    return int(text)


def _field_name(location: tuple[Any, ...]) -> str:
    parts = [str(p) for p in location if p not in ("body", "query", "path", "form")]
    return ".".join(parts) or "the request"


def _reason(error: dict[str, Any]) -> str:
    field = _field_name(tuple(error.get("loc", ())))
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind == "missing":
        return f"{field} is missing."
    if kind == "string_too_long":
        return f"{field} may be at most {context.get('max_length')} characters long."
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{field} must be a whole number written with the digits 0-9."
    if kind in ("less_than_equal", "greater_than_equal", "greater_than", "less_than"):
        return f"{field} is out of range ({error.get('msg', '')})."
    return f"{field}: {error.get('msg', 'is not valid')}."


def from_validation_error(exc: RequestValidationError) -> AdminPageError:
    reasons = " ".join(dict.fromkeys(_reason(e) for e in exc.errors()))
    return bad_request(reasons or "The request is not valid.")


async def refuse_nul(request: Request) -> None:
    """400 when the path, query or a form field holds a NUL character, or a
    numeric part of the path is not an id (non-ASCII digits, or too large)."""
    if "\x00" in request.url.path or "%00" in request.url.query or "\x00" in request.url.query:
        raise bad_request("The address contains a NUL character, which is never valid.")
    for name, value in request.path_params.items():
        # every numeric path part is a database id, whatever the route declares;
        # what int() or pydantic would read as a number must fit the database
        digits = str(value).strip().lstrip("+-").replace("_", "")
        if digits.isdecimal() and not (
            digits.isascii() and len(digits) <= 10 and int(digits) <= MAX_ID
        ):
            raise bad_request(f"The {name} in the address is not a number this site uses.")
    if request.method != "POST":
        return
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return
    form = await request.form()  # cached: the handler reads the same parsed form
    for name, value in form.multi_items():
        if "\x00" in name or (not isinstance(value, UploadFile) and "\x00" in value):
            raise bad_request("A form field contains a NUL character, which is never valid.")
