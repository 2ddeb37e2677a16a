"""admin accounts, sessions, audit log, sign-in attempts, usage counts

The audit log is append-only: a trigger refuses UPDATE and DELETE on it (on
PostgreSQL with a plpgsql function, on SQLite with RAISE(ABORT)).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 02:21:26.132454
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('admin_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', AutoString(length=254), nullable=False),
    sa.Column('name', AutoString(length=120), nullable=False),
    sa.Column('role', AutoString(length=16), nullable=False),
    sa.Column('password_hash', AutoString(length=255), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('admin_user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_admin_user_email'), ['email'], unique=True)

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', UTCDateTime(), nullable=False),
    sa.Column('actor', AutoString(length=254), nullable=False),
    sa.Column('action', AutoString(length=40), nullable=False),
    sa.Column('target', AutoString(length=200), nullable=False),
    sa.Column('detail', AutoString(length=2000), nullable=False),
    sa.Column('address', AutoString(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)

    op.create_table('sign_in_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', UTCDateTime(), nullable=False),
    sa.Column('account', AutoString(length=254), nullable=False),
    sa.Column('address', AutoString(length=64), nullable=False),
    sa.Column('succeeded', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sign_in_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_attempt_account'), ['account'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_in_attempt_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_in_attempt_at'), ['at'], unique=False)

    op.create_table('usage_count',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', AutoString(length=7), nullable=False),
    sa.Column('tier', AutoString(length=20), nullable=False),
    sa.Column('concern', AutoString(length=64), nullable=False),
    sa.Column('area', AutoString(length=64), nullable=False),
    sa.Column('outside_age', sa.Boolean(), nullable=False),
    sa.Column('outside_area', sa.Boolean(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('month', 'tier', 'concern', 'area', 'outside_age', 'outside_area')
    )
    with op.batch_alter_table('usage_count', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_usage_count_month'), ['month'], unique=False)

    op.create_table('admin_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', AutoString(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('csrf_token', AutoString(length=64), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('last_seen_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['admin_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('admin_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_admin_session_token_hash'), ['token_hash'], unique=True)
        batch_op.create_index(batch_op.f('ix_admin_session_user_id'), ['user_id'], unique=False)

    _protect_audit_log()


APPEND_ONLY = "the audit log is append-only: entries cannot be changed or deleted"


def _protect_audit_log() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    with op.batch_alter_table('admin_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_admin_session_user_id'))
        batch_op.drop_index(batch_op.f('ix_admin_session_token_hash'))

    op.drop_table('admin_session')
    with op.batch_alter_table('usage_count', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_usage_count_month'))

    op.drop_table('usage_count')
    with op.batch_alter_table('sign_in_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_attempt_at'))
        batch_op.drop_index(batch_op.f('ix_sign_in_attempt_address'))
        batch_op.drop_index(batch_op.f('ix_sign_in_attempt_account'))

    op.drop_table('sign_in_attempt')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))
        batch_op.drop_index(batch_op.f('ix_audit_log_action'))

    op.drop_table('audit_log')
    with op.batch_alter_table('admin_user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_admin_user_email'))

    op.drop_table('admin_user')
