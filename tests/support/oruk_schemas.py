"""Validators for the Open Referral UK profile schemas vendored in
``knowledge/content/oruk_profile/`` (see its README: source, commit, licence).

Shared by the export's unit tests and the api's Open Referral tests.
``ORUK_SCHEMA_DIR`` points them at another copy of the profile; a folder
without the schemas skips with the reason outside CI and fails the run in CI.

The profile's openapi.json names ``taxonomy.json``, ``taxonomy_term.json`` and
``compiled/service_at_location_list.json``, which are not among its published
files here: those addresses are mapped onto the same objects' definitions in
``service_with_definitions.json``, so every path's 200 schema in openapi.json
can be used as it stands (:func:`oruk_validators` ``"paths"``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# Where the profile's openapi.json points for its schemas; mapped onto the local copies.
PROFILE_BASE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
OPENAPI_URI = PROFILE_BASE + "openapi.json"
SCHEMA_FILES = {
    PROFILE_BASE + "compiled/service.json": "service.json",
    PROFILE_BASE + "compiled/service_list.json": "service_list.json",
    OPENAPI_URI: "openapi.json",
}
DEFINITIONS_FILE = "service_with_definitions.json"
# Schema addresses in openapi.json with no file of their own: definition names.
DEFINITION_URIS = {
    PROFILE_BASE + "taxonomy.json": "taxonomy",
    PROFILE_BASE + "taxonomy_term.json": "taxonomy_term",
    PROFILE_BASE + "compiled/service_at_location_list.json": "service_at_location",
}
VENDORED = Path(__file__).resolve().parents[2] / "knowledge" / "content" / "oruk_profile"
# The 200 response of GET /services in the profile's openapi.json: Page + contents.
PAGE_SCHEMA_REF = (
    OPENAPI_URI + "#/paths/~1services/get/responses/200/content/application~1json/schema"
)
PAGE_KEYS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page",
             "empty", "contents"}


def oruk_schema_dir() -> Path | None:
    """The folder holding the UK profile schemas, or None when it is absent."""
    configured = os.environ.get("ORUK_SCHEMA_DIR")
    folder = (
        Path(configured) if configured
        else VENDORED
    )
    return folder.resolve() if (folder / "service.json").is_file() else None


def _format_checker() -> FormatChecker:
    """jsonschema's checks plus ``uri`` and ``date-time``, whose optional
    checker packages are not installed, so those formats are really checked."""
    def is_uri(value: object) -> bool:
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return bool(parts.scheme and parts.netloc) and " " not in value

    def is_date_time(value: object) -> bool:
        if not isinstance(value, str):
            return True
        datetime.fromisoformat(value.replace("Z", "+00:00"))
        return "T" in value

    checker = FormatChecker()
    checker.checks("uri", raises=ValueError)(is_uri)
    checker.checks("date-time", raises=ValueError)(is_date_time)
    return checker


Validate = Callable[[Any], None]


def oruk_validators() -> dict[str, Validate]:
    folder = oruk_schema_dir()
    if folder is None:
        message = (
            f"Open Referral UK schemas not found in {os.environ.get('ORUK_SCHEMA_DIR') or VENDORED}"
        )
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    resources = [
        (uri, Resource.from_contents(json.loads((folder / name).read_text(encoding="utf-8")),
                                     default_specification=DRAFT202012))
        for uri, name in SCHEMA_FILES.items()
    ]
    definitions = json.loads((folder / DEFINITIONS_FILE).read_text(encoding="utf-8"))
    resources += [
        # each definition with the others beside it, so its "#/definitions/..." refs resolve
        (uri, Resource.from_contents(
            {**definitions["definitions"][name], "definitions": definitions["definitions"]},
            default_specification=DRAFT202012))
        for uri, name in DEFINITION_URIS.items()
    ]
    openapi = json.loads((folder / "openapi.json").read_text(encoding="utf-8"))
    registry: Registry[Any] = Registry().with_resources(resources)
    checker = _format_checker()

    def validator(ref: str) -> Validate:
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": ref}
        validate: Validate = Draft202012Validator(
            schema, registry=registry, format_checker=checker
        ).validate
        return validate

    return {
        "service": validator(PROFILE_BASE + "compiled/service.json"),
        "service_list": validator(PROFILE_BASE + "compiled/service_list.json"),
        "page": validator(PAGE_SCHEMA_REF),
        # every path the profile names, by its path there ("/taxonomies/{id}")
        **{path: validator(response_schema_ref(path)) for path in openapi["paths"]},
    }


def response_schema_ref(path: str) -> str:
    """Where openapi.json keeps the 200 body schema of ``GET path``."""
    escaped = path.replace("~", "~0").replace("/", "~1")
    return OPENAPI_URI + f"#/paths/{escaped}/get/responses/200/content/application~1json/schema"


