"""Two-step sign-in: time-based one-time passwords (RFC 6238, via pyotp) and
one-time recovery codes.

Who: publishers and admins must enrol; editors may (from "Your account"), and
once enrolled must give a code too. After the password, such a person gets a
*pending* session (``AdminSession.second_factor_pending``): a separate short
cookie that :func:`knowledge.staff.accounts.resume_session` never accepts, so
it opens nothing in the admin but the two-step page, and it ends after
``PENDING_TIMEOUT``. A right code replaces it with an ordinary session.

Codes: 6 digits, 30-second steps, one step of clock drift either way; the
step of each accepted code is stored and no code of that step or an earlier
one is accepted again (the update is conditional, so two instances cannot
both accept one code). Recovery codes are random (50 bits), shown once,
stored as SHA-256 (their entropy makes a slow hash unnecessary) and each
works once.

The secret is stored in the database as it is, like the session and CSRF
tokens and unlike passwords (which only need checking, so are hashed): a
TOTP secret must be readable to check a code. The second step guards against
a guessed, reused or phished password; someone who can read the database
already reads everything the admin protects, and the database is reachable
only by the app's own roles (knowledge/migrations/roles.sql).

Wrong codes are sign-in failures: they are ``SignInAttempt`` rows under the
account name ``totp:<email>`` (so a right password, which clears that
account's failures, does not clear them) and count towards the per-address
throttling like wrong passwords; ``CODE_FAILURES`` wrong codes for one account
within ``CODE_WINDOW`` from any address also stop further codes for a while.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from datetime import datetime, timedelta

import pyotp
import segno
from sqlalchemy import and_, func, or_, update
from sqlmodel import Session, col, delete, select

from knowledge.clock import utc_now
from knowledge.staff.accounts import (
    SignedIn,
    _hash_token,
    end_all_sessions,
    normalise_email,
    role_at_least,
    start_session,
    throttled,
)
from knowledge.staff.tables import AdminSession, AdminUser, RecoveryCode, SignInAttempt

ISSUER = "Early Years Pathway Navigator"
REQUIRED_FROM_ROLE = "publisher"
PENDING_TIMEOUT = timedelta(minutes=10)
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
CODE_FAILURES = 10
CODE_WINDOW = timedelta(minutes=15)
_DIGITS = re.compile(r"\d{6}")


def required(user: AdminUser) -> bool:
    """Publishers and admins must use two-step sign-in."""
    return role_at_least(user.role, REQUIRED_FROM_ROLE)


def enrolled(user: AdminUser) -> bool:
    return user.totp_enrolled_at is not None and bool(user.totp_secret)


def needed_at_sign_in(user: AdminUser) -> bool:
    """After the password: a code (enrolled) or enrolment (required) comes next."""
    return enrolled(user) or required(user)


# --- the pending (half signed in) session ------------------------------------


def start_pending_session(session: Session, user: AdminUser, replacing: str | None = None) -> str:
    """A session that only lets ``user`` give a code or enrol; returns its token."""
    for token in filter(None, (replacing,)):
        session.exec(delete(AdminSession).where(col(AdminSession.token_hash) == _hash_token(token)))
    token = secrets.token_urlsafe(32)
    assert user.id is not None  # noqa: S101 - users read from the database have ids
    session.add(
        AdminSession(
            token_hash=_hash_token(token), user_id=user.id, csrf_token=secrets.token_urlsafe(32),
            second_factor_pending=True,
        )
    )
    session.commit()
    return token


def resume_pending_session(
    session: Session, token: str, now: datetime | None = None
) -> SignedIn | None:
    """The half-signed-in user for a pending token, or None (unknown, expired,
    deactivated, or not a pending session)."""
    now = now or utc_now()
    row = session.exec(
        select(AdminSession).where(
            AdminSession.token_hash == _hash_token(token),
            col(AdminSession.second_factor_pending).is_(True),
        )
    ).first()
    if row is None:
        return None
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=now.tzinfo)
    if now - created > PENDING_TIMEOUT:
        session.delete(row)
        session.commit()
        return None
    user = session.get(AdminUser, row.user_id)
    if user is None or not user.active:
        return None
    return SignedIn(user=user, session=row)


def complete_sign_in(session: Session, user: AdminUser, pending_token: str) -> str:
    """The second step passed: the pending session ends and a full one starts
    (a new token); returns it."""
    return start_session(session, user, replacing=pending_token)


# --- enrolment ---------------------------------------------------------------


def enrolment_secret(session: Session, user: AdminUser) -> str:
    """The secret being enrolled: the same one until it is confirmed, so a
    reload shows the same secret as the authenticator app already has."""
    if enrolled(user):
        raise ValueError("already enrolled")
    if not user.totp_secret:
        user.totp_secret = pyotp.random_base32()
        session.add(user)
        session.commit()
        session.refresh(user)
    assert user.totp_secret is not None  # noqa: S101 - set just above
    return user.totp_secret


def provisioning_uri(user: AdminUser, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_code_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (no image files, no scripts)."""
    return str(segno.make(uri, error="m").svg_inline(scale=4, title="QR code of the secret"))


def confirm_enrolment(
    session: Session, user: AdminUser, code: str, now: float | None = None
) -> list[str] | None:
    """Enrol when ``code`` is right for the secret being enrolled; returns the
    new recovery codes (to show once), or None when the code is wrong."""
    if enrolled(user) or not user.totp_secret:
        return None
    if not _accept_totp(session, user, code, now):
        return None
    user.totp_enrolled_at = utc_now()
    session.add(user)
    session.commit()
    return new_recovery_codes(session, user)


def reset(session: Session, user: AdminUser) -> None:
    """Forget the secret and recovery codes (an admin's reset): the person
    enrols again at their next sign-in, and is signed out everywhere now."""
    user.totp_secret = None
    user.totp_enrolled_at = None
    user.totp_last_step = None
    session.add(user)
    session.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user.id))
    session.commit()
    end_all_sessions(session, user)


# --- checking codes ----------------------------------------------------------


def _normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


def _accept_totp(session: Session, user: AdminUser, code: str, now: float | None) -> bool:
    code = _normalise(code)
    if not user.totp_secret or not _DIGITS.fullmatch(code):
        return False
    totp = pyotp.TOTP(user.totp_secret)
    current = totp.timecode(time.time() if now is None else now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            # accepted only if no code of this step or a later one was used
            result = session.exec(
                update(AdminUser)
                .where(
                    col(AdminUser.id) == user.id,
                    or_(col(AdminUser.totp_last_step).is_(None),
                        col(AdminUser.totp_last_step) < step),
                )
                .values(totp_last_step=step)
            )
            session.commit()
            session.refresh(user)
            return bool(result.rowcount == 1)
    return False


def _hash_code(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def new_recovery_codes(session: Session, user: AdminUser) -> list[str]:
    """Replace the user's recovery codes with ``RECOVERY_CODE_COUNT`` new ones
    and return them (they cannot be shown again)."""
    assert user.id is not None  # noqa: S101 - users read from the database have ids
    session.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        session.add(RecoveryCode(user_id=user.id, code_hash=_hash_code(raw)))
    session.commit()
    return codes


def recovery_codes_left(session: Session, user: AdminUser) -> int:
    statement = select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, col(RecoveryCode.used_at).is_(None)
    )
    return int(session.exec(statement).one())


def _use_recovery_code(session: Session, user: AdminUser, code: str) -> bool:
    result = session.exec(
        update(RecoveryCode)
        .where(and_(
            col(RecoveryCode.user_id) == user.id,
            col(RecoveryCode.code_hash) == _hash_code(code),
            col(RecoveryCode.used_at).is_(None),
        ))
        .values(used_at=utc_now())
    )
    session.commit()
    return bool(result.rowcount == 1)


def check_code(session: Session, user: AdminUser, code: str, now: float | None = None) -> str:
    """What accepted ``code`` for an enrolled user: "code", "recovery code", or
    "" when nothing did (wrong, already used, or not enrolled)."""
    if not enrolled(user):
        return ""
    if _DIGITS.fullmatch(_normalise(code)):
        return "code" if _accept_totp(session, user, code, now) else ""
    normalised = _normalise(code)
    if len(normalised) != 10 or not set(normalised) <= set(RECOVERY_ALPHABET):
        return ""
    return "recovery code" if _use_recovery_code(session, user, normalised) else ""


# --- throttling --------------------------------------------------------------


def code_account(email: str) -> str:
    """The account name wrong codes are counted under."""
    return f"totp:{normalise_email(email)}"[:254]


def codes_throttled(session: Session, user: AdminUser, address: str) -> bool:
    """True when no code may be tried now: this address has failed too often
    (the sign-in throttling), or this account has had ``CODE_FAILURES`` wrong
    codes within ``CODE_WINDOW`` from anywhere."""
    account = code_account(user.email)
    if throttled(session, account, address):
        return True
    statement = select(func.count()).select_from(SignInAttempt).where(
        SignInAttempt.account == account,
        col(SignInAttempt.succeeded).is_(False),
        col(SignInAttempt.at) > utc_now() - CODE_WINDOW,
    )
    return int(session.exec(statement).one()) >= CODE_FAILURES


def record_code_attempt(session: Session, user: AdminUser, address: str, ok: bool) -> None:
    """Count a wrong code as a failed sign-in; a right one clears this
    address's wrong codes for the account."""
    account = code_account(user.email)
    if ok:
        session.exec(delete(SignInAttempt).where(
            col(SignInAttempt.account) == account,
            col(SignInAttempt.address) == address[:64],
            col(SignInAttempt.succeeded).is_(False),
        ))
    session.add(SignInAttempt(account=account, address=address[:64], succeeded=ok))
    session.commit()
