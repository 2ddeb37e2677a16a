"""Sign-in throttling that slows guessing down but never locks anyone out.

(OWASP ASVS 2.2.1.) Each password check is one ``SignInAttempt`` row; the
rows live for ``WINDOW`` and are pruned after it, so failures cannot grow the
table without bound. Two delays apply, and the longer one wins:

- per (account, address) pair: after ``PAIR_FREE_FAILURES`` failures in the
  window, each further attempt from that address at that account must wait
  2, 4, 8 … seconds (1 s first) after the last failure, up to ``MAX_DELAY``;
- per address, whatever the account: the same growth after
  ``ADDRESS_FREE_FAILURES`` failures, which slows one address guessing many
  accounts (password spraying).

There is deliberately no delay per account alone: failures from other
addresses never slow the owner down at a fresh address, so an attacker cannot
keep a member of staff out by failing on purpose. Guessing one account from
many addresses is bounded instead by every address's own delay, the password
policy (long, not on a breached-password list) and the audit log. A correct
password from a pair clears that pair's failures.

Every attempt is written as a failure *before* the password is checked (and
marked as succeeded afterwards), so parallel guesses from one address see
each other and cannot all slip through before the first is counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from knowledge.clock import utc_now
from knowledge.staff.tables import AuditEntry, SignInAttempt

WINDOW = timedelta(hours=1)
PAIR_FREE_FAILURES = 5
ADDRESS_FREE_FAILURES = 20
MAX_DELAY = timedelta(minutes=15)


def delay_after(failures: int, free: int) -> timedelta:
    """How long after the last failure the next attempt must wait."""
    if failures < free:
        return timedelta(0)
    exponent = failures - free
    if exponent >= 20:  # 2**20 s is far past the cap; avoid huge numbers
        return MAX_DELAY
    return min(timedelta(seconds=2**exponent), MAX_DELAY)


@dataclass(frozen=True)
class Failures:
    count: int
    last: datetime | None


def _as_utc(moment: datetime) -> datetime:
    """SQLite hands timestamps back without a time zone; they were written as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=utc_now().tzinfo)


def _failures(session: Session, now: datetime, *conditions: object) -> Failures:
    statement = select(func.count(), func.max(SignInAttempt.at)).where(
        col(SignInAttempt.succeeded).is_(False),
        col(SignInAttempt.at) > now - WINDOW,
        *conditions,  # type: ignore[arg-type]
    )
    count, last = session.exec(statement).one()
    return Failures(int(count or 0), _as_utc(last) if last is not None else None)


def wait_before_attempt(
    session: Session, account: str, address: str, now: datetime | None = None
) -> timedelta:
    """How long this address must wait before trying this account (zero: go ahead)."""
    now = now or utc_now()
    account, address = account[:254], address[:64]
    waits = [timedelta(0)]
    for failures, free in (
        (_failures(session, now, SignInAttempt.account == account,
                   SignInAttempt.address == address), PAIR_FREE_FAILURES),
        (_failures(session, now, SignInAttempt.address == address), ADDRESS_FREE_FAILURES),
    ):
        if failures.last is not None:
            waits.append(failures.last + delay_after(failures.count, free) - now)
    return max(waits)


def begin_attempt(
    session: Session, account: str, address: str, now: datetime | None = None
) -> SignInAttempt:
    """Count this attempt as a failure until :func:`succeeded` says otherwise;
    prunes rows older than the window."""
    now = now or utc_now()
    session.exec(delete(SignInAttempt).where(col(SignInAttempt.at) <= now - WINDOW))
    attempt = SignInAttempt(account=account[:254], address=address[:64], succeeded=False, at=now)
    session.add(attempt)
    session.commit()
    session.refresh(attempt)
    return attempt


def succeeded(session: Session, attempt: SignInAttempt) -> None:
    """The password was right: this pair's earlier failures no longer count."""
    session.exec(delete(SignInAttempt).where(
        col(SignInAttempt.account) == attempt.account,
        col(SignInAttempt.address) == attempt.address,
        col(SignInAttempt.succeeded).is_(False),
        col(SignInAttempt.id) != attempt.id,
    ))
    attempt.succeeded = True
    session.add(attempt)
    session.commit()


def already_audited(
    session: Session, actor: str, action: str, address: str, now: datetime | None = None
) -> bool:
    """True when ``action`` was logged for this actor and address within the
    window: failed and throttled sign-ins are logged once a window per pair,
    so a flood of guesses cannot flood the audit log."""
    now = now or utc_now()
    statement = select(AuditEntry.id).where(
        AuditEntry.action == action,
        AuditEntry.actor == actor[:254],
        AuditEntry.address == address[:64],
        col(AuditEntry.at) > now - WINDOW,
    ).limit(1)
    return session.exec(statement).first() is not None


def describe_wait(wait: timedelta) -> str:
    """'1 second', '40 seconds', '3 minutes' (rounded up)."""
    seconds = max(1, int(-(-wait.total_seconds() // 1)))
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def retry_after_seconds(wait: timedelta) -> int:
    return max(1, int(-(-wait.total_seconds() // 1)))
