"""A readable difference between two content versions, entry by entry and
field by field, so a publisher can see exactly what a publish would change."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import yaml

from knowledge.content.tables import CONTENT_KEYS

Change = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: str
    after: str
    added_items: tuple[str, ...] = ()
    removed_items: tuple[str, ...] = ()


@dataclass(frozen=True)
class EntryChange:
    kind: str
    key: str
    change: Change
    fields: tuple[FieldChange, ...] = field(default=())


def show(value: Any) -> str:
    """A value as a reviewer reads it: plain text, lists one item a line."""
    if value is None or value == [] or value == {}:
        return "(none)"
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n".join(value)
    return yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=100).strip()


def _item(value: Any) -> str:
    return value if isinstance(value, str) else show(value)


def _field_change(name: str, before: Any, after: Any) -> FieldChange:
    if isinstance(before, list) and isinstance(after, list):
        old = [_item(v) for v in before]
        new = [_item(v) for v in after]
        return FieldChange(
            name, show(before), show(after),
            added_items=tuple(v for v in new if v not in old),
            removed_items=tuple(v for v in old if v not in new),
        )
    return FieldChange(name, show(before), show(after))


def _normalise(document: dict[str, Any]) -> dict[str, Any]:
    """Treat a missing value and an empty/None one as the same, so stored rows
    and imported YAML with omitted defaults compare equal."""
    return {k: v for k, v in document.items() if v not in (None, [], {})}


def diff_entry(before: dict[str, Any], after: dict[str, Any]) -> tuple[FieldChange, ...]:
    old, new = _normalise(before), _normalise(after)
    names = list(dict.fromkeys([*old, *new]))
    return tuple(
        _field_change(n, old.get(n), new.get(n)) for n in names if old.get(n) != new.get(n)
    )


def diff_documents(
    before: dict[str, list[dict[str, Any]]], after: dict[str, list[dict[str, Any]]]
) -> list[EntryChange]:
    """Every entry added, removed or changed from ``before`` to ``after``."""
    changes: list[EntryChange] = []
    for kind, key_name in CONTENT_KEYS.items():
        old = {str(d[key_name]): d for d in before.get(kind, [])}
        new = {str(d[key_name]): d for d in after.get(kind, [])}
        for key in sorted(old.keys() | new.keys()):
            if key not in old:
                changes.append(EntryChange(kind, key, "added", diff_entry({}, new[key])))
            elif key not in new:
                changes.append(EntryChange(kind, key, "removed"))
            else:
                fields = diff_entry(old[key], new[key])
                if fields:
                    changes.append(EntryChange(kind, key, "changed", fields))
    return changes
