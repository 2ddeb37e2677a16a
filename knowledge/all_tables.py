"""Imports every module that defines tables, so the metadata is complete for
Alembic and for tests. Add new table modules here."""

from knowledge.content import tables as content_tables
from knowledge.postcodes import tables as postcode_tables
from knowledge.staff import tables as staff_tables
from knowledge.usage import tables as usage_tables

__all__ = ["content_tables", "postcode_tables", "staff_tables", "usage_tables"]
