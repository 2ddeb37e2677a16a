"""The checks a draft must pass before it is published, and publishing itself.

Publishing re-runs every rule's examples and every worked case from the test
suite against the draft, and reads the whole labelled corpus with it
(``knowledge/content/corpus``): a draft is refused when it misses a red flag on
either split that the published version catches (any red flag, when nothing
is published yet), or reads the held-back ``dev`` split less accurately
(tier accuracy) than the published version. If any check fails the draft stays a
draft and the failures are shown, so a content change, phrases included, can
never silently break the pathway or the reading the engine serves.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from sqlmodel import Session

from knowledge.content.reading_corpus import fitted_reader, load_corpus
from knowledge.content.seed_files import SeedError, volunteer_route_services
from knowledge.content.tables import ContentVersion
from knowledge.content.versions import (
    VersionError,
    current_draft,
    latest_published,
    load_knowledge,
    publish_draft,
)
from pathways.asker_examples import (
    check_volunteer_examples,
    check_volunteer_principles,
    check_volunteer_references,
)
from pathways.cases import run_worked_cases
from pathways.contacts import literal_phone_failures, placeholder_failures
from pathways.evaluation import CorpusItem, ReadingScores, evaluate
from pathways.model import Knowledge
from pathways.rules import check_rule_examples

WORKED_CASES_PATH = Path(__file__).parent / "worked_cases.yaml"
"""The public worked cases every draft must pass before it is published."""


@dataclass(frozen=True)
class ReadingCheck:
    """How the draft reads the corpus, next to the published version."""

    draft_train: ReadingScores
    draft_dev: ReadingScores
    published_dev: ReadingScores | None


@dataclass(frozen=True)
class PublishCheck:
    """The outcome of checking a draft: what failed (nothing means it may be published)."""

    failures: tuple[str, ...]
    examples_checked: int
    cases_checked: int
    reading: ReadingCheck | None = None

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


_EVALUATIONS: dict[tuple[str, Path, str, date], ReadingScores] = {}
# One reading of the corpus at a time: a publish check that comes while the
# published version is being read at start-up waits for it and then reuses
# it, instead of reading the same thing alongside it.
_READING: threading.Lock = threading.Lock()


def _evaluated(
    knowledge: Knowledge, split: str, items: list[CorpusItem], today: date, corpus_dir: Path
) -> ReadingScores:
    """The corpus split read with ``knowledge``; remembered per content (and
    day: ages are worked out from it), so the published version is read once
    per process, not at every publish."""
    content = knowledge.model_dump_json(exclude={"version", "published_at"})
    key = (hashlib.sha256(content.encode()).hexdigest(), corpus_dir, split, today)
    with _READING:
        if key not in _EVALUATIONS:
            if len(_EVALUATIONS) > 16:
                _EVALUATIONS.clear()
            _EVALUATIONS[key] = evaluate(
                items, knowledge, today, fitted_reader(knowledge, corpus_dir))
        return _EVALUATIONS[key]


def read_published_corpus(published: Knowledge, today: date, corpus_dir: Path) -> None:
    """Read the corpus with the published version now (about a minute on
    two cores), so the first publish check after a start has only the
    draft to read. Run in the background at start-up."""
    corpus = load_corpus(corpus_dir)
    if not corpus:
        return
    for name in ("train", "dev"):
        _evaluated(published, name, [i for i in corpus if i.split == name], today, corpus_dir)


def check_reading(
    draft: Knowledge, published: Knowledge | None, corpus: list[CorpusItem], today: date,
    corpus_dir: Path,
) -> tuple[ReadingCheck, list[str]]:
    """Read the corpus with the draft and with the published version; the
    failures that refuse publishing: a red flag the draft misses (one the
    published version catches, or any at all when nothing is published yet),
    or a fall in tier accuracy on the held-back dev split."""
    splits = {name: [i for i in corpus if i.split == name] for name in ("train", "dev")}
    drafted = {name: _evaluated(draft, name, items, today, corpus_dir)
               for name, items in splits.items()}
    before = {name: _evaluated(published, name, items, today, corpus_dir)
              for name, items in splits.items()} if published is not None else {}
    failures: list[str] = []
    for name, scores in drafted.items():
        already = {m.text for m in before[name].missed_red_flags} if before else set()
        lost = [m for m in scores.missed_red_flags if m.text not in already]
        if lost:
            missed = "; ".join(f'"{m.text}" ({m.expected}, got {m.got})' for m in lost[:5])
            failures.append(
                f"Reading: the draft misses {len(lost)} red flag(s) in the {name} corpus that "
                f"{'the published version catches' if before else 'must be caught'} "
                f"(red-flag recall {scores.red_flag_recall:.1%}): {missed}"
            )
    if before and drafted["dev"].tier_accuracy < before["dev"].tier_accuracy:
        failures.append(
            f"Reading: tier accuracy on the held-back corpus would fall from "
            f"{before['dev'].tier_accuracy:.1%} (published) to "
            f"{drafted['dev'].tier_accuracy:.1%}."
        )
    return ReadingCheck(drafted["train"], drafted["dev"], before.get("dev")), failures


def check_knowledge(
    knowledge: Knowledge,
    today: date,
    cases: list[dict[str, Any]],
    published: Knowledge | None = None,
    corpus_dir: Path | None = None,
) -> PublishCheck:
    failures = reference_failures(knowledge)
    # Contacts only from the service records: no number typed into prose,
    # and every {phone:...}/{url:...}/{email:...} names a service that has one.
    failures += literal_phone_failures(knowledge)
    failures += placeholder_failures(knowledge)
    failures += [str(f) for f in check_rule_examples(knowledge, today)]
    failures += check_volunteer_references(knowledge) + check_volunteer_examples(knowledge, today)
    failures += check_volunteer_principles(knowledge)
    if published is not None and published.volunteer and not knowledge.volunteer:
        missing = volunteer_route_services(published.volunteer) - set(knowledge.services)
        named = f" and the services they name ({', '.join(sorted(missing))})" if missing else ""
        failures.append("The draft has no volunteer route, so volunteers would get the "
                        f"professional answer: keep its steps{named}.")
    failures += [str(f) for f in run_worked_cases(cases, knowledge, today)]
    examples = sum(len(rule.examples) for rule in knowledge.rules)
    reading = None
    corpus = load_corpus(corpus_dir) if corpus_dir is not None else []
    if corpus_dir is not None and corpus:
        reading, reading_failures = check_reading(knowledge, published, corpus, today, corpus_dir)
        failures += reading_failures
    return PublishCheck(tuple(failures), examples, len(cases), reading)


def draft_knowledge(session: Session) -> Knowledge | None:
    draft = current_draft(session)
    if draft is None or draft.id is None:
        return None
    return load_knowledge(session, draft.id)


def _published_knowledge(session: Session) -> Knowledge | None:
    published = latest_published(session)
    if published is None or published.id is None:
        return None
    return load_knowledge(session, published.id)


def check_draft(
    session: Session, today: date, cases_path: Path, corpus_dir: Path | None = None
) -> PublishCheck:
    try:
        knowledge = draft_knowledge(session)
    except (ValidationError, SeedError) as exc:
        return PublishCheck((f"The draft's content is not valid: {exc}",), 0, 0)
    if knowledge is None:
        raise VersionError("There is no draft to publish: make a change first.")
    return check_knowledge(
        knowledge, today, read_worked_cases(cases_path), _published_knowledge(session), corpus_dir
    )


def publish_checked(
    session: Session, by: str, note: str, today: date, cases_path: Path,
    corpus_dir: Path | None = None,
) -> tuple[ContentVersion, PublishCheck]:
    """Publish the draft if every check passes, else raise PublishRefused."""
    check = check_draft(session, today, cases_path, corpus_dir)
    if not check.ok:
        raise PublishRefused(check)
    return publish_draft(session, by, note or "Published from the admin"), check
