"""Imports every module that defines tables, so the metadata is complete for
Alembic and for tests. Add new table modules here."""

from knowledge import admin_tables, tables

__all__ = ["admin_tables", "tables"]
