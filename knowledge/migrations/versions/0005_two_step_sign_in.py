"""Two-step sign-in (TOTP and recovery codes); the audit log kept from its readers' hands

admin_user gains the TOTP secret, when it was confirmed and the last time step
accepted; admin_session gains ``second_factor_pending`` (password right, code
still to come); admin_recovery_code holds hashed one-time recovery codes.

On PostgreSQL the audit log is also protected against TRUNCATE (a statement
trigger: the row trigger of 0002 does not fire on it), and UPDATE, DELETE and
TRUNCATE are revoked on it from every role but its owner (and changes to
alembic_version too): when migrations run as ``navigator_owner``, the default
privileges of knowledge/migrations/roles.sql gave ``navigator_app`` all of
DML on both when they were created.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 14:00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _revoke_from_non_owners(table: str, privileges: tuple[str, ...]) -> str:
    """SQL taking ``privileges`` on ``table`` from every role but its owner."""
    listed = ", ".join(privileges)
    quoted = ", ".join(f"'{p}'" for p in privileges)
    return f"""
DO $$
DECLARE grantee_name text;
BEGIN
  FOR grantee_name IN
    SELECT DISTINCT CASE WHEN acl.grantee = 0 THEN 'PUBLIC'
                         ELSE quote_ident(pg_get_userbyid(acl.grantee)) END
    FROM pg_class c, aclexplode(c.relacl) AS acl
    WHERE c.oid = '{table}'::regclass
      AND acl.grantee <> c.relowner
      AND acl.privilege_type IN ({quoted})
  LOOP
    EXECUTE 'REVOKE {listed} ON {table} FROM ' || grantee_name;
  END LOOP;
END $$
"""


def upgrade() -> None:
    with op.batch_alter_table("admin_user") as batch:
        batch.add_column(sa.Column("totp_secret", AutoString(length=64), nullable=True))
        batch.add_column(sa.Column("totp_enrolled_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
    with op.batch_alter_table("admin_session") as batch:
        batch.add_column(
            sa.Column(
                "second_factor_pending", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    op.create_table(
        "admin_recovery_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", AutoString(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["admin_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("admin_recovery_code") as batch:
        batch.create_index(batch.f("ix_admin_recovery_code_user_id"), ["user_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
        )
        # the app may add to and read the audit log, and leave Alembic's record alone
        op.execute(_revoke_from_non_owners("audit_log", ("UPDATE", "DELETE", "TRUNCATE")))
        op.execute(_revoke_from_non_owners(
            "alembic_version", ("INSERT", "UPDATE", "DELETE", "TRUNCATE")
        ))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
    with op.batch_alter_table("admin_recovery_code") as batch:
        batch.drop_index(batch.f("ix_admin_recovery_code_user_id"))
    op.drop_table("admin_recovery_code")
    with op.batch_alter_table("admin_session") as batch:
        batch.drop_column("second_factor_pending")
    with op.batch_alter_table("admin_user") as batch:
        batch.drop_column("totp_last_step")
        batch.drop_column("totp_enrolled_at")
        batch.drop_column("totp_secret")
