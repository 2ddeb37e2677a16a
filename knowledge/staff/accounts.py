"""Staff accounts, their server-side sessions and sign-in throttling.

Sessions live in the database (not in a signed cookie) so that signing out
everywhere, idle and absolute timeouts, and throttling all hold across every
api instance. The cookie carries a random token; only its SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, select

from knowledge.clock import utc_now
from knowledge.staff.passwords import (
    check_password_rules,
    hash_password,
    verify_and_update_password,
)
from knowledge.staff.tables import ROLES, AdminSession, AdminUser
from knowledge.staff.throttle import begin_attempt, succeeded, wait_before_attempt

IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=12)
TOUCH_EVERY = timedelta(seconds=60)  # write last_seen_at at most once a minute


class AccountError(ValueError):
    """A request about accounts that cannot be done; the message says why."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def role_at_least(role: str, needed: str) -> bool:
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


def find_user(session: Session, email: str) -> AdminUser | None:
    statement = select(AdminUser).where(AdminUser.email == normalise_email(email))
    return session.exec(statement).first()


def list_users(session: Session) -> list[AdminUser]:
    return list(session.exec(select(AdminUser).order_by(AdminUser.email)))


def create_user(session: Session, email: str, name: str, role: str, password: str) -> AdminUser:
    email = normalise_email(email)
    if "@" not in email or len(email) > 254 or email.startswith("@") or email.endswith("@"):
        raise AccountError("Enter an email address, like name@example.nhs.uk.")
    if not name.strip():
        raise AccountError("Enter the person's name.")
    if role not in ROLES:
        raise AccountError(f"Role must be one of: {', '.join(ROLES)}.")
    if find_user(session, email) is not None:
        raise AccountError(f"There is already an account for {email}.")
    try:
        check_password_rules(password, email)
    except ValueError as exc:
        raise AccountError(str(exc)) from exc
    user = AdminUser(
        email=email, name=name.strip()[:120], role=role, password_hash=hash_password(password)
    )
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def set_password(session: Session, user: AdminUser, password: str) -> None:
    try:
        check_password_rules(password, user.email)
    except ValueError as exc:
        raise AccountError(str(exc)) from exc
    user.password_hash = hash_password(password)
    session.add(user)
    end_all_sessions(session, user)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SignedIn:
    user: AdminUser
    session: AdminSession


def start_session(session: Session, user: AdminUser, replacing: str | None = None) -> str:
    """A fresh session for ``user`` (the old cookie's session, if any, ends):
    returns the token for the cookie."""
    if replacing:
        end_session(session, replacing)
    token = secrets.token_urlsafe(32)
    assert user.id is not None  # noqa: S101 - users read from the database have ids
    session.add(
        AdminSession(
            token_hash=_hash_token(token), user_id=user.id, csrf_token=secrets.token_urlsafe(32)
        )
    )
    session.commit()
    return token


def resume_session(session: Session, token: str, now: datetime | None = None) -> SignedIn | None:
    """The signed-in user for a cookie token, or None when it is unknown,
    idle too long, too old, or the account was deactivated."""
    now = now or utc_now()
    row = session.exec(
        select(AdminSession).where(AdminSession.token_hash == _hash_token(token))
    ).first()
    if row is None or row.second_factor_pending:  # half signed in: knowledge.staff.second_factor
        return None
    if now - row.last_seen_at > IDLE_TIMEOUT or now - row.created_at > ABSOLUTE_TIMEOUT:
        session.delete(row)
        session.commit()
        return None
    user = session.get(AdminUser, row.user_id)
    if user is None or not user.active:
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        row.last_seen_at = now
        session.add(row)
        session.commit()
        session.refresh(row)
    return SignedIn(user=user, session=row)


def end_session(session: Session, token: str) -> None:
    session.exec(delete(AdminSession).where(col(AdminSession.token_hash) == _hash_token(token)))
    session.commit()


def end_all_sessions(session: Session, user: AdminUser) -> None:
    """Sign the user out on every browser (used after a password or role change too)."""
    session.exec(delete(AdminSession).where(col(AdminSession.user_id) == user.id))
    session.commit()


def throttled(session: Session, account: str, address: str, now: datetime | None = None) -> bool:
    """True when this address must wait before trying this account again
    (knowledge.staff.throttle says how long and why)."""
    return wait_before_attempt(session, normalise_email(account), address, now) > timedelta(0)


def authenticate(session: Session, email: str, password: str, address: str) -> AdminUser | None:
    """Check a sign-in and record the attempt; the user when it succeeded.
    A stored hash made with older parameters is replaced by a current one."""
    attempt = begin_attempt(session, normalise_email(email), address)
    user = find_user(session, email)
    ok, new_hash = verify_and_update_password(password, user.password_hash if user else None)
    if not (ok and user is not None and user.active):
        return None
    if new_hash is not None:
        user.password_hash = new_hash
        session.add(user)
    succeeded(session, attempt)
    session.refresh(user)
    return user
