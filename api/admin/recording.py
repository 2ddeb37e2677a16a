"""Counting recommendations for the usage insights, as a dependency for the
recommendations endpoint: ``return count(recommend(...))``.

Calls marked ``X-Navigator-Purpose: check`` (the bot's partial lookups while it
is still asking questions) are not counted, so each family's answer counts
once. A failure to count is logged and never spoils the answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.exc import SQLAlchemyError

from api.deps import KnowledgeDep, SessionDep, TodayDep
from knowledge.admin_usage import record_usage
from pathways.recommend import Recommendation

PURPOSE_HEADER = "X-Navigator-Purpose"
NOT_COUNTED = {"check"}

log = logging.getLogger("navigator.usage")

Counter = Callable[[Recommendation], Recommendation]


def usage_counter(
    request: Request, session: SessionDep, knowledge: KnowledgeDep, today: TodayDep
) -> Counter:
    counted = request.headers.get(PURPOSE_HEADER, "").strip().lower() not in NOT_COUNTED

    def count(recommendation: Recommendation) -> Recommendation:
        if counted:
            try:
                record_usage(session, recommendation, knowledge, today)
            except SQLAlchemyError:
                session.rollback()
                log.exception("could not record a usage count")
        return recommendation

    return count


UsageCounterDep = Annotated[Counter, Depends(usage_counter)]
