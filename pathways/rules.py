"""Pathway rules as reviewable data, and the checks that keep them honest.

A rule has an id, a plain-English summary, flat conditions over the facts
(:mod:`pathways.facts`), an outcome and named examples. :func:`evaluate`
gives every rule's verdict on a set of facts; :func:`check_rule_examples`
runs every example through the whole engine and :func:`check_rules` finds
rules that refer to facts, concerns or services that do not exist. Both work
on any :class:`Knowledge`, so the admin's publish check uses them on a draft.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, ValidationError

from pathways.conditions import RuleMatch, evaluate, holds, rule_matches
from pathways.facts import FACTS
from pathways.model import Knowledge, Rule, RuleExample
from pathways.recommend import InputError, Query, deciding_rule, recommend

__all__ = [
    "ExampleFailure",
    "RuleMatch",
    "check_rule_examples",
    "check_rules",
    "evaluate",
    "holds",
    "rule_matches",
]

# Facts whose values are concern codes, so a rule's value can be checked.
CONCERN_FACTS: Final = frozenset({"concerns", "red_flags", "absent_concerns"})
LIST_OPS: Final = frozenset({"contains", "contains_any", "not_contains_any"})


class ExampleFailure(BaseModel):
    """One rule example that does not hold, and why."""

    model_config = ConfigDict(frozen=True)

    rule: str
    example: str
    problem: str

    def __str__(self) -> str:
        return f"{self.rule} / {self.example}: {self.problem}"


def _example_problem(rule: Rule, example: RuleExample, knowledge: Knowledge, today: date
                     ) -> str | None:
    try:
        query = Query.model_validate(example.facts)
        answer = recommend(query, knowledge, today)
    except ValidationError as exc:
        return f"the example's facts are not a valid query: {exc.errors()[0]['msg']}"
    except InputError as exc:
        return f"the example's {exc.field} cannot be read: {exc.message}"
    problems: list[str] = []
    if answer.tier != example.tier:
        problems.append(f"expected tier {example.tier}, got {answer.tier}")
    ids = [s.id for s in answer.services]
    if example.includes_service and example.includes_service not in ids:
        problems.append(
            f"expected service {example.includes_service}, got {', '.join(ids) or 'none'}"
        )
    decided = deciding_rule(answer)
    if example.rule_fires and decided != rule.id:
        problems.append(f"expected {rule.id} to decide, but {decided or 'no rule'} did")
    if not example.rule_fires and decided == rule.id:
        problems.append(f"expected {rule.id} not to decide, but it did")
    return "; ".join(problems) or None


def check_rule_examples(knowledge: Knowledge, today: date) -> list[ExampleFailure]:
    """Run every example of every rule through the whole engine."""
    failures: list[ExampleFailure] = []
    for rule in knowledge.rules:
        for example in rule.examples:
            problem = _example_problem(rule, example, knowledge, today)
            if problem:
                failures.append(ExampleFailure(rule=rule.id, example=example.name, problem=problem))
    return failures


def _condition_problems(rule: Rule, knowledge: Knowledge) -> list[str]:
    problems: list[str] = []
    for condition in rule.conditions:
        where = f"{rule.id}: condition on {condition.field!r}"
        if condition.field not in FACTS:
            problems.append(f"{where}: there is no such fact (see pathways/README.md)")
            continue
        if condition.op in LIST_OPS | {"in", "not_in"} and condition.value is None:
            problems.append(f"{where}: {condition.op} needs a value")
        if condition.field in CONCERN_FACTS and condition.op in LIST_OPS:
            values: list[Any] = (
                list(condition.value) if isinstance(condition.value, list | tuple)
                else [condition.value]
            )
            problems += [
                f"{where}: unknown concern code {v!r}"
                for v in values if v not in knowledge.concerns
            ]
    return problems


def check_rules(knowledge: Knowledge) -> list[str]:
    """Problems that would make rules or concerns misbehave silently: unknown
    facts, concern codes or service ids, duplicate ids, phrases that match
    nothing. Each message names the rule or concern."""
    problems: list[str] = []
    seen: set[str] = set()
    for rule in knowledge.rules:
        if rule.id in seen:
            problems.append(f"{rule.id}: the id is used twice")
        seen.add(rule.id)
        if not rule.summary.strip():
            problems.append(f"{rule.id}: the summary is empty")
        if not rule.examples:
            problems.append(f"{rule.id}: a rule needs at least one example")
        problems += _condition_problems(rule, knowledge)
        problems += [
            f"{rule.id}: unknown service {s!r}"
            for s in rule.outcome.services if s not in knowledge.services
        ]
    for concern in knowledge.concerns.values():
        problems += [
            f"concern {concern.code}: unknown service {s!r}"
            for s in concern.services if s not in knowledge.services
        ]
    problems += _phrase_problems(knowledge)
    return problems


def _phrase_problems(knowledge: Knowledge) -> list[str]:
    from pathways.phrases import PhraseSyntaxError, compile_phrase

    problems: list[str] = []
    for concern in knowledge.concerns.values():
        for text in (*concern.phrases, *concern.absent_phrases):
            try:
                compile_phrase(concern.code, text)
            except PhraseSyntaxError as exc:
                problems.append(f"concern {concern.code}: {exc}")
    return problems
