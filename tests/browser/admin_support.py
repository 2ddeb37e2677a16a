"""A live api with staff accounts for the admin browser tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlmodel import Session

from knowledge.db import make_engine, migrate
from knowledge.staff.accounts import create_user
from tests.browser.live import start_api

PASSWORD = "a browser test passphrase"


@dataclass(frozen=True)
class AdminServer:
    url: str
    email: str
    password: str
    data_dir: Path


def prepare_database(data_dir: Path, email: str) -> None:
    """Migrate the live api's SQLite file and add a publisher before it starts."""
    engine = make_engine(f"sqlite:///{data_dir / 'navigator.db'}")
    try:
        migrate(engine)
        with Session(engine) as session:
            create_user(session, email, "Browser publisher", "publisher", PASSWORD)
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdminServer]:
    data_dir = tmp_path_factory.mktemp("admin-browser")
    email = "publisher@lmm.example.nhs.uk"
    prepare_database(data_dir, email)
    with start_api(data_dir, rasa_url="http://127.0.0.1:9") as server:
        yield AdminServer(server.url, email, PASSWORD, data_dir)
