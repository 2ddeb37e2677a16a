"""PostgreSQL roles (knowledge/migrations/roles.sql): migrations run as the
owner (MIGRATION_DATABASE_URL), the app works as the app role, and the app
role cannot change or remove audit log entries.

Each run makes its own database and uniquely named roles, and drops them."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, make_url, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from knowledge.db import MIGRATIONS_DIR, make_engine
from knowledge.staff.tables import AuditEntry
from tests.admin.support import add_staff, edit_form, knowledge_of, sign_in
from tests.conftest import make_client, postgres_url

pytestmark = pytest.mark.postgres
ROLES_SQL = MIGRATIONS_DIR / "roles.sql"


@dataclass(frozen=True)
class RoleDatabase:
    owner_url: str
    app_url: str
    superuser_url: str


def _url(base: str, database: str, user: str | None = None, password: str | None = None) -> str:
    url = make_url(base).set(database=database)
    if user is not None:
        url = url.set(username=user, password=password)
    return url.render_as_string(hide_password=False)


def _run_script(engine: Engine, script: str) -> None:
    """The whole file in one go, as psql -f would (no SQLAlchemy parameter parsing)."""
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(script)
        connection.commit()
    finally:
        connection.close()


@pytest.fixture
def role_database(postgres_engine: Engine) -> Iterator[RoleDatabase]:
    suffix = secrets.token_hex(4)
    owner, app, database = f"navigator_owner_{suffix}", f"navigator_app_{suffix}", f"roles_{suffix}"
    password = secrets.token_urlsafe(12)
    base = postgres_url()
    server = make_engine(_url(base, "postgres"))
    with server.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    fresh = make_engine(_url(base, database))
    try:
        script = ROLES_SQL.read_text(encoding="utf-8")
        _run_script(fresh, script.replace("navigator_owner", owner).replace("navigator_app", app))
        with fresh.begin() as conn:
            for role in (owner, app):
                conn.execute(text(f"ALTER ROLE \"{role}\" PASSWORD '{password}'"))
        yield RoleDatabase(
            owner_url=_url(base, database, owner, password),
            app_url=_url(base, database, app, password),
            superuser_url=_url(base, database),
        )
    finally:
        fresh.dispose()
        with server.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            for role in (app, owner):
                conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        server.dispose()


def _refused(engine: Engine, statement: str) -> str:
    with engine.connect() as conn, pytest.raises(DBAPIError) as refused:
        conn.execute(text(statement))
    return str(refused.value.orig)


def test_the_app_role_works_but_cannot_alter_the_audit_log(role_database: RoleDatabase) -> None:
    client = make_client(database_url=role_database.app_url,
                         migration_database_url=role_database.owner_url)
    with client:
        # the app, as navigator_app: seeded at start-up, staff sign in and edit
        assert client.get("/healthz").json()["knowledge_version"] == 1
        add_staff(client)
        assert sign_in(client, "editor").status_code == 303
        service_id = next(iter(knowledge_of(client).services))
        form = edit_form(client, "services", service_id)
        form["does"] += "\nA line added by the app role"
        saved = client.post(f"/admin/services/{service_id}", data=form, follow_redirects=False)
        assert saved.status_code == 303
        admin = TestClient(client.app)
        assert sign_in(admin, "admin").status_code == 303, "two-step sign-in works too"
        assert "Accounts" in admin.get("/admin").text

    superuser = make_engine(role_database.superuser_url)
    app = make_engine(role_database.app_url)
    owner = make_engine(role_database.owner_url)
    try:
        with Session(app) as session:
            assert {"sign_in", "edit"} & {e.action for e in session.exec(select(AuditEntry))}
        with superuser.connect() as conn:
            owners = set(conn.execute(text(
                "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"
            )).scalars())
        assert owners == {make_url(role_database.owner_url).username}, "migrated as the owner"

        for statement, error in {
            "UPDATE audit_log SET actor = 'someone else'": "permission denied",
            "DELETE FROM audit_log": "permission denied",
            "TRUNCATE audit_log": "permission denied",
            "CREATE TABLE sneaky (id int)": "permission denied",
            "DROP TABLE content_version": "must be owner",
            "UPDATE alembic_version SET version_num = '0001'": "permission denied",
        }.items():
            assert error in _refused(app, statement), statement
        with app.begin() as conn:  # adding and reading are allowed
            conn.execute(text(
                "INSERT INTO audit_log (at, actor, action, target, detail, address) "
                "VALUES (now(), 'test', 'test_entry', '', '', '')"
            ))
        for statement in ("UPDATE audit_log SET actor = 'someone else'",
                          "DELETE FROM audit_log", "TRUNCATE audit_log"):
            assert "append-only" in _refused(owner, statement), (
                f"the owner is stopped by the triggers: {statement}"
            )
    finally:
        for engine in (superuser, app, owner):
            engine.dispose()
