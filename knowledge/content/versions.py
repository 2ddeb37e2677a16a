"""The versioned content store: publish, draft, copy and load versions.

The rules that keep content trustworthy live here, in one place: a published
version is immutable; at most one draft exists, based on a published version;
publishing and rolling back always create a new version number so history is
never rewritten.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from knowledge.clock import utc_now
from knowledge.content.seed_files import knowledge_from_documents, read_documents
from knowledge.content.tables import CONTENT_KEYS, CONTENT_TABLES, ContentVersion, VersionedRow
from pathways.model import Knowledge

DRAFT = "draft"
PUBLISHED = "published"

_ROW_META = {"row_id", "version_id", "revision", "updated_at", "updated_by"}


class VersionError(RuntimeError):
    """An operation the version rules forbid (editing a published version, …)."""


def latest_published(session: Session) -> ContentVersion | None:
    statement = (
        select(ContentVersion)
        .where(ContentVersion.status == PUBLISHED)
        .order_by(col(ContentVersion.id).desc())
        .limit(1)
    )
    return session.exec(statement).first()


def latest_published_id(session: Session) -> int | None:
    """The newest published version number: a cheap query polled by every instance."""
    statement = select(func.max(ContentVersion.id)).where(ContentVersion.status == PUBLISHED)
    return session.exec(statement).one()


def current_draft(session: Session) -> ContentVersion | None:
    statement = select(ContentVersion).where(ContentVersion.status == DRAFT).limit(1)
    return session.exec(statement).first()


def list_versions(session: Session) -> list[ContentVersion]:
    return list(session.exec(select(ContentVersion).order_by(col(ContentVersion.id).desc())))


def row_to_document(row: VersionedRow) -> dict[str, Any]:
    """A content row as the plain dict the seed files and pathways.model use."""
    return {k: v for k, v in row.model_dump().items() if k not in _ROW_META and v is not None}


def version_documents(session: Session, version_id: int) -> dict[str, list[dict[str, Any]]]:
    """All content of one version as seed-shaped documents, in a stable order."""
    documents: dict[str, list[dict[str, Any]]] = {}
    for kind, table in CONTENT_TABLES.items():
        key = getattr(table, CONTENT_KEYS[kind])
        rows = session.exec(
            select(table).where(table.version_id == version_id).order_by(key)
        )
        documents[kind] = [row_to_document(row) for row in rows]
    return documents


def load_knowledge(session: Session, version_id: int) -> Knowledge:
    """Build the engine's immutable view of one version."""
    return knowledge_from_documents(version_documents(session, version_id), version_id)


def complete_documents(knowledge: Knowledge) -> dict[str, list[dict[str, Any]]]:
    """Knowledge back to documents with every field present (JSON-compatible lists)."""
    collections: dict[str, list[Any]] = {
        "services": list(knowledge.services.values()),
        "areas": list(knowledge.areas.values()),
        "postcodes": list(knowledge.postcodes.values()),
        "concerns": list(knowledge.concerns.values()),
        "rules": list(knowledge.rules),
        "volunteer": list(knowledge.volunteer),
    }
    return {
        kind: [item.model_dump(mode="json") for item in items]
        for kind, items in collections.items()
    }


def _add_documents(
    session: Session, version_id: int, documents: dict[str, list[dict[str, Any]]], by: str
) -> None:
    for kind, table in CONTENT_TABLES.items():
        for document in documents.get(kind, []):
            session.add(
                table.model_validate({**document, "version_id": version_id, "updated_by": by})
            )


def create_version(
    session: Session,
    documents: dict[str, list[dict[str, Any]]],
    *,
    status: str,
    by: str,
    note: str = "",
    based_on: int | None = None,
) -> ContentVersion:
    """Store documents as a new version after validating them as Knowledge.

    Invalid content is refused before anything is written; valid content is
    stored complete (defaults filled in), so every row holds every field.
    """
    documents = complete_documents(knowledge_from_documents(documents, version=0))
    version = ContentVersion(status=status, note=note, based_on=based_on, created_by=by)
    if status == PUBLISHED:
        version.published_at = utc_now()
        version.published_by = by
    session.add(version)
    session.flush()
    assert version.id is not None  # noqa: S101 - set by flush
    _add_documents(session, version.id, documents, by)
    session.commit()
    session.refresh(version)
    return version


def ensure_seeded(session: Session) -> ContentVersion:
    """Publish the seed YAML as the first version when the store is empty."""
    existing = latest_published(session)
    if existing is not None:
        return existing
    return create_version(
        session, read_documents(), status=PUBLISHED, by="seed", note="Initial Bradford content"
    )


def get_or_create_draft(session: Session, by: str) -> ContentVersion:
    """The one shared draft, created as a copy of the latest published version.

    If another editor creates it at the same moment, the database's one-draft
    index refuses the second insert and that editor gets the winner's draft.
    """
    draft = current_draft(session)
    if draft is not None:
        return draft
    base = latest_published(session)
    if base is None or base.id is None:
        raise VersionError("there is no published version to draft from")
    try:
        return create_version(
            session,
            version_documents(session, base.id),
            status=DRAFT,
            by=by,
            note=f"Draft based on version {base.id}",
            based_on=base.id,
        )
    except IntegrityError:
        session.rollback()
        winner = current_draft(session)
        if winner is None:
            raise
        return winner


def publish_draft(session: Session, by: str, note: str) -> ContentVersion:
    """Freeze the draft as a new published version (a fresh, higher number).

    The draft's rows are copied into a new version rather than relabelled, so
    published numbers always increase in publication order.
    """
    draft = current_draft(session)
    if draft is None or draft.id is None:
        raise VersionError("there is no draft to publish")
    documents = version_documents(session, draft.id)
    discard_draft(session)
    return create_version(
        session, documents, status=PUBLISHED, by=by, note=note, based_on=draft.based_on
    )


def discard_draft(session: Session) -> None:
    draft = current_draft(session)
    if draft is None:
        return
    for table in CONTENT_TABLES.values():
        session.execute(delete(table).where(table.version_id == draft.id))  # type: ignore[arg-type]
    session.delete(draft)
    session.commit()


def rollback_to(session: Session, version_id: int, by: str) -> ContentVersion:
    """Publish a copy of an earlier version as the newest version."""
    target = session.get(ContentVersion, version_id)
    if target is None or target.status != PUBLISHED:
        raise VersionError(f"version {version_id} is not a published version")
    return create_version(
        session,
        version_documents(session, version_id),
        status=PUBLISHED,
        by=by,
        note=f"Rollback to version {version_id}",
        based_on=version_id,
    )
