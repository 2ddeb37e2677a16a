"""From what a practitioner tells us to one explained recommendation.

The steps, each in its own module: read the query (:mod:`pathways.understanding`,
through the one message reader), let the first matching pathway rule decide
the tier (:mod:`pathways.decision`), apply the safety invariants that hold
whatever the rules say (:mod:`pathways.invariants`), choose the services
(:mod:`pathways.service_choice`) and word the answer (:mod:`pathways.wording`).
The shapes are in :mod:`pathways.contract`. Every step that shaped the answer
is in the trace.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pathways.asker import (
    is_volunteer,
    route_volunteer,
    volunteer_missing,
    volunteer_next_steps,
    volunteer_services,
)
from pathways.contract import (
    MAX_DESCRIPTION_CHARS,
    ConcernOut,
    InputError,
    Query,
    Recommendation,
    Remit,
    ServiceOut,
    TraceStep,
)
from pathways.decision import apply_safety, decide
from pathways.model import Knowledge
from pathways.service_choice import STALE_AFTER_DAYS, pick_services
from pathways.similarity import SimilarityReader
from pathways.understanding import Understanding, understand
from pathways.wording import (
    SAFETY_QUESTIONS,
    choices,
    consent_reason,
    headline,
    missing_fields,
    next_steps,
    reading_trace,
)

__all__ = [
    "MAX_DESCRIPTION_CHARS", "ConcernOut", "InputError", "Query", "Recommendation", "Remit",
    "ServiceOut", "TraceStep", "Understanding", "deciding_rule", "recommend",
    "recommendation_facts", "understand",
]


def recommendation_facts(
    query: Query,
    knowledge: Knowledge,
    today: date,
    exact_postcode_areas: tuple[str, ...] | None = None,
    reader: SimilarityReader | None = None,
) -> dict[str, Any]:
    """The facts the rules see for ``query`` (see pathways.facts.FACTS)."""
    return understand(query, knowledge, today, exact_postcode_areas, reader).facts


def _concerns_out(u: Understanding, knowledge: Knowledge) -> list[ConcernOut]:
    out = []
    for code in u.concerns:
        concern = knowledge.concerns[code]
        found = u.found.get(code)
        out.append(ConcernOut(
            code=code, label=concern.label, red_flag=concern.red_flag,
            evidence=found.evidence if found else None,
            how_found=found.how_found if found else "chosen",
            suspected=found.suspected if found else False,
            similar_to=found.similar_to if found else None,
            score=found.score if found else None,
        ))
    return out


def recommend(
    query: Query,
    knowledge: Knowledge,
    today: date,
    exact_postcode_areas: tuple[str, ...] | None = None,
    stale_after_days: int = STALE_AFTER_DAYS,
    reader: SimilarityReader | None = None,
) -> Recommendation:
    """One tier, the services that fit, and why. Raises InputError for a bad field.

    Services whose details were last checked more than ``stale_after_days``
    ago are marked ``stale`` so practitioners are told to check them.
    ``reader`` is the similarity layer (the process default when None).
    """
    u = understand(query, knowledge, today, exact_postcode_areas, reader)
    draft = decide(knowledge, u.facts)
    apply_safety(draft, u.facts)
    volunteer = is_volunteer(query.asker)
    applied = route_volunteer(draft, knowledge) if volunteer else []
    services = pick_services(draft, knowledge, u, today, stale_after_days)
    missing = missing_fields(draft.tier, u)
    if volunteer:
        services = volunteer_services(services)
        missing = volunteer_missing(missing)
    recognised = not (u.facts["description_given"] and not u.concerns)
    steps = next_steps(draft, u, knowledge, missing, services, recognised)
    if volunteer:
        steps = volunteer_next_steps(steps, applied, draft, u, knowledge)
    checked = query.safety_check is not None
    return Recommendation(
        tier=draft.tier,
        headline=headline(draft, u, knowledge),
        age=u.age,
        postcode=u.postcode,
        concerns=_concerns_out(u, knowledge),
        absent_concerns=list(u.absent),
        lmm_eligible=u.eligibility.eligible,
        eligibility_reasons=[*u.eligibility.reasons, *consent_reason(u)],
        missing=missing,
        services=services,
        next_steps=steps,
        trace=[*draft.trace, *reading_trace(u, knowledge)],
        knowledge_version=knowledge.version,
        recognised=recognised,
        choices=choices(knowledge) if not recognised and draft.tier != "urgent" else [],
        safety_checked=checked,
        safety_questions=(
            list(SAFETY_QUESTIONS) if draft.tier != "urgent" and not checked else []
        ),
    )


def deciding_rule(recommendation: Recommendation) -> str | None:
    """The id of the rule that decided the tier (None for the engine default)."""
    first = recommendation.trace[0] if recommendation.trace else None
    return first.rule if first and first.rule.startswith("R-") else None
