"""Tables for staff: accounts, their sessions, the audit log and sign-in
attempts (for throttling).

None of these are versioned content. The audit log is append-only: the code
has no update or delete path for it, and on PostgreSQL a trigger refuses both.
Usage counts hold only coarse categories (month, tier, concern code, area
code, two yes/no flags): never message text or full postcodes.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from knowledge.clock import utc_now

ROLES: tuple[str, ...] = ("editor", "publisher", "admin")
"""Roles from least to most powerful; each can do everything the ones before it can."""


class AdminUser(SQLModel, table=True):
    __tablename__ = "admin_user"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(max_length=120)
    role: str = Field(max_length=16)
    password_hash: str = Field(max_length=255)
    active: bool = True
    created_at: datetime = Field(default_factory=utc_now)
    # two-step sign-in (knowledge.staff.second_factor): the TOTP secret, set
    # when enrolment starts and confirmed by totp_enrolled_at; the last time
    # step accepted, so a code cannot be used twice
    totp_secret: str | None = Field(default=None, max_length=64)
    totp_enrolled_at: datetime | None = None
    totp_last_step: int | None = None


class AdminSession(SQLModel, table=True):
    """A signed-in browser. Only a hash of the cookie's token is stored, so a
    leaked database does not let anyone sign in."""

    __tablename__ = "admin_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="admin_user.id", index=True)
    csrf_token: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utc_now)
    last_seen_at: datetime = Field(default_factory=utc_now)
    second_factor_pending: bool = False
    """The password was right but the code is still to come: grants nothing
    in the admin but the two-step page (knowledge.staff.second_factor)."""


class RecoveryCode(SQLModel, table=True):
    """A one-time recovery code for two-step sign-in; only its SHA-256 is kept."""

    __tablename__ = "admin_recovery_code"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="admin_user.id", index=True)
    code_hash: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utc_now)
    used_at: datetime | None = None


class AuditEntry(SQLModel, table=True):
    """One thing that happened: a sign-in, failed sign-in, edit, publish, rollback, …"""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utc_now, index=True)
    actor: str = Field(max_length=254)
    action: str = Field(max_length=40, index=True)
    target: str = Field(default="", max_length=200)
    detail: str = Field(default="", max_length=2000)
    address: str = Field(default="", max_length=64)


class SignInAttempt(SQLModel, table=True):
    """A sign-in attempt, kept so throttling holds across api instances."""

    __tablename__ = "sign_in_attempt"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utc_now, index=True)
    account: str = Field(max_length=254, index=True)
    address: str = Field(max_length=64, index=True)
    succeeded: bool = False
