"""SQLModel tables for the curated, versioned knowledge base.

Every content row belongs to one content version. A published version's rows
are never changed again: editing works on a draft version (a copy), publishing
freezes it, and rolling back copies an older version's rows into a new one.
Scalar facts are columns (so they can be queried and reviewed); lists and small
nested values are JSON columns that mirror ``pathways.model`` exactly.

Imported ONS postcodes are not content: they live in ``knowledge.postcodes.tables``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from knowledge.clock import utc_now


class ContentVersion(SQLModel, table=True):
    """A numbered snapshot of all content. ``status`` is draft or published."""

    __tablename__ = "content_version"

    id: int | None = Field(default=None, primary_key=True)
    status: str = Field(index=True, max_length=16)
    based_on: int | None = Field(default=None)
    note: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utc_now)
    created_by: str = Field(default="", max_length=120)
    published_at: datetime | None = None
    published_by: str | None = Field(default=None, max_length=120)


class VersionedRow(SQLModel):
    """Columns shared by every content table: which version the row is in and
    an optimistic-locking revision, so two editors cannot silently overwrite
    each other."""

    row_id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="content_version.id", index=True)
    revision: int = Field(default=1)
    updated_at: datetime = Field(default_factory=utc_now)
    updated_by: str = Field(default="", max_length=120)


def json_column() -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


def json_object_column() -> Any:
    return Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class ServiceRow(VersionedRow, table=True):
    __tablename__ = "service"
    __table_args__ = (UniqueConstraint("version_id", "id"),)

    id: str = Field(max_length=64, index=True)
    name: str = Field(max_length=200)
    former_names: list[str] = json_column()
    provider: str = Field(max_length=200)
    circle: str = Field(max_length=16)
    summary: str
    does: list[str] = json_column()
    does_not: list[str] = json_column()
    eligibility: str
    ages: dict[str, Any] = json_object_column()
    areas: list[str] = json_column()
    referrers: list[str] = json_column()
    how_to_refer: str
    contact: dict[str, Any] = json_object_column()
    status: str = Field(max_length=16)
    sources: list[str] = json_column()
    last_verified: date
    needs_verification: bool = False
    verification_note: str | None = None


class AreaRow(VersionedRow, table=True):
    __tablename__ = "area"
    __table_args__ = (UniqueConstraint("version_id", "code"),)

    code: str = Field(max_length=64, index=True)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=32)
    la_codes: list[str] = json_column()
    ward_codes: list[str] = json_column()
    within: str | None = Field(default=None, max_length=64)
    note: str | None = None


class PostcodeMappingRow(VersionedRow, table=True):
    """A curated postcode district or sector and the areas it lies in."""

    __tablename__ = "postcode_mapping"
    __table_args__ = (UniqueConstraint("version_id", "prefix"),)

    prefix: str = Field(max_length=8, index=True)
    areas: list[str] = json_column()
    partial_areas: list[str] = json_column()
    place: str | None = Field(default=None, max_length=200)
    note: str | None = None


class ConcernRow(VersionedRow, table=True):
    __tablename__ = "concern"
    __table_args__ = (UniqueConstraint("version_id", "code"),)

    code: str = Field(max_length=64, index=True)
    label: str = Field(max_length=200)
    description: str
    phrases: list[str] = json_column()
    absent_phrases: list[str] = json_column()
    red_flag: bool = False
    risk_factor: bool = False
    tiers: list[str] = json_column()
    services: list[str] = json_column()
    guidance: str | None = None


class RuleRow(VersionedRow, table=True):
    __tablename__ = "pathway_rule"
    __table_args__ = (UniqueConstraint("version_id", "id"),)

    id: str = Field(max_length=16, index=True)
    summary: str
    priority: int
    conditions: list[dict[str, Any]] = json_column()
    outcome: dict[str, Any] = json_object_column()
    examples: list[dict[str, Any]] = json_column()
    rationale: str | None = None


class VolunteerStepRow(VersionedRow, table=True):
    """A step of the volunteer route (``pathways.asker``): what a volunteer is
    told when a professional would get a tier in ``applies_to``."""

    __tablename__ = "volunteer_step"
    __table_args__ = (UniqueConstraint("version_id", "id"),)

    id: str = Field(max_length=16, index=True)
    summary: str
    applies_to: list[str] = json_column()
    tier: str | None = Field(default=None, max_length=32)
    headline: str | None = None
    services: list[str] = json_column()
    next_steps: list[str] = json_column()
    examples: list[dict[str, Any]] = json_column()


CONTENT_TABLES: dict[str, type[VersionedRow]] = {
    "services": ServiceRow,
    "areas": AreaRow,
    "postcodes": PostcodeMappingRow,
    "concerns": ConcernRow,
    "rules": RuleRow,
    "volunteer": VolunteerStepRow,
}
"""Content kind (as in the seed files) → table."""

CONTENT_KEYS: dict[str, str] = {
    "services": "id",
    "areas": "code",
    "postcodes": "prefix",
    "concerns": "code",
    "rules": "id",
    "volunteer": "id",
}
"""The natural key of each content kind within a version."""
