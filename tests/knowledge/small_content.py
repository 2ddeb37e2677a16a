"""A tiny but valid content set, so store tests do not depend on the seed's details."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

SMALL_CONTENT: dict[str, list[dict[str, Any]]] = {
    "services": [
        {
            "id": "lmm-clinical",
            "name": "Little Minds Matter: work with families",
            "provider": "Bradford District Care NHS Foundation Trust",
            "circle": "core",
            "summary": "Direct work with parents and babies.",
            "does": ["Parent-infant relationship therapy"],
            "does_not": ["Crisis care"],
            "eligibility": "Pregnancy to the second birthday, Bradford District.",
            "ages": {"pregnancy": True, "to_months": 24},
            "areas": ["bradford_district"],
            "how_to_refer": "Professional referral.",
            "last_verified": "2026-01-31",
        }
    ],
    "areas": [
        {
            "code": "bradford_district",
            "name": "Bradford District",
            "kind": "local_authority",
            "la_codes": ["E08000032"],
        },
    ],
    "postcodes": [{"prefix": "BD5", "areas": ["bradford_district"], "place": "Bradford"}],
    "concerns": [
        {
            "code": "bonding",
            "label": "Difficulty bonding",
            "description": "The parent finds it hard to feel close to the baby.",
            "phrases": ["cant bond", "not bonding"],
            "tiers": ["lmm_consultation"],
        }
    ],
    "rules": [
        {
            "id": "R-900",
            "summary": "A bonding worry is talked through with LMM.",
            "priority": 10,
            "conditions": [{"field": "concerns", "op": "contains", "value": "bonding"}],
            "outcome": {"tier": "lmm_consultation", "headline": "Talk it through with LMM."},
            "examples": [
                {"name": "bonding", "facts": {"concerns": ["bonding"]}, "tier": "lmm_consultation"}
            ],
        }
    ],
}


def small_content() -> dict[str, list[dict[str, Any]]]:
    return deepcopy(SMALL_CONTENT)
