"""At most one draft version, enforced by the database

Two editors making the very first edit at the same moment must end up in the
same draft; a partial unique index makes the second insert fail, and
knowledge.content.versions.get_or_create_draft then returns the winner's draft.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 03:00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DRAFT_ONLY = sa.text("status = 'draft'")


def upgrade() -> None:
    op.create_index(
        "uq_content_version_one_draft",
        "content_version",
        ["status"],
        unique=True,
        sqlite_where=DRAFT_ONLY,
        postgresql_where=DRAFT_ONLY,
    )


def downgrade() -> None:
    op.drop_index("uq_content_version_one_draft", table_name="content_version")
