"""Reading and writing content as the reviewable YAML kept in ``knowledge/content/seed/``.

The same files are the seed for a new database, the admin's import/export
format, and what clinicians review in version control, so one module owns the
layout: one file per kind of content, each a top-level list.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from pathways.contacts import PLACEHOLDER
from pathways.model import Area, Concern, Knowledge, PostcodeMapping, Rule, Service, VolunteerStep

SEED_DIR = Path(__file__).parent / "seed"

FILES = {
    "services": "services.yaml",
    "areas": "areas.yaml",
    "postcodes": "postcodes.yaml",
    "concerns": "concerns.yaml",
    "rules": "rules.yaml",
    "volunteer": "volunteer.yaml",
}
# The volunteer route (pathways/asker.py), versioned and edited like the rules.
# Documents without it (a tiny test content set, an export made before the
# route was versioned) take the reviewed seed file's route.
VOLUNTEER_FILE = FILES["volunteer"]
OPTIONAL_FILES = frozenset({VOLUNTEER_FILE})


class SeedError(ValueError):
    """Content that cannot be loaded; the message names the file and entry."""


def _read_list(path: Path) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SeedError(f"{path.name}: not valid YAML ({exc})") from exc
    if not isinstance(data, list):
        raise SeedError(f"{path.name}: expected a list of entries at the top level")
    return data


def knowledge_from_documents(documents: dict[str, list[dict[str, Any]]], version: int) -> Knowledge:
    """Validate raw content documents (as parsed from YAML) into a Knowledge."""
    try:
        return Knowledge(
            version=version,
            services={s.id: s for s in map(Service.model_validate, documents["services"])},
            areas={a.code: a for a in map(Area.model_validate, documents["areas"])},
            postcodes={
                p.prefix: p for p in map(PostcodeMapping.model_validate, documents["postcodes"])
            },
            concerns={c.code: c for c in map(Concern.model_validate, documents["concerns"])},
            rules=tuple(
                sorted(map(Rule.model_validate, documents["rules"]), key=lambda r: r.priority)
            ),
            volunteer=_volunteer_route(documents),
        )
    except KeyError as exc:
        raise SeedError(f"missing content kind {exc}") from exc


def seed_volunteer_route() -> tuple[VolunteerStep, ...]:
    """The reviewed volunteer route in ``seed/volunteer.yaml``, in id order."""
    steps = map(VolunteerStep.model_validate, _read_list(SEED_DIR / VOLUNTEER_FILE))
    return tuple(sorted(steps, key=lambda step: step.id))


def volunteer_route_services(steps: tuple[VolunteerStep, ...]) -> set[str]:
    """Every service the volunteer route names, as a primary service or in a placeholder."""
    named = {s for step in steps for s in step.services}
    for step in steps:
        for text in (step.headline or "", *step.next_steps):
            named |= {service_id for _, service_id in PLACEHOLDER.findall(text)}
    return named


def _volunteer_route(documents: dict[str, list[dict[str, Any]]]) -> tuple[VolunteerStep, ...]:
    """The documents' own volunteer route, else the seed's, which applies to
    content that has rules and every service the route names (a tiny test
    content set has none; the publish check refuses a draft that would lose it)."""
    if "volunteer" in documents:
        own = map(VolunteerStep.model_validate, documents["volunteer"])
        return tuple(sorted(own, key=lambda step: step.id))  # applied in id order
    steps = seed_volunteer_route()
    services = {str(s.get("id")) for s in documents["services"]}
    if not documents["rules"] or not volunteer_route_services(steps) <= services:
        return ()
    return steps


def read_documents(directory: Path = SEED_DIR) -> dict[str, list[dict[str, Any]]]:
    """Parse every content file in ``directory`` without validating it (an
    optional file that is not there is left out)."""
    return {kind: _read_list(directory / name) for kind, name in FILES.items()
            if name not in OPTIONAL_FILES or (directory / name).exists()}


def load_seed(directory: Path = SEED_DIR, version: int = 0) -> Knowledge:
    """Load and validate the YAML content in ``directory`` as one Knowledge."""
    return knowledge_from_documents(read_documents(directory), version)


def dump_documents(knowledge: Knowledge) -> dict[str, str]:
    """Render a Knowledge back into the seed YAML files' text, keyed by file name."""

    def dump(items: list[Any]) -> str:
        plain = [item.model_dump(mode="json", exclude_defaults=True) for item in items]
        return yaml.safe_dump(plain, sort_keys=False, allow_unicode=True, width=100)

    return {
        FILES["services"]: dump(list(knowledge.services.values())),
        FILES["areas"]: dump(list(knowledge.areas.values())),
        FILES["postcodes"]: dump(list(knowledge.postcodes.values())),
        FILES["concerns"]: dump(list(knowledge.concerns.values())),
        FILES["rules"]: dump(list(knowledge.rules)),
        FILES["volunteer"]: dump(list(knowledge.volunteer)),
    }
