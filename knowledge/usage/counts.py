"""Anonymous usage counts for commissioners: how many recommendations, by
month, tier, main concern and area, and how many families were outside LMM's
age range or area.

Only these categories are stored, as counters: never the description a
practitioner typed, never a full postcode, never anything per request.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from knowledge.usage.tables import UsageCount
from pathways.eligibility import LMM_SERVICE_ID, age_fits, area_fits
from pathways.model import Knowledge
from pathways.recommend import Recommendation

NONE = "none"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class UsageKey:
    month: str
    tier: str
    concern: str
    area: str
    outside_age: bool
    outside_area: bool


def _most_specific_area(areas: list[str] | tuple[str, ...], knowledge: Knowledge) -> str:
    """The narrowest area the postcode lies in: one no other listed area is within."""
    if not areas:
        return UNKNOWN
    enclosing = {knowledge.areas[a].within for a in areas if a in knowledge.areas}
    narrow = [a for a in areas if a not in enclosing]
    return (narrow or list(areas))[0]


def usage_key(recommendation: Recommendation, knowledge: Knowledge, today: date) -> UsageKey:
    # The engine's own eligibility tests, so the counts agree with the answers.
    lmm = knowledge.services.get(LMM_SERVICE_ID)
    postcode = recommendation.postcode
    areas = list(postcode.areas) if postcode is not None else []
    outside_age = lmm is not None and age_fits(lmm.ages, recommendation.age) is False
    outside_area = lmm is not None and area_fits(lmm, postcode) is False
    concerns = recommendation.concerns
    return UsageKey(
        month=today.strftime("%Y-%m"),
        tier=recommendation.tier,
        concern=concerns[0].code if concerns else NONE,
        area=_most_specific_area(areas, knowledge) if postcode is not None else UNKNOWN,
        outside_age=outside_age,
        outside_area=outside_area,
    )


def record_usage(
    session: Session, recommendation: Recommendation, knowledge: Knowledge, today: date
) -> None:
    """Add one to the counter for this recommendation's categories."""
    add_counts(session, {usage_key(recommendation, knowledge, today): 1})


def add_counts(session: Session, counts: Mapping[UsageKey, int]) -> None:
    """Add batched counts (atomic increments, so several instances flushing at
    once are all counted)."""
    for key, amount in counts.items():
        match = (
            col(UsageCount.month) == key.month, col(UsageCount.tier) == key.tier,
            col(UsageCount.concern) == key.concern, col(UsageCount.area) == key.area,
            col(UsageCount.outside_age) == key.outside_age,
            col(UsageCount.outside_area) == key.outside_area,
        )
        for _attempt in range(2):
            result = session.connection().execute(
                update(UsageCount).where(*match).values(count=UsageCount.count + amount)
            )
            if result.rowcount:
                session.commit()
                break
            session.add(UsageCount(**key.__dict__, count=amount))
            try:
                session.commit()
                break
            except IntegrityError:
                session.rollback()  # another instance created it first: increment instead


@dataclass(frozen=True)
class UsageSummary:
    total: int
    by_month: list[tuple[str, int]]
    by_tier: list[tuple[str, int]]
    by_concern: list[tuple[str, int]]
    by_area: list[tuple[str, int]]
    outside_age: int
    outside_area: int


def all_counts(session: Session) -> list[UsageCount]:
    statement = select(UsageCount).order_by(
        col(UsageCount.month), col(UsageCount.tier), col(UsageCount.concern), col(UsageCount.area)
    )
    return list(session.exec(statement))


def summarise(session: Session) -> UsageSummary:
    rows = all_counts(session)
    months: Counter[str] = Counter()
    tiers: Counter[str] = Counter()
    concerns: Counter[str] = Counter()
    areas: Counter[str] = Counter()
    for row in rows:
        months[row.month] += row.count
        tiers[row.tier] += row.count
        concerns[row.concern] += row.count
        areas[row.area] += row.count
    return UsageSummary(
        total=sum(r.count for r in rows),
        by_month=sorted(months.items()),
        by_tier=tiers.most_common(),
        by_concern=concerns.most_common(),
        by_area=areas.most_common(),
        outside_age=sum(r.count for r in rows if r.outside_age),
        outside_area=sum(r.count for r in rows if r.outside_area),
    )


CSV_COLUMNS = ("month", "tier", "concern", "area", "outside_age", "outside_area", "count")


def usage_csv(session: Session) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in all_counts(session):
        writer.writerow([
            row.month, row.tier, row.concern, row.area,
            "yes" if row.outside_age else "no", "yes" if row.outside_area else "no", row.count,
        ])
    return out.getvalue()
