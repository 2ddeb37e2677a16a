"""Imports every module that defines tables, so the metadata is complete for
Alembic and for tests. Add new table modules here."""

from knowledge import tables

__all__ = ["tables"]
