"""Helpers for admin tests: accounts in each role, signing in, reading CSRF tokens."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from knowledge.admin_accounts import create_user, find_user, resume_session, start_session

PASSWORD = "correct horse battery staple 42"
ROLES = ("editor", "publisher", "admin")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def email_for(role: str) -> str:
    return f"{role}@lmm.example.nhs.uk"


def engine_of(client: TestClient) -> Engine:
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    return engine


def add_staff(client: TestClient) -> None:
    """One account per role, all with PASSWORD."""
    with Session(engine_of(client)) as session:
        for role in ROLES:
            create_user(session, email_for(role), f"Test {role}", role, PASSWORD)


def csrf_from(html: str) -> str:
    match = CSRF.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def sign_in(client: TestClient, role: str, password: str = PASSWORD) -> Any:
    """Sign in through the real form; returns the response to the POST."""
    page = client.get("/admin/login")
    return client.post(
        "/admin/login",
        data={"email": email_for(role), "password": password, "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )


def quick_session(client: TestClient, role: str) -> str:
    """A session created directly (no argon2 round trip): sets the cookie,
    returns the session's CSRF token."""
    with Session(engine_of(client)) as session:
        user = find_user(session, email_for(role))
        assert user is not None
        token = start_session(session, user)
        signed = resume_session(session, token)
        assert signed is not None
        csrf = signed.session.csrf_token
    client.cookies.set("navigator_admin", token, path="/admin")
    return csrf


def form_token(client: TestClient, path: str = "/admin/account") -> str:
    return csrf_from(client.get(path).text)
