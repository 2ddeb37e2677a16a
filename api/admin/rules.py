"""Editing pathway rules: conditions, outcome and the examples that must hold."""

from __future__ import annotations

from api.admin.content import content_router
from knowledge.content.edit import Entry


def _describe(entry: Entry) -> dict[str, str]:
    document = entry.document
    outcome = document.get("outcome", {})
    return {
        "Priority": str(document.get("priority", "")),
        "Summary": str(document.get("summary", "")),
        "Tier": str(outcome.get("tier", "")) if isinstance(outcome, dict) else "",
        "Examples": str(len(document.get("examples", []))),
    }


router = content_router("rules", "Pathway rules", _describe)
