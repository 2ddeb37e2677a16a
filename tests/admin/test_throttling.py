"""Sign-in throttling slows guessing down and never locks the owner out
(api/admin/sign_in_guard.py, knowledge/staff/throttle.py), and a flood of
guesses neither floods the audit log nor grows the attempts table."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import Session, select

from knowledge.clock import utc_now
from knowledge.staff import throttle
from knowledge.staff.tables import AuditEntry, SignInAttempt
from tests.admin.support import email_for, engine_of, sign_in

ATTACKER = ("203.0.113.66", 40000)
OWNER = ("198.51.100.7", 50000)


class Clock:
    def __init__(self) -> None:
        self.now = utc_now()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    """The throttle's clock, moved by hand instead of sleeping."""
    fake = Clock()
    monkeypatch.setattr(throttle, "utc_now", fake)
    yield fake


def from_address(client: TestClient, address: tuple[str, int]) -> TestClient:
    return TestClient(client.app, client=address)


def audit_actions(client: TestClient) -> list[tuple[str, str, str]]:
    with Session(engine_of(client)) as session:
        return [(e.action, e.actor, e.address) for e in session.exec(select(AuditEntry))]


def attempts_stored(client: TestClient) -> int:
    with Session(engine_of(client)) as session:
        return session.exec(select(func.count()).select_from(SignInAttempt)).one()


def test_the_delay_grows_and_is_capped() -> None:
    assert throttle.delay_after(4, 5) == timedelta(0)
    assert [throttle.delay_after(n, 5).total_seconds() for n in range(5, 10)] == [1, 2, 4, 8, 16]
    assert throttle.delay_after(15, 5) == throttle.MAX_DELAY == timedelta(minutes=15)
    assert throttle.delay_after(10_000, 5) == throttle.MAX_DELAY
    assert throttle.describe_wait(timedelta(seconds=0.2)) == "1 second"
    assert throttle.describe_wait(timedelta(seconds=61)) == "2 minutes"


def test_guessing_is_slowed_but_cannot_lock_the_owner_out(
    admin_client: TestClient, clock: Clock
) -> None:
    attacker = from_address(admin_client, ATTACKER)
    for _ in range(throttle.PAIR_FREE_FAILURES):
        assert sign_in(attacker, "editor", password="not the password").status_code == 400
    waiting = sign_in(attacker, "editor")  # even the right password must wait its turn
    assert waiting.status_code == 429
    assert waiting.headers["retry-after"] == "1"
    assert "Try again in 1 second" in waiting.text
    assert 'name="password"' in waiting.text, "the form is shown again"

    for _ in range(40):  # hammering while asked to wait is refused and not counted
        assert sign_in(attacker, "editor", password="guess").status_code == 429
    owner = from_address(admin_client, OWNER)
    assert sign_in(owner, "editor").status_code == 303, "the owner signs in from elsewhere"

    clock.advance(seconds=1)
    assert sign_in(attacker, "editor", password="guess").status_code == 400
    again = sign_in(attacker, "editor", password="guess")
    assert again.status_code == 429 and again.headers["retry-after"] == "2"
    clock.advance(seconds=2)
    assert sign_in(attacker, "editor", password="guess").status_code == 400
    assert sign_in(attacker, "editor").headers["retry-after"] == "4"
    clock.advance(seconds=4)
    assert sign_in(attacker, "editor").status_code == 303, "waiting is always enough"


def test_one_address_guessing_many_accounts_is_slowed(
    admin_client: TestClient, clock: Clock
) -> None:
    sprayer = from_address(admin_client, ATTACKER)
    for i in range(throttle.ADDRESS_FREE_FAILURES):
        page = sprayer.get("/admin/login")
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        response = sprayer.post("/admin/login", data={
            "email": f"guess{i}@example.org", "password": "guessing-again", "csrf_token": token,
        })
        assert response.status_code == 400
    assert sign_in(sprayer, "admin").status_code == 429
    assert sign_in(from_address(admin_client, OWNER), "admin").status_code == 303
    clock.advance(seconds=1)
    assert sign_in(sprayer, "admin").status_code == 303


def test_a_correct_password_clears_the_pairs_failures(
    admin_client: TestClient, clock: Clock
) -> None:
    owner = from_address(admin_client, OWNER)
    for _ in range(throttle.PAIR_FREE_FAILURES - 1):
        assert sign_in(owner, "publisher", password="typo typo typo").status_code == 400
    assert sign_in(owner, "publisher").status_code == 303
    owner.cookies.clear()  # signed out again, in the same place
    for _ in range(throttle.PAIR_FREE_FAILURES - 1):
        assert sign_in(owner, "publisher", password="typo typo typo").status_code == 400
    assert sign_in(owner, "publisher").status_code == 303


def test_a_flood_of_guesses_is_audited_once_a_window_and_pruned(
    admin_client: TestClient, clock: Clock
) -> None:
    attacker = from_address(admin_client, ATTACKER)
    for _ in range(30):
        sign_in(attacker, "editor", password="not the password")
    flood = [a for a in audit_actions(admin_client) if a[0].startswith("sign_in_")]
    assert sorted(flood) == [
        ("sign_in_failed", email_for("editor"), ATTACKER[0]),
        ("sign_in_throttled", email_for("editor"), ATTACKER[0]),
    ]
    assert attempts_stored(admin_client) == throttle.PAIR_FREE_FAILURES, (
        "refused attempts are not stored"
    )

    clock.advance(minutes=61)
    assert sign_in(attacker, "editor", password="not the password").status_code == 400
    assert attempts_stored(admin_client) == 1, "attempts older than the window are pruned"
    failed = [a for a in audit_actions(admin_client) if a[0] == "sign_in_failed"]
    assert len(failed) == 2, "one more row in the next window"


def test_throttling_holds_on_the_stored_attempts(admin_client: TestClient) -> None:
    """Straight on the database: what a second api instance would see."""
    now = utc_now()
    with Session(engine_of(admin_client)) as session:
        for i in range(throttle.PAIR_FREE_FAILURES + 2):
            throttle.begin_attempt(session, "a@example.org", "10.0.0.1",
                                   now=now + timedelta(seconds=i))
        last = now + timedelta(seconds=throttle.PAIR_FREE_FAILURES + 1)
        wait = throttle.wait_before_attempt(session, "a@example.org", "10.0.0.1", now=last)
        assert wait == timedelta(seconds=4)
        assert throttle.wait_before_attempt(session, "a@example.org", "10.0.0.2", now=last) == (
            timedelta(0)
        ), "another address is not slowed"
        later = last + throttle.WINDOW + timedelta(seconds=1)
        assert throttle.wait_before_attempt(session, "a@example.org", "10.0.0.1", now=later) == (
            timedelta(0)
        )
