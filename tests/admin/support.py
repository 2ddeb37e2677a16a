"""Helpers for admin tests: accounts in each role, signing in, reading CSRF tokens."""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import quote

import pyotp
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from api.admin.forms import field_specs, form_values
from knowledge.clock import utc_now
from knowledge.content.edit import MODELS, get_entry
from knowledge.staff.accounts import create_user, find_user, resume_session, start_session
from pathways.model import Knowledge

PASSWORD = "correct horse battery staple 42"
ROLES = ("editor", "publisher", "admin")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
TOTP_SECRETS = {  # base32, as pyotp.random_base32() makes them
    "publisher": "PUBLISHERPUBLISHERPUBLISHER23456",
    "admin": "ADMINADMINADMINADMINADMINADMIN23",
}


def email_for(role: str) -> str:
    return f"{role}@lmm.example.nhs.uk"


def engine_of(client: TestClient) -> Engine:
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    return engine


def add_staff(client: TestClient) -> None:
    """One account per role, all with PASSWORD; the publisher and the admin
    have two-step sign-in set up with TOTP_SECRETS (editors need not)."""
    with Session(engine_of(client)) as session:
        for role in ROLES:
            user = create_user(session, email_for(role), f"Test {role}", role, PASSWORD)
            if role in TOTP_SECRETS:
                user.totp_secret, user.totp_enrolled_at = TOTP_SECRETS[role], utc_now()
                session.add(user)
                session.commit()


def next_code(secret: str, last_step: int | None) -> str:
    """A TOTP code the server will accept: this 30-second step's, or the next
    one's (within the allowed drift) if this step's was used already."""
    totp = pyotp.TOTP(secret)
    while True:
        now_step = totp.timecode(time.time())
        step = now_step if last_step is None or last_step < now_step else last_step + 1
        if step <= now_step + 1:
            return totp.generate_otp(step)
        time.sleep(1)


def code_for(client: TestClient, role: str) -> str:
    with Session(engine_of(client)) as session:
        user = find_user(session, email_for(role))
        assert user is not None and user.totp_secret
        return next_code(user.totp_secret, user.totp_last_step)


def csrf_from(html: str) -> str:
    match = CSRF.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def sign_in(client: TestClient, role: str, password: str = PASSWORD) -> Any:
    """Sign in through the real form, with a code from the authenticator when
    the password leads to the two-step page; returns the response to the last POST."""
    page = client.get("/admin/login")
    response = client.post(
        "/admin/login",
        data={"email": email_for(role), "password": password, "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    if not response.headers.get("location", "").startswith("/admin/two-step"):
        return response
    step = client.get(response.headers["location"])
    next_path = re.search(r'name="next" value="([^"]*)"', step.text)
    return client.post(
        "/admin/two-step",
        data={"code": code_for(client, role), "csrf_token": csrf_from(step.text),
              "next": next_path.group(1) if next_path else "/admin"},
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
    client.cookies.clear()
    client.cookies.set("navigator_admin", token, path="/admin")
    return csrf


def form_token(client: TestClient, path: str = "/admin/account") -> str:
    return csrf_from(client.get(path).text)


def form_for(kind: str, document: dict[str, Any]) -> dict[str, Any]:
    """What a browser would submit for the admin form showing ``document``."""
    specs = field_specs(MODELS[kind])
    data: dict[str, Any] = {}
    for name, value in form_values(specs, document).items():
        if value is True:
            data[name] = "on"
        elif value is not False:
            data[name] = value
    return data


def edit_form(client: TestClient, kind: str, key: str) -> dict[str, Any]:
    """Open the edit page and read back what it would submit (document, revision, token)."""
    page = client.get(f"/admin/{kind}/{quote(key)}")
    assert page.status_code == 200, page.text[:300]
    revision = re.search(r'name="revision" value="(\d+)"', page.text)
    assert revision
    entry = get_published_or_draft(client, kind, key)
    token = csrf_from(page.text)
    return {**form_for(kind, entry), "revision": revision.group(1), "csrf_token": token}


def get_published_or_draft(client: TestClient, kind: str, key: str) -> dict[str, Any]:
    with Session(engine_of(client)) as session:
        entry = get_entry(session, kind, key)
        assert entry is not None
        return entry.document


def knowledge_of(client: TestClient) -> Knowledge:
    knowledge: Knowledge = client.app.state.knowledge.get()  # type: ignore[attr-defined]
    return knowledge


def publish(client: TestClient, note: str = "") -> Any:
    token = form_token(client, "/admin/draft")
    return client.post("/admin/draft/publish", data={"csrf_token": token, "note": note},
                       follow_redirects=False)
