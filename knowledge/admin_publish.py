"""The checks a draft must pass before it is published, and publishing itself.

Publishing re-runs every rule's examples and every worked case from the test
suite against the draft. If any fails the draft stays a draft and the
failures are shown, so a content change can never silently break the
pathway the engine serves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from sqlmodel import Session

from knowledge.seed_files import SeedError
from knowledge.tables import ContentVersion
from knowledge.versions import VersionError, current_draft, load_knowledge, publish_draft
from pathways.cases import run_worked_cases
from pathways.model import Knowledge
from pathways.rules import check_rule_examples


@dataclass(frozen=True)
class PublishCheck:
    """The outcome of checking a draft: what failed (nothing means it may be published)."""

    failures: tuple[str, ...]
    examples_checked: int
    cases_checked: int

    @property
    def ok(self) -> bool:
        return not self.failures


class PublishRefused(VersionError):
    def __init__(self, check: PublishCheck) -> None:
        super().__init__(f"{len(check.failures)} check(s) failed")
        self.check = check


def read_worked_cases(path: Path) -> list[dict[str, Any]]:
    """The worked cases file: a list of cases, or a mapping with a ``cases`` list."""
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data, dict):
        data = data.get("cases", [])
    return [case for case in data or [] if isinstance(case, dict)]


def reference_failures(knowledge: Knowledge) -> list[str]:
    """Ids that point at nothing: a concern or rule naming a removed service, …"""
    failures: list[str] = []
    services, areas = knowledge.services, knowledge.areas
    for service in services.values():
        failures += [
            f"Service {service.id} lists area {a}, which does not exist."
            for a in service.areas if a not in areas
        ]
    for area in areas.values():
        if area.within and area.within not in areas:
            failures.append(f"Area {area.code} is within {area.within}, which does not exist.")
    for mapping in knowledge.postcodes.values():
        failures += [
            f"Postcode {mapping.prefix} lists area {a}, which does not exist."
            for a in (*mapping.areas, *mapping.partial_areas) if a not in areas
        ]
    for concern in knowledge.concerns.values():
        failures += [
            f"Concern {concern.code} recommends service {s}, which does not exist."
            for s in concern.services if s not in services
        ]
    for rule in knowledge.rules:
        failures += [
            f"Rule {rule.id} recommends service {s}, which does not exist."
            for s in rule.outcome.services if s not in services
        ]
    return failures


def check_knowledge(
    knowledge: Knowledge, today: date, cases: list[dict[str, Any]]
) -> PublishCheck:
    failures = reference_failures(knowledge)
    failures += [str(f) for f in check_rule_examples(knowledge, today)]
    failures += [str(f) for f in run_worked_cases(cases, knowledge, today)]
    examples = sum(len(rule.examples) for rule in knowledge.rules)
    return PublishCheck(tuple(failures), examples, len(cases))


def draft_knowledge(session: Session) -> Knowledge | None:
    draft = current_draft(session)
    if draft is None or draft.id is None:
        return None
    return load_knowledge(session, draft.id)


def check_draft(session: Session, today: date, cases_path: Path) -> PublishCheck:
    try:
        knowledge = draft_knowledge(session)
    except (ValidationError, SeedError) as exc:
        return PublishCheck((f"The draft's content is not valid: {exc}",), 0, 0)
    if knowledge is None:
        raise VersionError("There is no draft to publish: make a change first.")
    return check_knowledge(knowledge, today, read_worked_cases(cases_path))


def publish_checked(
    session: Session, by: str, note: str, today: date, cases_path: Path
) -> tuple[ContentVersion, PublishCheck]:
    """Publish the draft if every check passes, else raise PublishRefused."""
    check = check_draft(session, today, cases_path)
    if not check.ok:
        raise PublishRefused(check)
    return publish_draft(session, by, note or "Published from the admin"), check
