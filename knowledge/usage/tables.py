"""Anonymous usage counts: only coarse categories (month, tier, concern code,
area code, two yes/no flags), never message text or full postcodes."""

from __future__ import annotations

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class UsageCount(SQLModel, table=True):
    """How many recommendations fell into one combination of anonymous categories."""

    __tablename__ = "usage_count"
    __table_args__ = (
        UniqueConstraint("month", "tier", "concern", "area", "outside_age", "outside_area"),
    )

    id: int | None = Field(default=None, primary_key=True)
    month: str = Field(max_length=7, index=True)
    tier: str = Field(max_length=20)
    concern: str = Field(max_length=64)
    area: str = Field(max_length=64)
    outside_age: bool = False
    outside_area: bool = False
    count: int = 0
