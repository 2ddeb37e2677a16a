"""The volunteer route is versioned content, edited in the admin like the rules

Until now every version used the reviewed file ``seed/volunteer.yaml`` as it
was at run time. Each existing version gets that file's steps as rows, on the
same terms as before: only a version with pathway rules and every service the
route names (a tiny test content set has none), so what each version answers
a volunteer does not change.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 07:00:00
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "volunteer_step",
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", AutoString(length=120), nullable=False),
        sa.Column("id", AutoString(length=16), nullable=False),
        sa.Column("summary", AutoString(), nullable=False),
        sa.Column("applies_to", sa.JSON(), nullable=False),
        sa.Column("tier", AutoString(length=32), nullable=True),
        sa.Column("headline", AutoString(), nullable=True),
        sa.Column("services", sa.JSON(), nullable=False),
        sa.Column("next_steps", sa.JSON(), nullable=False),
        sa.Column("examples", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["content_version.id"]),
        sa.PrimaryKeyConstraint("row_id"),
        sa.UniqueConstraint("version_id", "id"),
    )
    with op.batch_alter_table("volunteer_step", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_volunteer_step_id"), ["id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_volunteer_step_version_id"), ["version_id"], unique=False)
    _copy_the_reviewed_route_into_every_version()


def _copy_the_reviewed_route_into_every_version() -> None:
    # Imported here, not at the top: only this step needs the seed file.
    from knowledge.content.seed_files import seed_volunteer_route, volunteer_route_services

    connection = op.get_bind()
    versions = [row[0] for row in connection.execute(sa.text("SELECT id FROM content_version"))]
    if not versions:
        return  # a new database: the seed is published with its route after migrating
    steps = seed_volunteer_route()
    needed = volunteer_route_services(steps)
    table = sa.table(
        "volunteer_step",
        sa.column("version_id", sa.Integer()), sa.column("revision", sa.Integer()),
        sa.column("updated_at", UTCDateTime()), sa.column("updated_by", AutoString()),
        sa.column("id", AutoString()), sa.column("summary", AutoString()),
        sa.column("applies_to", sa.JSON()), sa.column("tier", AutoString()),
        sa.column("headline", AutoString()), sa.column("services", sa.JSON()),
        sa.column("next_steps", sa.JSON()), sa.column("examples", sa.JSON()),
    )
    now = datetime.now(UTC)
    for version_id in versions:
        rules = connection.execute(sa.text(
            "SELECT count(*) FROM pathway_rule WHERE version_id = :v"), {"v": version_id}).scalar()
        services = {row[0] for row in connection.execute(sa.text(
            "SELECT id FROM service WHERE version_id = :v"), {"v": version_id})}
        if not rules or not needed <= services:
            continue
        op.bulk_insert(table, [
            {**step.model_dump(mode="json"), "version_id": version_id, "revision": 1,
             "updated_at": now, "updated_by": "migration 0006"}
            for step in steps
        ])


def downgrade() -> None:
    with op.batch_alter_table("volunteer_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_volunteer_step_version_id"))
        batch_op.drop_index(batch_op.f("ix_volunteer_step_id"))
    op.drop_table("volunteer_step")
