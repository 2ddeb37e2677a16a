"""What the sign-in form does about guessing: wait, tell, and log once.

The delays themselves are in :mod:`knowledge.staff.throttle`. A throttled
attempt is refused before the password is checked, answers 429 with
``Retry-After`` and the form again with the wait in words, and is not counted
as another failure (so waiting is always enough). Failed and throttled
sign-ins are audited at most once per account and address per
``throttle.WINDOW``, so a flood of guesses cannot flood the audit log.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from knowledge.staff import audit, throttle
from knowledge.staff.accounts import normalise_email


def actor_for(email: str) -> str:
    return normalise_email(email)[:254] or "(blank)"


def wait_before_sign_in(session: Session, email: str, address: str) -> timedelta:
    """Zero when this address may try this account now."""
    wait = throttle.wait_before_attempt(session, normalise_email(email), address)
    return wait if wait > timedelta(0) else timedelta(0)


def throttled_message(wait: timedelta) -> str:
    return (
        "There have been several failed attempts to sign in to this account from this "
        f"network, so each further try has to wait. Try again in {throttle.describe_wait(wait)}. "
        "If you have forgotten your password, ask an admin to set a new one."
    )


def retry_after(wait: timedelta) -> str:
    return str(throttle.retry_after_seconds(wait))


def audit_once(session: Session, email: str, action: str, address: str, detail: str = "") -> None:
    """Record ``action`` unless it was recorded for this account and address
    within the throttle window."""
    actor = actor_for(email)
    if not throttle.already_audited(session, actor, action, address):
        audit.record(session, actor, action, detail=detail, address=address)


def record_failure(session: Session, email: str, address: str) -> None:
    audit_once(
        session, email, "sign_in_failed", address,
        "wrong email or password; further failures for this account from this address "
        f"within {throttle.describe_wait(throttle.WINDOW)} are not logged one by one",
    )


def record_throttled(session: Session, email: str, address: str, wait: timedelta) -> None:
    audit_once(
        session, email, "sign_in_throttled", address,
        f"asked to wait {throttle.describe_wait(wait)}; logged once per "
        f"{throttle.describe_wait(throttle.WINDOW)} for this account and address",
    )
