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
