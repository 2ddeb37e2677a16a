"""Api answers shaped exactly like the public contract (DESIGN.md)."""

from __future__ import annotations

from typing import Any, Dict

PARSE_ONE_MESSAGE: Dict[str, Any] = {
    "age": {"stage": "postnatal", "weeks": 17, "months": 4, "text": "4 months old"},
    "postcode": {"normalised": "BD3 9", "areas": ["bradford_district", "united_kingdom"],
                 "possible_areas": [], "certainty": "sector", "note": None},
    "lmm_area": True,
    "concerns": [{"code": "bonding", "label": "Difficulty bonding", "red_flag": False}],
    "absent_concerns": [],
    "red_flag": False,
    "suspected_red_flags": [],
    "consent_to_referral": True,
}
PARSE_NOTHING: Dict[str, Any] = {
    "age": None, "age_unclear": False, "postcode": None, "lmm_area": None, "concerns": [],
    "absent_concerns": [], "red_flag": False, "suspected_red_flags": [],
    "consent_to_referral": None,
}
REFERRAL: Dict[str, Any] = {
    "tier": "lmm_referral",
    "headline": "Refer the family to Little Minds Matter for direct work.",
    "age": {"stage": "postnatal", "weeks": 17, "months": 4, "text": "4 months old"},
    "postcode": {"normalised": "BD3 9", "areas": ["bradford_district"], "certainty": "sector"},
    "concerns": [{"code": "bonding", "label": "Difficulty bonding", "red_flag": False}],
    "lmm_eligible": True,
    "eligibility_reasons": ["The baby is under 24 months and the family lives in Bradford District."],
    "missing": [],
    "services": [{
        "id": "lmm-clinical", "name": "Little Minds Matter clinical work", "role": "primary",
        "remit": {"does": ["Video Interaction Guidance"], "does_not": ["Crisis care"]},
        "eligibility": "Pregnancy to 24 months, Bradford District",
        "how_to_refer": "Professional referral form",
        "contact": {"phone": "01274 000000", "phone_uncertain": True, "url": "https://example.org"},
        "last_verified": "2024-01-31", "needs_verification": True,
    }],
    "next_steps": ["Complete the referral form with the family."],
    "trace": [{"rule": "R-010", "summary": "Persistent relationship difficulty with consent",
               "outcome": "lmm_referral"}],
    "knowledge_version": 3,
    # The engine's wording (pathways/presentation.py), as the api sends it.
    "presentation": {
        "tier_label": "Refer to Little Minds Matter",
        "do_now": "Refer the family to Little Minds Matter for direct work.",
        "primary_service": "lmm-clinical",
        "checked": {"lmm-clinical": "Details last checked on 31 January 2024. Some details are "
                                    "to be confirmed by Little Minds Matter staff."},
        "missing": [],
        "urgent_text": None,
        "handover": "Early Years Pathway Navigator: handover summary\n"
                    "(No names; postcode sector only.)\n"
                    "Outcome: Refer to Little Minds Matter\nAge or stage: 4 months old\n"
                    "Postcode area: BD3 9\nConcerns: Difficulty bonding",
    },
}
URGENT: Dict[str, Any] = dict(
    REFERRAL,
    tier="urgent",
    headline="Act now: refer to children's social care today.",
    presentation=dict(
        REFERRAL["presentation"], tier_label="URGENT: act now (safeguarding or crisis action)",
        checked={}, handover="Early Years Pathway Navigator: handover summary\n"
        "Outcome: URGENT: act now (safeguarding or crisis action)",
    ),
    concerns=[{"code": "injury_non_mobile", "label": "Bruise on a non-mobile baby", "red_flag": True}],
    services=[{
        "id": "childrens-social-care", "name": "Children's Social Care front door", "role": "primary",
        "remit": {"does": ["Safeguarding referrals"], "does_not": []},
        "eligibility": "Any child in Bradford", "how_to_refer": "Phone the front door",
        "contact": {"phone": "01274 435600"}, "last_verified": "2026-10-01",
        "needs_verification": False,
    }],
)
HOME_START: Dict[str, Any] = {
    "id": "home-start", "name": "Home-Start Bradford", "former_names": ["Home-Start Better Start"],
    "provider": "Home-Start", "circle": "risk_factor", "summary": "Volunteer home visits.",
    "remit": {"does": ["Weekly volunteer visits"], "does_not": ["Therapy"]},
    "eligibility": "Families with a child under 5 or expecting",
    "ages": {"pregnancy": True, "postnatal": True, "from_months": 0, "to_months": 60},
    "how_to_refer": "Professional or self referral", "contact": {"phone": "01274 111111"},
    "last_verified": "2026-09-01", "needs_verification": False,
}
HEALTH_VISITING: Dict[str, Any] = dict(
    HOME_START, id="health-visiting", name="Health Visiting (0-19 Children's Service)",
    former_names=[], summary="Universal health visiting.",
)
