"""Alembic environment: runs on the connection handed over by knowledge.db.migrate,
or on MIGRATION_DATABASE_URL (else DATABASE_URL) when called from the alembic
command line."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import knowledge.all_tables  # noqa: F401 - registers every table on the metadata
from knowledge.db import make_engine

target_metadata = SQLModel.metadata


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    from knowledge.settings import get_database_settings

    settings = get_database_settings()
    engine = make_engine(settings.migration_database_url or settings.database_url)
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run_migrations()
