"""A small hand-made Knowledge, so engine behaviour can be tested apart from
the seed content (which LMM staff will keep changing)."""

from __future__ import annotations

from typing import Any

from knowledge.content.seed_files import knowledge_from_documents
from pathways.model import Knowledge


def _service(sid: str, areas: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "id": sid, "name": sid.replace("-", " ").title(), "provider": "Test", "circle": "universal",
        "summary": f"{sid} summary", "does": [f"{sid} does"], "eligibility": "Test",
        "areas": areas, "how_to_refer": "Phone", "last_verified": "2026-01-31", **extra,
    }


def small_documents() -> dict[str, list[dict[str, Any]]]:
    lmm_ages = {"pregnancy": True, "to_months": 24}
    return {
        "services": [
            _service("lmm-clinical", ["district"], ages=lmm_ages, circle="core"),
            _service("lmm-consultation", ["district"], ages=lmm_ages, circle="core"),
            _service("emergency-999", ["united_kingdom"]),
            _service("childrens-social-care", ["district"], circle="risk_factor"),
            _service("first-response", ["district"], circle="risk_factor"),
            _service("health-visiting", ["district"], ages={"to_months": 60}),
            _service("programme-only", ["programme"], ages={"to_months": 12}),
            _service("closed-service", ["district"], status="closed"),
            _service("neighbour-la", ["neighbour"]),
            _service("helpline", ["united_kingdom"], circle="risk_factor"),
        ],
        "areas": [
            {"code": "district", "name": "Test District", "kind": "local_authority"},
            {"code": "programme", "name": "Programme Wards", "kind": "programme_area",
             "within": "district"},
            {"code": "neighbour", "name": "Neighbourton", "kind": "local_authority"},
            {"code": "united_kingdom", "name": "United Kingdom", "kind": "region"},
        ],
        "postcodes": [
            {"prefix": "BD5", "areas": ["district"], "partial_areas": ["programme"]},
            {"prefix": "BD3", "partial_areas": ["district", "neighbour"]},
            {"prefix": "BD3 9", "areas": ["district"]},
            {"prefix": "BD1", "areas": ["programme"]},
            {"prefix": "LS6", "areas": ["neighbour"]},
        ],
        "concerns": [
            {"code": "bonding", "label": "Bonding", "description": "d",
             "phrases": ["not bonding", "cant bond", "struggling to bond",
                         "concerns about bonding"],
             "absent_phrases": ["bonding well", "bond is lovely"],
             "tiers": ["lmm_referral", "lmm_consultation"],
             "services": ["lmm-clinical", "lmm-consultation", "closed-service"]},
            {"code": "injury", "label": "Injury", "description": "d", "red_flag": True,
             "phrases": ["bruise", "bruising", "injury", "injuries", "mark on"],
             "absent_phrases": ["birth mark on"],
             "tiers": ["urgent"], "services": ["childrens-social-care"]},
            {"code": "suicidal", "label": "Suicidal thoughts", "description": "d", "red_flag": True,
             "phrases": ["suicidal", "thoughts of self harm", "self harm"],
             "tiers": ["urgent"], "services": ["first-response"]},
            {"code": "past_self_harm", "label": "Past self-harm", "description": "d",
             "phrases": ["history of self harm"], "tiers": ["signpost"], "services": ["helpline"]},
            {"code": "low_mood", "label": "Low mood", "description": "d",
             "phrases": ["low mood", "pnd", "epds {13+}", "phq 9 {10-27}"],
             "tiers": ["signpost"], "services": ["programme-only", "helpline"]},
        ],
        "rules": [
            {"id": "R-001", "summary": "A red flag is urgent.", "priority": 1,
             "conditions": [{"field": "red_flag", "op": "eq", "value": True}],
             "outcome": {"tier": "urgent", "headline": "Act now.", "services": ["emergency-999"],
                         "include_concern_services": True},
             "examples": [{"name": "bruise", "facts": {"description": "bruise on cheek"},
                           "tier": "urgent", "includes_service": "childrens-social-care"}]},
            {"id": "R-002", "summary": "Referral for a relationship worry with consent.",
             "priority": 2,
             "conditions": [{"field": "relationship_concern", "op": "eq", "value": True},
                            {"field": "lmm_eligible", "op": "eq", "value": True},
                            {"field": "consent_to_referral", "op": "eq", "value": True}],
             "outcome": {"tier": "lmm_referral", "headline": "Refer ({age}, {postcode}).",
                         "services": ["lmm-clinical"]},
             "examples": [{"name": "consent",
                           "facts": {"description": "not bonding", "age": "3 months",
                                     "postcode": "BD3 9LF", "consent_to_referral": True},
                           "tier": "lmm_referral", "includes_service": "lmm-clinical"}]},
            {"id": "R-003", "summary": "Anything else is signposted.", "priority": 9,
             "conditions": [],
             "outcome": {"tier": "signpost", "headline": "Signpost.",
                         "include_concern_services": True},
             "examples": [{"name": "low mood", "facts": {"description": "low mood"},
                           "tier": "signpost"}]},
        ],
    }


def small_knowledge(documents: dict[str, list[dict[str, Any]]] | None = None) -> Knowledge:
    return knowledge_from_documents(documents or small_documents(), version=7)
