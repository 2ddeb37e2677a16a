"""Engine calls that need the database first: an exact postcode lookup for a
full postcode, when the ONS directory has been imported."""

from __future__ import annotations

from sqlmodel import Session

from knowledge.postcode_lookup import exact_postcode_areas
from pathways.model import Knowledge
from pathways.postcode import PostcodeError, find_postcode, normalise_postcode


def exact_areas_for_text(
    session: Session, knowledge: Knowledge, postcode: str | None, description: str | None
) -> tuple[str, ...] | None:
    """Areas from the imported directory for the postcode the engine will use,
    or None when it is not a full postcode or was not imported."""
    text = postcode or (find_postcode(description) if description else None)
    if not text:
        return None
    try:
        normalised = normalise_postcode(text)
    except PostcodeError:
        return None  # the engine reports the bad postcode with its own message
    if " " not in normalised or len(normalised.split(" ")[1]) != 3:
        return None
    return exact_postcode_areas(session, normalised, knowledge)
