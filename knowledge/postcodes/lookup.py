"""Exact area lookup for full postcodes imported from the ONS directory."""

from __future__ import annotations

from sqlmodel import Session, select

from knowledge.postcodes.tables import PostcodeImport, PostcodeRow
from pathways.model import Knowledge


def areas_for_codes(la_code: str, ward_code: str | None, knowledge: Knowledge) -> tuple[str, ...]:
    """The content areas an ONS local authority + ward pair falls in."""
    return tuple(
        area.code
        for area in knowledge.areas.values()
        if la_code in area.la_codes or (ward_code is not None and ward_code in area.ward_codes)
    )


def exact_postcode_areas(
    session: Session, full_postcode: str, knowledge: Knowledge
) -> tuple[str, ...] | None:
    """Areas for a full, normalised postcode ("BD3 9LF"), or None when it was
    not imported (the curated district/sector table then answers)."""
    row = session.get(PostcodeRow, full_postcode)
    if row is None:
        return None
    return areas_for_codes(row.la_code, row.ward_code, knowledge)


def postcode_directory_loaded(session: Session) -> bool:
    """Whether any ONS postcode directory import has been made."""
    return session.exec(select(PostcodeImport.id).limit(1)).first() is not None
