"""Schemathesis hooks for the contract run (tests/api/test_openapi_contract.py).

Some fields are free text that the engine reads, and what it can read is
more than a JSON Schema can say: an age ("6 weeks", "due in March"), a
postcode (any case, spacing, or just the outward code), concern codes (the
published vocabulary, which LMM staff edit), a duration. Text the engine
cannot read gets a 422 naming the field, as DESIGN.md promises for an age of
"banana". So the run accepts a 422 to schema-valid data on the operations
that read such fields (``schemathesis.toml``), and this check keeps that
narrow: such a 422 must name only fields in :data:`READ_FIELDS`. A schema-valid
request refused for any other reason (a type, a length, an extra field the
schema allows) still fails the run.
"""

from __future__ import annotations

from typing import Any

import schemathesis

# The fields each operation reads beyond their schema (see the docstring).
READ_FIELDS: dict[tuple[str, str], frozenset[str]] = {
    ("POST", "/api/v1/recommendations"): frozenset({"age", "postcode", "concerns", "duration"}),
    ("POST", "/api/v1/postcodes"): frozenset({"postcode"}),
}


def _fields_named(body: Any) -> set[str]:
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, list):
        return set()
    return {str(e.get("field", "")).split(".")[0] for e in errors if isinstance(e, dict)}


@schemathesis.check
def schema_valid_refusals_name_a_read_field(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case
) -> bool | None:
    """A 422 to schema-valid data names only fields the engine reads beyond their schema."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    readable = READ_FIELDS.get((case.method.upper(), case.operation.path), frozenset())
    named = _fields_named(response.json())
    if not named or not named <= readable:
        raise AssertionError(
            f"Schema-valid data refused for {sorted(named) or 'no field'}; only "
            f"{sorted(readable) or 'no field'} may be refused beyond the schema here"
        )
    return None
