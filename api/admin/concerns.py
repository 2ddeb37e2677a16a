"""Editing concerns: labels, the phrases that spot them, red flags, their services."""

from __future__ import annotations

from api.admin.content import content_router
from knowledge.content.edit import Entry


def _describe(entry: Entry) -> dict[str, str]:
    document = entry.document
    return {
        "Label": str(document.get("label", "")),
        "Red flag": "Yes" if document.get("red_flag") else "No",
        "Phrases": str(len(document.get("phrases", []))),
    }


router = content_router("concerns", "Concerns", _describe)
