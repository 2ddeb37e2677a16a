"""Evaluating a rule's flat conditions against the facts.

Each condition is ``field op value``; a rule matches when all of its
conditions hold (no conditions: always). A condition that cannot be compared
(a missing fact, ``lt`` on null) is simply false, never an error, so a rule
written against a fact the engine could not establish does not fire.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from pathways.model import Condition, Rule


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list | tuple | set | frozenset):
        return list(value)
    return [value]


def _compare(fact: Any, value: Any, test: Callable[[Any, Any], bool]) -> bool:
    if fact is None or value is None or isinstance(fact, bool) != isinstance(value, bool):
        return False
    try:
        return test(fact, value)
    except TypeError:
        return False


def _contains(fact: Any, value: Any) -> bool:
    return isinstance(fact, list | tuple) and value in fact


def _contains_any(fact: Any, value: Any) -> bool:
    return isinstance(fact, list | tuple) and any(v in fact for v in _as_list(value))


def _eq(fact: Any, value: Any) -> bool:
    """Equality that keeps true/false apart from 1/0 and null apart from false."""
    if isinstance(fact, bool) or isinstance(value, bool) or fact is None or value is None:
        return fact is value
    return bool(fact == value)


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": _eq,
    "ne": lambda f, v: not _eq(f, v),
    "lt": lambda f, v: _compare(f, v, lambda a, b: a < b),
    "lte": lambda f, v: _compare(f, v, lambda a, b: a <= b),
    "gt": lambda f, v: _compare(f, v, lambda a, b: a > b),
    "gte": lambda f, v: _compare(f, v, lambda a, b: a >= b),
    "in": lambda f, v: f in _as_list(v),
    "not_in": lambda f, v: f not in _as_list(v),
    "contains": _contains,
    "contains_any": _contains_any,
    "not_contains_any": lambda f, v: not _contains_any(f, v),
    "is_null": lambda f, _v: f is None,
    "not_null": lambda f, _v: f is not None,
}


def holds(condition: Condition, facts: Mapping[str, Any]) -> bool:
    """Whether one condition is true of ``facts``."""
    return _OPS[condition.op](facts.get(condition.field), condition.value)


class RuleMatch(BaseModel):
    """One rule's verdict on the facts."""

    model_config = ConfigDict(frozen=True)

    id: str
    summary: str
    matched: bool


def rule_matches(rule: Rule, facts: Mapping[str, Any]) -> bool:
    return all(holds(c, facts) for c in rule.conditions)


def evaluate(rules: Iterable[Rule], facts: Mapping[str, Any]) -> list[RuleMatch]:
    """Every rule's verdict, in priority order (lowest number first)."""
    ordered = sorted(rules, key=lambda r: (r.priority, r.id))
    return [RuleMatch(id=r.id, summary=r.summary, matched=rule_matches(r, facts)) for r in ordered]
