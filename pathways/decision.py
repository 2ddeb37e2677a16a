"""Deciding the tier: the first pathway rule that matches, then the safety
invariants (:mod:`pathways.invariants`) that hold whatever the rules say."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from pathways.compiled import compiled
from pathways.conditions import rule_matches
from pathways.contacts import render
from pathways.contract import TraceStep
from pathways.invariants import (
    CHECKED_RED_FLAG,
    NEVER_INELIGIBLE_TO_LMM,
    NOTHING_RECOGNISED_NOT_LMM,
    RED_FLAG_URGENT,
    REFERRAL_NEEDS_ELIGIBILITY_AND_CONSENT,
    SafetyInvariant,
)
from pathways.model import Knowledge, Rule, RuleOutcome, Tier

LMM_TIERS: Final = frozenset({"lmm_referral", "lmm_consultation"})
URGENT_HEADLINE: Final = (
    "A red flag: act now to keep the baby and family safe, before anything else."
)
NOTHING_RECOGNISED_HEADLINE: Final = (
    "Nothing in the description was recognised as a concern: say what you are worried about."
)


@dataclass
class Draft:
    """The answer while it is being decided."""

    tier: Tier
    headline: str
    outcome: RuleOutcome | None
    trace: list[TraceStep]


def decide(knowledge: Knowledge, facts: dict[str, Any]) -> Draft:
    """The first matching rule's outcome (the next three matches are traced)."""
    matched: list[Rule] = []
    for rule in compiled(knowledge).rules_in_order:
        if rule_matches(rule, facts):
            matched.append(rule)
            if len(matched) == 4:
                break
    if not matched:
        eligible = facts["lmm_eligible"] is not False and facts["concern_count"] > 0
        tier: Tier = "lmm_consultation" if eligible else "signpost"
        headline = (
            "No pathway rule fits exactly: talk the family through with Little Minds Matter."
            if eligible
            else "No pathway rule fits exactly: the services below fit this family."
        )
        step = TraceStep(rule="DEFAULT", summary="No rule matched the facts.",
                         outcome=f"decided: {tier} (engine default)")
        return Draft(tier, headline, None, [step])
    first = matched[0]
    trace = [TraceStep(rule=first.id, summary=render(first.summary, knowledge),
                       outcome=f"decided: {first.outcome.tier}")]
    trace += [
        TraceStep(rule=r.id, summary=r.summary, outcome=f"also matched; {first.id} comes first")
        for r in matched[1:4]
    ]
    return Draft(first.outcome.tier, first.outcome.headline, first.outcome, trace)


def _change(draft: Draft, invariant: SafetyInvariant, tier: Tier, headline: str,
            why: str = "") -> None:
    draft.trace.append(TraceStep(
        rule=invariant.id, summary=invariant.summary,
        outcome=f"changed {draft.tier} to {tier}" + (f": {why}" if why else ""),
    ))
    draft.tier = tier
    draft.headline = headline


def apply_safety(draft: Draft, facts: dict[str, Any]) -> None:
    """Apply the invariants in order; the first that changes the answer ends it
    (a red flag leaves nothing else to decide)."""
    if facts["safety_check"] in ("some_apply", "not_sure") and draft.tier != "urgent":
        said = "a red flag applies" if facts["safety_check"] == "some_apply" else "not sure"
        _change(draft, CHECKED_RED_FLAG, "urgent",
                "You said a red flag may apply: act now to keep the baby and family safe, "
                "before anything else.", f"safety check answered '{said}'")
        draft.outcome = None
        return
    if facts["red_flag"] and draft.tier != "urgent":
        _change(draft, RED_FLAG_URGENT, "urgent", URGENT_HEADLINE)
        draft.outcome = None
        return
    if draft.tier in LMM_TIERS and facts["lmm_eligible"] is False:
        _change(draft, NEVER_INELIGIBLE_TO_LMM, "signpost",
                "This family is not eligible for Little Minds Matter: the services below fit them.")
        return
    if (draft.tier in LMM_TIERS and facts["description_given"] and facts["concern_count"] == 0):
        _change(draft, NOTHING_RECOGNISED_NOT_LMM, "signpost", NOTHING_RECOGNISED_HEADLINE)
        draft.outcome = None
        return
    if draft.tier == "lmm_referral" and (
        facts["lmm_eligible"] is not True or facts["consent_to_referral"] is not True
    ):
        why = ("eligibility is not confirmed" if facts["lmm_eligible"] is not True
               else "the family has not agreed to a referral")
        _change(draft, REFERRAL_NEEDS_ELIGIBILITY_AND_CONSENT, "lmm_consultation",
                f"Talk this family through with Little Minds Matter first: {why}.", why)
