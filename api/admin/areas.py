"""Editing areas (local authority, programme areas, wards) and the postcode
districts and sectors mapped onto them."""

from __future__ import annotations

from api.admin.content import content_router
from knowledge.content.edit import Entry


def _describe_area(entry: Entry) -> dict[str, str]:
    return {"Name": str(entry.document.get("name", "")), "Kind": str(entry.document.get("kind"))}


def _describe_postcode(entry: Entry) -> dict[str, str]:
    document = entry.document
    return {
        "Place": str(document.get("place") or ""),
        "Areas": ", ".join(document.get("areas", [])),
        "Partly in": ", ".join(document.get("partial_areas", [])),
    }


areas_router = content_router("areas", "Areas", _describe_area)
postcodes_router = content_router("postcodes", "Postcode districts and sectors", _describe_postcode)
