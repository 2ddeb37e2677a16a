"""Editing content in the shared draft, without ever losing someone's change.

Every change goes into the draft (created from the latest published version
on the first edit). Each row carries a ``revision``: a save states which
revision it was based on and is applied with one compare-and-set UPDATE, so
when two editors change the same entry the second is refused with a clear
message instead of silently overwriting the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import update
from sqlmodel import Session, col, select

from knowledge.clock import utc_now
from knowledge.content.tables import CONTENT_KEYS, CONTENT_TABLES, ContentVersion, VersionedRow
from knowledge.content.versions import (
    current_draft,
    get_or_create_draft,
    latest_published,
    row_to_document,
)
from pathways.model import Area, Concern, PostcodeMapping, Rule, Service, VolunteerStep

MODELS: dict[str, type[BaseModel]] = {
    "services": Service,
    "areas": Area,
    "postcodes": PostcodeMapping,
    "concerns": Concern,
    "rules": Rule,
    "volunteer": VolunteerStep,
}
"""Content kind → the pydantic model every saved entry must validate as."""

SINGULAR = {
    "services": "service",
    "areas": "area",
    "postcodes": "postcode mapping",
    "concerns": "concern",
    "rules": "rule",
    "volunteer": "volunteer step",
}


class EditConflict(RuntimeError):
    """Someone else changed (or removed) the entry since the editor opened it."""

    def __init__(self, message: str, current: VersionedRow | None) -> None:
        super().__init__(message)
        self.current = current


class EditError(ValueError):
    """An edit that cannot be made (a duplicate key, an unknown entry, …)."""


@dataclass(frozen=True)
class Entry:
    """One content entry as shown to an editor: its document and where it came from."""

    key: str
    document: dict[str, Any]
    revision: int
    updated_by: str
    updated_at: datetime
    in_draft: bool


def working_version(session: Session) -> ContentVersion | None:
    """What editors see: the draft when there is one, else the latest published version."""
    return current_draft(session) or latest_published(session)


def _key_column(kind: str) -> Any:
    return getattr(CONTENT_TABLES[kind], CONTENT_KEYS[kind])


def _row(session: Session, kind: str, version_id: int, key: str) -> VersionedRow | None:
    table = CONTENT_TABLES[kind]
    statement = select(table).where(table.version_id == version_id, _key_column(kind) == key)
    return session.exec(statement).first()


def _entry(kind: str, row: VersionedRow, in_draft: bool) -> Entry:
    return Entry(
        key=str(getattr(row, CONTENT_KEYS[kind])),
        document=row_to_document(row),
        revision=row.revision,
        updated_by=row.updated_by,
        updated_at=row.updated_at,
        in_draft=in_draft,
    )


def list_entries(session: Session, kind: str) -> list[Entry]:
    version = working_version(session)
    if version is None:
        return []
    table = CONTENT_TABLES[kind]
    rows = session.exec(
        select(table).where(table.version_id == version.id).order_by(_key_column(kind))
    )
    return [_entry(kind, row, version.status == "draft") for row in rows]


def get_entry(session: Session, kind: str, key: str) -> Entry | None:
    version = working_version(session)
    if version is None or version.id is None:
        return None
    row = _row(session, kind, version.id, key)
    return None if row is None else _entry(kind, row, version.status == "draft")


def validate_document(kind: str, document: dict[str, Any]) -> dict[str, Any]:
    """The document as the model accepts it (raises pydantic.ValidationError)."""
    return MODELS[kind].model_validate(document).model_dump(mode="json")


def _columns(kind: str, document: dict[str, Any], version_id: int) -> dict[str, Any]:
    """Column values for an UPDATE, converted by the table model (dates, JSON)."""
    row = CONTENT_TABLES[kind].model_validate({**document, "version_id": version_id})
    return {name: getattr(row, name) for name in document}


def _draft_id(session: Session, by: str) -> int:
    draft = get_or_create_draft(session, by)
    assert draft.id is not None  # noqa: S101 - stored versions have ids
    return draft.id


def _conflict(kind: str, key: str, row: VersionedRow | None) -> EditConflict:
    what = f"{SINGULAR[kind]} {key}"
    if row is None:
        return EditConflict(
            f"Someone else removed the {what} from the draft while you were editing it. "
            "Your changes have not been saved; they are still in the form below.",
            None,
        )
    when = row.updated_at.strftime("%d %B %Y at %H:%M UTC")
    return EditConflict(
        f"{row.updated_by or 'Someone'} changed the {what} on {when}, while you were editing it. "
        "Your changes have not been saved; they are still in the form below. Check the "
        "differences from the saved version, then save again.",
        row,
    )


def save_entry(
    session: Session,
    kind: str,
    document: dict[str, Any],
    *,
    by: str,
    key: str | None = None,
    expected_revision: int | None = None,
) -> Entry:
    """Create (``key`` None) or update an entry in the draft.

    Raises pydantic.ValidationError for invalid content, EditError for a
    duplicate or renamed key, EditConflict when the stored revision moved on.
    """
    document = validate_document(kind, document)
    new_key = str(document[CONTENT_KEYS[kind]])
    draft_id = _draft_id(session, by)
    table = CONTENT_TABLES[kind]
    if key is None:
        if _row(session, kind, draft_id, new_key) is not None:
            raise EditError(f"There is already a {SINGULAR[kind]} {new_key}.")
        session.add(table.model_validate({**document, "version_id": draft_id, "updated_by": by}))
        session.commit()
    else:
        if new_key != key:
            raise EditError(
                f"The {CONTENT_KEYS[kind]} of an existing {SINGULAR[kind]} cannot be changed; "
                "add a new one and remove this one instead."
            )
        row = _row(session, kind, draft_id, key)
        if row is None or row.revision != expected_revision:
            raise _conflict(kind, key, row)
        statement = (
            update(table)
            .where(col(table.row_id) == row.row_id, col(table.revision) == expected_revision)
            .values(
                **_columns(kind, document, draft_id),
                revision=row.revision + 1,
                updated_at=utc_now(),
                updated_by=by,
            )
        )
        if session.connection().execute(statement).rowcount != 1:
            session.rollback()
            raise _conflict(kind, key, _row(session, kind, draft_id, key))
        session.commit()
    session.expire_all()
    saved = _row(session, kind, draft_id, new_key)
    assert saved is not None  # noqa: S101 - just written
    return _entry(kind, saved, True)


def delete_entry(
    session: Session, kind: str, key: str, *, by: str, expected_revision: int
) -> None:
    """Remove an entry from the draft (the published versions keep it)."""
    draft_id = _draft_id(session, by)
    row = _row(session, kind, draft_id, key)
    if row is None or row.revision != expected_revision:
        raise _conflict(kind, key, row)
    session.delete(row)
    session.commit()
