"""Editing services: remit, eligibility, areas, referrers, contacts, status, sources."""

from __future__ import annotations

from api.admin.content import content_router
from knowledge.content.edit import Entry


def _describe(entry: Entry) -> dict[str, str]:
    document = entry.document
    return {
        "Name": str(document.get("name", "")),
        "Status": str(document.get("status", "active")),
        "Last checked": str(document.get("last_verified", "")),
    }


router = content_router("services", "Services", _describe)
