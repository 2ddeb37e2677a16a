"""Concerns may be risk factors (prematurity, a NICU stay, a bereavement)

A risk factor weighs towards a consultation together with a relationship
worry, never on its own; existing concerns are not risk factors.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 11:40:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("concern") as batch:
        batch.add_column(
            sa.Column("risk_factor", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("concern") as batch:
        batch.drop_column("risk_factor")
