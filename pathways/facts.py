"""The facts pathway rules are written against.

Rules never see raw text: the engine reads the age, postcode, concerns and
course of the difficulty first and turns them into this flat dictionary, so a
rule can say ``lmm_eligible eq true`` or ``concerns contains bonding``.
``FACTS`` documents every field (pathways/README.md shows it to clinicians)
and lets the rule checker reject a condition on a field that does not exist.
"""

from __future__ import annotations

from typing import Any, Final

from pathways.age import AgeReading
from pathways.course import Course
from pathways.eligibility import Eligibility
from pathways.model import Knowledge
from pathways.postcode import PostcodeReading

FACTS: Final[dict[str, str]] = {
    "red_flag": "true when any red-flag concern is present",
    "red_flags": "list of the red-flag concern codes present",
    "concerns": "list of every concern code present (chosen or found in the description)",
    "absent_concerns": "list of concern codes the description rules out ('no worries re bonding')",
    "concern_count": "how many concerns are present",
    "concern_tiers": "list of the tiers the present concerns point to (from concerns.yaml)",
    "relationship_concern": (
        "true when a present concern is within LMM's clinical remit (its tiers include "
        "lmm_referral) and is not only a risk factor: bonding, the parent-infant relationship, "
        "anxiety about the unborn baby, the parent's trauma from the birth"
    ),
    "risk_factor": (
        "true when a present concern is a risk factor (prematurity, a NICU stay, a difficult "
        "birth, a bereavement): it weighs towards a consultation with a relationship worry, "
        "never on its own"
    ),
    "risk_factors": "list of the risk-factor concern codes present",
    "other_concern": "true when a present concern is outside LMM's clinical remit",
    "stage": "'antenatal', 'postnatal', or null when the age is not known",
    "age_known": "true when an age or stage of pregnancy was given or found",
    "age_weeks": "weeks of pregnancy (antenatal) or weeks since birth (postnatal), or null",
    "age_months": "whole months since birth (0 in pregnancy), or null",
    "postcode_known": "true when a postcode was given or found",
    "postcode_certainty": "'postcode', 'sector', 'district', 'unknown', or null",
    "postcode_split": "true when the postcode district is split between areas",
    "areas": "list of areas the postcode certainly lies in (with enclosing areas)",
    "possible_areas": "list of areas a split postcode district may lie in",
    "far_away": "true when the postcode is far from Bradford and its neighbours",
    "in_lmm_area": "true / false / null (cannot be told): lives in LMM's area",
    "lmm_age_ok": "true / false / null: the baby's age is within LMM's range",
    "lmm_eligible": "true / false / null: both of the above",
    "consent_to_referral": "true / false / null: the family agrees to a referral",
    "persistent": "true (4 weeks or more, or 'since birth'), false (recent), null (not said)",
    "duration_weeks": "how many weeks the difficulty has lasted, when said",
    "mild_or_uncertain": "true when the practitioner calls it mild, early or uncertain",
    "significant": "true when the practitioner calls it significant or severe",
    "persistent_or_significant": "true when persistent is true or significant is true",
    "description_given": "true when a free-text description was given",
    "safety_check": (
        "the practitioner's answer to the red-flag questions: 'none_apply', 'some_apply', "
        "'not_sure', or null when not asked"
    ),
    "suspected_red_flags": (
        "list of red-flag codes recognised only by similarity (suspected, not a curated phrase)"
    ),
    "age_unclear": (
        "true when the description names more than one baby under 2 and no age was taken"
    ),
}


def build_facts(
    knowledge: Knowledge,
    concerns: tuple[str, ...],
    absent: tuple[str, ...],
    age: AgeReading | None,
    postcode: PostcodeReading | None,
    eligibility: Eligibility,
    course: Course,
    consent_to_referral: bool | None,
    description_given: bool,
    safety_check: str | None = None,
    suspected_red_flags: list[str] | None = None,
    age_unclear: bool = False,
) -> dict[str, Any]:
    """The facts for one query; every key of ``FACTS`` is present."""
    present = [knowledge.concerns[c] for c in concerns]
    tiers: list[str] = []
    for concern in present:
        tiers.extend(t for t in concern.tiers if t not in tiers)
    relationship = any("lmm_referral" in c.tiers and not c.risk_factor for c in present)
    persistent_or_significant = course.persistent is True or course.significant
    facts: dict[str, Any] = {
        "red_flag": any(c.red_flag for c in present),
        "red_flags": [c.code for c in present if c.red_flag],
        "concerns": list(concerns),
        "absent_concerns": list(absent),
        "concern_count": len(concerns),
        "concern_tiers": tiers,
        "relationship_concern": relationship,
        "risk_factor": any(c.risk_factor for c in present),
        "risk_factors": [c.code for c in present if c.risk_factor],
        "other_concern": any(
            ("lmm_referral" not in c.tiers or c.risk_factor) and not c.red_flag for c in present
        ),
        "stage": age.stage if age else None,
        "age_known": age is not None,
        "age_weeks": age.weeks if age else None,
        "age_months": age.months if age else None,
        "postcode_known": postcode is not None,
        "postcode_certainty": postcode.certainty if postcode else None,
        "postcode_split": bool(postcode and postcode.possible_areas),
        "areas": list(postcode.areas) if postcode else [],
        "possible_areas": list(postcode.possible_areas) if postcode else [],
        "far_away": bool(postcode and postcode.far_away),
        "in_lmm_area": eligibility.area_ok,
        "lmm_age_ok": eligibility.age_ok,
        "lmm_eligible": eligibility.eligible,
        "consent_to_referral": consent_to_referral,
        "persistent": course.persistent,
        "duration_weeks": course.weeks,
        "mild_or_uncertain": course.mild and not course.significant,
        "significant": course.significant,
        "persistent_or_significant": persistent_or_significant,
        "description_given": description_given,
        "safety_check": safety_check,
        "suspected_red_flags": list(suspected_red_flags or []),
        "age_unclear": age_unclear,
    }
    return facts
