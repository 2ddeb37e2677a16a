"""Imported ONS postcodes: not versioned content, replaced whole by each import."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from knowledge.clock import utc_now


class PostcodeRow(SQLModel, table=True):
    """A full postcode from the ONS Postcode Directory / NSPL import."""

    __tablename__ = "postcode"

    postcode: str = Field(primary_key=True, max_length=8)
    la_code: str = Field(max_length=9, index=True)
    ward_code: str | None = Field(default=None, max_length=9)


class PostcodeImport(SQLModel, table=True):
    """When the ONS directory was last imported, for the attribution and health page."""

    __tablename__ = "postcode_import"

    id: int | None = Field(default=None, primary_key=True)
    source_name: str = Field(max_length=200)
    rows: int
    imported_at: datetime = Field(default_factory=utc_now)
