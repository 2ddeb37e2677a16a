"""The audit log: who signed in, failed to, edited, published or rolled back.

Entries are only ever added. There is deliberately no function here (or
anywhere) that changes or removes one, and the database refuses it too.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from knowledge.staff.tables import AuditEntry


def record(
    session: Session,
    actor: str,
    action: str,
    target: str = "",
    detail: str = "",
    address: str = "",
    *,
    commit: bool = True,
) -> AuditEntry:
    entry = AuditEntry(
        actor=actor[:254], action=action, target=target[:200], detail=detail[:2000],
        address=address[:64],
    )
    session.add(entry)
    if commit:
        session.commit()
    return entry


def recent(session: Session, limit: int = 200, action: str | None = None) -> list[AuditEntry]:
    statement = select(AuditEntry).order_by(col(AuditEntry.id).desc()).limit(limit)
    if action:
        statement = statement.where(AuditEntry.action == action)
    return list(session.exec(statement))
