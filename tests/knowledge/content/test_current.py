"""The knowledge an api instance serves while its store cannot be read."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from knowledge.content.current import KnowledgeHolder
from knowledge.content.versions import ensure_seeded
from knowledge.db import make_engine, migrate_database


def test_the_held_version_is_served_while_the_store_is_unreadable(tmp_path: Path) -> None:
    database = tmp_path / "navigator.db"
    engine = make_engine(f"sqlite:///{database}")
    migrate_database(engine)
    with Session(engine) as session:
        ensure_seeded(session)
    holder = KnowledgeHolder(engine, refresh_seconds=0)
    served = holder.get()

    # The store goes away: the file is replaced by an empty one, as a
    # database restarting without its data would look.
    engine.dispose()
    database.unlink()
    database.touch()
    assert holder.get() is served
    assert holder.refresh() is served

    # It comes back: the newest version is read again, with no restart.
    database.unlink()
    migrate_database(engine)
    with Session(engine) as session:
        ensure_seeded(session)
    assert holder.refresh().version == served.version


def test_with_nothing_held_an_unreadable_store_is_an_error(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(SQLAlchemyError):
        KnowledgeHolder(engine).refresh()


def test_each_newer_version_is_announced_once(tmp_path: Path) -> None:
    """The api fits the new version's reading when told; the first load and
    a poll that finds nothing new are not news."""
    from knowledge.content.edit import get_entry, save_entry
    from knowledge.content.versions import publish_draft

    engine = make_engine(f"sqlite:///{tmp_path / 'navigator.db'}")
    migrate_database(engine)
    with Session(engine) as session:
        ensure_seeded(session)
    told: list[int] = []
    holder = KnowledgeHolder(engine, refresh_seconds=0, on_new_version=lambda k: told.append(
        k.version))
    first = holder.get()
    holder.get()
    assert told == []

    with Session(engine) as session:
        entry = get_entry(session, "services", "first-response")
        assert entry is not None
        save_entry(session, "services", {**entry.document, "does": ["Safeguarding advice"]},
                   by="editor", key="first-response", expected_revision=entry.revision)
        publish_draft(session, "editor", "remit")
    second = holder.get()
    holder.get()
    assert second.version > first.version
    assert told == [second.version]
