"""Two-step sign-in through the real app: enrolment, codes, recovery codes,
the half-signed-in state, throttling, an admin's reset (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import pyotp
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from api.admin.two_step import PENDING_COOKIE
from knowledge.clock import utc_now
from knowledge.staff import second_factor as factor
from knowledge.staff.accounts import create_user, find_user
from knowledge.staff.tables import AuditEntry, RecoveryCode, SignInAttempt
from tests.admin.support import (
    PASSWORD,
    TOTP_SECRETS,
    code_for,
    csrf_from,
    email_for,
    engine_of,
    next_code,
    quick_session,
    sign_in,
)

NEW_PUBLISHER = "new.publisher@lmm.example.nhs.uk"
SECRET_ON_PAGE = re.compile(r'<code id="totp-secret">([A-Z2-7 ]+)</code>')
CODES_ON_PAGE = re.compile(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>")


def password_step(client: TestClient, email: str, next_path: str = "/admin") -> Any:
    page = client.get("/admin/login")
    return client.post("/admin/login", data={
        "email": email, "password": PASSWORD, "csrf_token": csrf_from(page.text), "next": next_path,
    }, follow_redirects=False)


def code_step(client: TestClient, code: str, next_path: str = "/admin") -> Any:
    page = client.get("/admin/two-step")
    return client.post("/admin/two-step", data={
        "code": code, "csrf_token": csrf_from(page.text), "next": next_path,
    }, follow_redirects=False)


def actions(client: TestClient) -> list[str]:
    with Session(engine_of(client)) as session:
        return [entry.action for entry in session.exec(select(AuditEntry))]


def user_id(client: TestClient, email: str) -> int:
    with Session(engine_of(client)) as session:
        user = find_user(session, email)
        assert user is not None and user.id is not None
        return user.id


def test_a_publisher_enrols_before_reaching_anything(admin_client: TestClient) -> None:
    with Session(engine_of(admin_client)) as session:
        create_user(session, NEW_PUBLISHER, "New publisher", "publisher", PASSWORD)
    response = password_step(admin_client, NEW_PUBLISHER, "/admin/draft")
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/two-step?next=/admin/draft"
    cookies = response.headers.get_list("set-cookie")
    pending = next(c for c in cookies if c.startswith(f"{PENDING_COOKIE}="))
    assert "HttpOnly" in pending and "Max-Age=600" in pending and "SameSite=strict" in pending
    assert not any(c.startswith("navigator_admin=") and "Max-Age=0" not in c for c in cookies), (
        "no full session before the second step"
    )

    for path in ("/admin", "/admin/draft", "/admin/account", "/admin/users"):
        refused = admin_client.get(path, follow_redirects=False)
        assert refused.status_code == 303 and refused.headers["location"].startswith(
            "/admin/login"), path
    token = admin_client.cookies.get(PENDING_COOKIE)
    assert token
    forged = TestClient(admin_client.app, cookies={"navigator_admin": token})
    assert forged.get("/admin", follow_redirects=False).status_code == 303, (
        "a pending token is no session even in the session cookie"
    )

    page = admin_client.get("/admin/two-step?next=/admin/draft")
    assert page.status_code == 200 and "Set up two-step sign-in" in page.text
    assert "Publishers and admins must" in page.text
    assert "<svg" in page.text, "a QR code, inline"
    match = SECRET_ON_PAGE.search(page.text)
    assert match
    secret = match.group(1).replace(" ", "")
    assert f"secret={secret}" in page.text and "otpauth://totp/" in page.text
    assert admin_client.get("/admin/two-step").text.count(match.group(1)) == 1, (
        "a reload shows the same secret"
    )

    form = {"csrf_token": csrf_from(page.text), "next": "/admin/draft"}
    wrong = admin_client.post("/admin/two-step/enrol", data={**form, "code": "000000"})
    assert wrong.status_code == 400 and "Enter the 6-digit code" in wrong.text
    done = admin_client.post("/admin/two-step/enrol",
                             data={**form, "code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    codes = CODES_ON_PAGE.findall(done.text)
    assert len(codes) == factor.RECOVERY_CODE_COUNT == len(set(codes))
    assert 'href="/admin/draft"' in done.text
    assert admin_client.get("/admin/draft").status_code == 200, "signed in now"
    assert admin_client.cookies.get(PENDING_COOKIE) is None

    with Session(engine_of(admin_client)) as session:
        stored = [row.code_hash for row in session.exec(select(RecoveryCode))]
        user = find_user(session, NEW_PUBLISHER)
        assert user is not None and factor.enrolled(user)
    assert not any(code.replace("-", "") in stored or code in stored for code in codes), "hashed"
    assert {"sign_in_password_ok", "two_step_enrolled", "sign_in"} <= set(actions(admin_client))


def test_codes_work_once_and_recovery_codes_once(admin_client: TestClient) -> None:
    secret = TOTP_SECRETS["publisher"]
    laptop = TestClient(admin_client.app)
    assert password_step(laptop, email_for("publisher")).headers["location"].startswith(
        "/admin/two-step")
    assert "Enter your code" in laptop.get("/admin/two-step").text
    code = next_code(secret, None)
    signed_in = code_step(laptop, code)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/admin"
    assert "navigator_admin=" in signed_in.headers["set-cookie"]
    assert laptop.get("/admin").status_code == 200

    phone = TestClient(admin_client.app)
    password_step(phone, email_for("publisher"))
    reused = code_step(phone, code)
    assert reused.status_code == 400, "the same code is refused within its window"
    assert "you have not used before" in reused.text
    assert phone.get("/admin", follow_redirects=False).status_code == 303

    with Session(engine_of(admin_client)) as session:
        user = find_user(session, email_for("publisher"))
        assert user is not None
        recovery = factor.new_recovery_codes(session, user)
    assert code_step(phone, recovery[0].upper()).status_code == 303, "case and dash do not matter"
    assert phone.get("/admin").status_code == 200
    tablet = TestClient(admin_client.app)
    password_step(tablet, email_for("publisher"))
    assert code_step(tablet, recovery[0]).status_code == 400, "a recovery code works once"
    assert code_step(tablet, recovery[1].replace("-", " ")).status_code == 303
    with Session(engine_of(admin_client)) as session:
        user = find_user(session, email_for("publisher"))
        assert user is not None
        assert factor.recovery_codes_left(session, user) == factor.RECOVERY_CODE_COUNT - 2
        details = [e.detail for e in session.exec(select(AuditEntry)) if e.action == "sign_in"]
    assert "with a recovery code" in details and "with a code" in details


def test_one_step_of_clock_drift_and_no_going_back(admin_client: TestClient) -> None:
    totp = pyotp.TOTP(TOTP_SECRETS["admin"])
    now = time.time() + 600  # steps no other test used
    step = totp.timecode(now)
    with Session(engine_of(admin_client)) as session:
        user = find_user(session, email_for("admin"))
        assert user is not None
        assert factor.check_code(session, user, totp.generate_otp(step - 2), now) == ""
        assert factor.check_code(session, user, totp.generate_otp(step + 2), now) == ""
        assert factor.check_code(session, user, totp.generate_otp(step + 1), now) == "code"
        assert factor.check_code(session, user, totp.generate_otp(step), now) == "", (
            "an earlier step than one already used is refused"
        )
        assert factor.check_code(session, user, "12345", now) == ""
        assert factor.check_code(session, user, "not a code at all", now) == ""


def test_editors_need_no_code_but_may_enrol(admin_client: TestClient) -> None:
    response = sign_in(admin_client, "editor")
    assert response.status_code == 303 and response.headers["location"] == "/admin"
    assert "Set up two-step sign-in" in admin_client.get("/admin/account").text
    page = admin_client.get("/admin/two-step")
    assert "Optional for editors" in page.text
    match = SECRET_ON_PAGE.search(page.text)
    assert match
    secret = match.group(1).replace(" ", "")
    done = admin_client.post("/admin/two-step/enrol", data={
        "csrf_token": csrf_from(page.text), "code": pyotp.TOTP(secret).now(),
    })
    assert done.status_code == 200 and len(CODES_ON_PAGE.findall(done.text)) == 10

    again = TestClient(admin_client.app)
    assert password_step(again, email_for("editor")).headers["location"].startswith(
        "/admin/two-step"), "an enrolled editor gives a code too"
    assert code_step(again, code_for(admin_client, "editor")).status_code == 303


def test_wrong_codes_count_as_failed_sign_ins_and_are_throttled(
    admin_client: TestClient,
) -> None:
    password_step(admin_client, email_for("publisher"))
    for _ in range(factor.CODE_FAILURES):
        response = code_step(admin_client, "000000")
        assert response.status_code in (400, 429)
        if response.status_code == 429:
            break
    blocked = code_step(admin_client, code_for(admin_client, "publisher"))
    assert blocked.status_code == 429 and "Too many wrong codes" in blocked.text
    assert admin_client.get("/admin", follow_redirects=False).status_code == 303
    with Session(engine_of(admin_client)) as session:
        failures = session.exec(select(SignInAttempt).where(
            SignInAttempt.account == factor.code_account(email_for("publisher")),
            col(SignInAttempt.succeeded).is_(False),
        )).all()
    assert len(failures) >= 1
    assert {"sign_in_code_failed", "sign_in_code_throttled"} <= set(actions(admin_client))


def test_the_half_signed_in_state_expires(admin_client: TestClient) -> None:
    password_step(admin_client, email_for("publisher"))
    token = admin_client.cookies.get(PENDING_COOKIE)
    assert token
    with Session(engine_of(admin_client)) as session:
        assert factor.resume_pending_session(session, token) is not None
        later = utc_now() + factor.PENDING_TIMEOUT + timedelta(seconds=1)
        assert factor.resume_pending_session(session, token, now=later) is None
    expired = admin_client.get("/admin/two-step", follow_redirects=False)
    assert expired.status_code == 303 and expired.headers["location"] == "/admin/login"


def test_admins_reset_two_step_and_people_renew_recovery_codes(
    admin_client: TestClient,
) -> None:
    publisher = TestClient(admin_client.app)
    assert sign_in(publisher, "publisher").status_code == 303
    status = publisher.get("/admin/two-step")
    assert "Two-step sign-in is on" in status.text
    renewed = publisher.post("/admin/two-step/recovery-codes",
                             data={"csrf_token": csrf_from(status.text)})
    assert renewed.status_code == 200 and len(CODES_ON_PAGE.findall(renewed.text)) == 10
    assert "recovery_codes_renewed" in actions(admin_client)

    csrf = quick_session(admin_client, "admin")
    users = admin_client.get("/admin/users").text
    assert f"Reset two-step sign-in for {email_for('publisher')}" in users
    target = user_id(admin_client, email_for("publisher"))
    reset = admin_client.post(f"/admin/users/{target}/two-step/reset",
                              data={"csrf_token": csrf}, follow_redirects=False)
    assert reset.status_code == 303
    assert "Their two-step sign-in was reset" in admin_client.get(reset.headers["location"]).text
    assert publisher.get("/admin", follow_redirects=False).status_code == 303, "signed out"
    with Session(engine_of(admin_client)) as session:
        user = find_user(session, email_for("publisher"))
        assert user is not None and user.totp_secret is None and not factor.enrolled(user)
        assert factor.recovery_codes_left(session, user) == 0
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "two_step_reset")).one()
    assert entry.actor == email_for("admin") and entry.target == email_for("publisher")

    again = TestClient(admin_client.app)
    assert password_step(again, email_for("publisher")).status_code == 303
    assert "Set up two-step sign-in" in again.get("/admin/two-step").text, "enrols again"
