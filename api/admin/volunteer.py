"""Editing the volunteer route: what a volunteer is told, per professional tier."""

from __future__ import annotations

from api.admin.content import content_router
from knowledge.content.edit import Entry


def _describe(entry: Entry) -> dict[str, str]:
    document = entry.document
    return {
        "Applies when a professional would get": ", ".join(document.get("applies_to", [])),
        "Tier for the volunteer": str(document.get("tier") or "(as the professional's)"),
        "Summary": str(document.get("summary", "")),
        "Examples": str(len(document.get("examples", []))),
    }


router = content_router("volunteer", "Volunteer route", _describe)
