"""The real app on a real database (a SQLite file, and PostgreSQL), with one
staff account per role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.admin.support import add_staff
from tests.conftest import make_client, postgres_url, reset_database

ClientFactory = Callable[..., TestClient]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database that several app instances can share."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'navigator.db'}"
        return
    engine: Engine = request.getfixturevalue("postgres_engine")
    reset_database(engine)
    yield postgres_url()
    reset_database(engine)


@pytest.fixture
def app_factory(database_url: str) -> Iterator[ClientFactory]:
    """Start app instances on the shared database; all are closed after the test."""
    started: list[TestClient] = []

    def start(**settings: object) -> TestClient:
        client = make_client(database_url=database_url, **settings)
        client.__enter__()
        started.append(client)
        return client

    yield start
    for client in reversed(started):
        client.__exit__(None, None, None)


@pytest.fixture
def admin_client(app_factory: ClientFactory) -> TestClient:
    """The app with an editor, a publisher and an admin account (not signed in)."""
    client = app_factory()
    add_staff(client)
    return client
