"""Engine calls that need the database first: an exact postcode lookup for a
full postcode, when the ONS directory has been imported."""

from __future__ import annotations

from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine
from sqlmodel import Session

from knowledge.content.current import KnowledgeHolder
from knowledge.postcodes.lookup import exact_postcode_areas
from pathways.model import Knowledge
from pathways.postcode import PostcodeError, find_postcode, normalise_postcode


def full_postcode(postcode: str | None, description: str | None) -> str | None:
    """The normalised full postcode the engine will use ("BD3 9LF"), if there is one."""
    text = postcode or (find_postcode(description) if description else None)
    if not text:
        return None
    try:
        normalised = normalise_postcode(text)
    except PostcodeError:
        return None  # the engine reports the bad postcode with its own message
    inward = normalised.partition(" ")[2]
    return normalised if len(inward) == 3 else None


def exact_areas_for_text(
    session: Session, knowledge: Knowledge, postcode: str | None, description: str | None
) -> tuple[str, ...] | None:
    """Areas from the imported directory for the postcode the engine will use,
    or None when it is not a full postcode or was not imported."""
    full = full_postcode(postcode, description)
    return exact_postcode_areas(session, full, knowledge) if full else None


def _lookup_in_new_session(
    engine: Engine, full: str, knowledge: Knowledge
) -> tuple[str, ...] | None:
    with Session(engine) as session:
        return exact_postcode_areas(session, full, knowledge)


async def exact_areas_without_blocking(
    engine: Engine,
    holder: KnowledgeHolder,
    knowledge: Knowledge,
    postcode: str | None,
    description: str | None,
) -> tuple[str, ...] | None:
    """As exact_areas_for_text, for async handlers: the database is only
    touched, in a worker thread, when the ONS directory has been imported and
    there is a full postcode to look up."""
    full = full_postcode(postcode, description)
    if full is None or not holder.postcode_directory_loaded:
        return None
    return await run_in_threadpool(_lookup_in_new_session, engine, full, knowledge)
