"""A live api with staff accounts for the admin browser tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlmodel import Session

from knowledge.clock import utc_now
from knowledge.db import make_engine, migrate
from knowledge.staff.accounts import create_user, find_user
from tests.admin.support import next_code
from tests.browser.live import start_api

PASSWORD = "a browser test passphrase"


TOTP_SECRET = "BROWSERPUBLISHERBROWSERPUBLISHER"


@dataclass(frozen=True)
class AdminServer:
    url: str
    email: str
    password: str
    data_dir: Path


def prepare_database(data_dir: Path, email: str, totp_secret: str | None = TOTP_SECRET) -> None:
    """Migrate the live api's SQLite file and add a publisher before it starts,
    with two-step sign-in set up with ``totp_secret`` (None: not set up)."""
    engine = make_engine(f"sqlite:///{data_dir / 'navigator.db'}")
    try:
        migrate(engine)
        with Session(engine) as session:
            user = create_user(session, email, "Browser publisher", "publisher", PASSWORD)
            if totp_secret:
                user.totp_secret, user.totp_enrolled_at = totp_secret, utc_now()
                session.add(user)
                session.commit()
    finally:
        engine.dispose()


def current_code(server: AdminServer) -> str:
    """A code the live api will accept now for the server's publisher."""
    engine = make_engine(f"sqlite:///{server.data_dir / 'navigator.db'}")
    try:
        with Session(engine) as session:
            user = find_user(session, server.email)
            assert user is not None and user.totp_secret
            return next_code(user.totp_secret, user.totp_last_step)
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdminServer]:
    data_dir = tmp_path_factory.mktemp("admin-browser")
    email = "publisher@lmm.example.nhs.uk"
    prepare_database(data_dir, email)
    with start_api(data_dir, rasa_url="http://127.0.0.1:9") as server:
        yield AdminServer(server.url, email, PASSWORD, data_dir)
