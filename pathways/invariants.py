"""The safety invariants: what holds whatever the pathway rules say.

They are data a clinician can review, like the rules: each has an id, a
plain summary and named examples (queries through the whole engine) that
must hold. ``tests/pathways/test_invariants.py`` runs every example. The
engine applies them after the rules, in this order, and records in the trace
each one that changed the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from pathways.model import Tier


@dataclass(frozen=True)
class InvariantExample:
    """A query (the api's fields) and what must hold: the tier, or tiers it
    must not be."""

    name: str
    query: dict[str, Any]
    tier: Tier | None = None
    not_tiers: tuple[Tier, ...] = ()


@dataclass(frozen=True)
class SafetyInvariant:
    id: str
    summary: str
    examples: tuple[InvariantExample, ...]


CHECKED_RED_FLAG: Final = SafetyInvariant(
    id="SAFE-0",
    summary="When the practitioner says a red flag applies, or is not sure, the answer is "
    "urgent.",
    examples=(
        InvariantExample(
            "a red flag confirmed at the safety check",
            {"description": "mum low in mood", "age": "3 months", "postcode": "BD8",
             "safety_check": "some_apply"},
            tier="urgent",
        ),
        InvariantExample(
            "not sure at the safety check",
            {"description": "not bonding with her baby", "age": "4 months", "postcode": "BD5",
             "safety_check": "not_sure"},
            tier="urgent",
        ),
    ),
)
RED_FLAG_URGENT: Final = SafetyInvariant(
    id="SAFE-1",
    summary="A red flag anywhere, found by a phrase or suspected by similarity, always means "
    "urgent action.",
    examples=(
        InvariantExample(
            "a red flag beside a relationship worry",
            {"description": "not bonding and dad says he shook him", "age": "6 weeks",
             "postcode": "BD3 9LF", "consent_to_referral": True},
            tier="urgent",
        ),
        InvariantExample(
            "a red flag chosen as a code",
            {"concerns": ["suicidal_thoughts", "feeding"], "age": "2 months"},
            tier="urgent",
        ),
    ),
)
NEVER_INELIGIBLE_TO_LMM: Final = SafetyInvariant(
    id="SAFE-2",
    summary="A family LMM cannot see (a child of 2 or over, or living outside LMM's area) is "
    "never sent to LMM.",
    examples=(
        InvariantExample(
            "too old for LMM",
            {"description": "cant bond with him since birth, happy to be referred",
             "age": "25 months", "postcode": "BD8"},
            tier="signpost",
        ),
        InvariantExample(
            "outside Bradford District",
            {"description": "struggling to bond", "age": "5 months", "postcode": "LS6 1AA"},
            tier="signpost",
        ),
    ),
)
REFERRAL_NEEDS_ELIGIBILITY_AND_CONSENT: Final = SafetyInvariant(
    id="SAFE-3",
    summary="A referral to LMM needs confirmed eligibility and the family's consent; "
    "otherwise it is a consultation.",
    examples=(
        InvariantExample(
            "no consent",
            {"description": "not bonding with her baby since birth, severe",
             "age": "4 months", "postcode": "BD8"},
            not_tiers=("lmm_referral",),
        ),
        InvariantExample(
            "consent refused in the text",
            {"description": "not bonding since birth, mum has not yet consented to a referral",
             "age": "4 months", "postcode": "BD8"},
            not_tiers=("lmm_referral",),
        ),
    ),
)
NOTHING_RECOGNISED_NOT_LMM: Final = SafetyInvariant(
    id="SAFE-4",
    summary="A description from which no concern is read gets no LMM tier: the answer asks "
    "for the worry instead.",
    examples=(
        InvariantExample(
            "a greeting",
            {"description": "hiya can you help me with a family", "age": "4 months",
             "postcode": "BD8"},
            tier="signpost",
        ),
    ),
)

INVARIANTS: Final = (
    CHECKED_RED_FLAG,
    RED_FLAG_URGENT,
    NEVER_INELIGIBLE_TO_LMM,
    REFERRAL_NEEDS_ELIGIBILITY_AND_CONSENT,
    NOTHING_RECOGNISED_NOT_LMM,
)
