"""Shared fixtures: a real database (SQLite in memory, or PostgreSQL) and the real app.

PostgreSQL tests run against DATABASE_URL when it names PostgreSQL, else the
server on 127.0.0.1:5432 (database ``navigator_test``, created if missing).
In CI they must run: an unreachable server fails the run instead of skipping.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlmodel import Session, SQLModel

import knowledge.all_tables  # noqa: F401 - every table on the metadata, for resets
from knowledge.db import make_engine, migrate

# The session browser (one Playwright instance), for every folder that drives pages.
pytest_plugins = ["tests.support.browser_fixtures"]

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
FIXED_TODAY = date(2026, 11, 26)


def postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        return url
    return "postgresql+psycopg://postgres@127.0.0.1:5432/navigator_test"


def _ensure_postgres_database(url: str) -> None:
    base, _, name = url.rpartition("/")
    admin = make_engine(f"{base}/postgres")
    try:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            ).first()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()


def reset_database(engine: Engine) -> None:
    """Drop every table (and Alembic's record) so each test starts from migrations."""
    with engine.begin() as conn:
        SQLModel.metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    url = postgres_url()
    try:
        _ensure_postgres_database(url)
        engine = make_engine(url)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI but not reachable at {url}: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {url}: {exc}")
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A freshly migrated, empty database of each kind."""
    if request.param == "sqlite":
        engine = make_engine("sqlite://")
        migrate(engine)
        yield engine
        engine.dispose()
        return
    engine = request.getfixturevalue("postgres_engine")
    reset_database(engine)
    migrate(engine)
    yield engine
    reset_database(engine)


@pytest.fixture
def session(db_engine: Engine) -> Iterator[Session]:
    with Session(db_engine) as session:
        yield session


async def fixed_today() -> date:
    return FIXED_TODAY


def make_client(database_url: str = "sqlite://", **settings: object) -> TestClient:
    """The real app with its own database; imported here so store tests need no api."""
    from api.deps import get_today
    from api.main import create_app
    from api.settings import Settings

    # Reading the corpus in the background at start-up is a minute of CPU per
    # app whose content is new: on only where a test asks for it.
    settings.setdefault("reading_prewarm", False)
    app = create_app(Settings(environment="test", database_url=database_url, **settings))  # type: ignore[arg-type]
    app.dependency_overrides[get_today] = fixed_today
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def client() -> Iterator[TestClient]:
    """The real app on a fresh in-memory SQLite database, seeded at start-up."""
    with make_client() as test_client:
        yield test_client
