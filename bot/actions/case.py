"""The case as the conversation has collected it, turned into an engine query.

Slot values ``unknown`` mean the practitioner said they do not know: the
engine is then asked without that field and reports it as missing. The
answer to the red-flag check (``safety_check``) goes with every query once
given, so the case stays urgent after a "yes" or "not sure".
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker

UNKNOWN = "unknown"
OTHER_CONCERN = "other"
CASE_SLOTS = (
    "age", "postcode", "concerns", "consent_to_referral", "duration", "description",
    "safety_check", "asker",
)
# Who is asking (actions.asking): sent only as one of the api's values.
ASKERS = ("health_visitor_or_midwife", "other_professional", "volunteer", "lmm_staff")
# The answers to the red-flag check the engine takes (POST /api/v1/recommendations).
SAFETY_ANSWERS = ("none_apply", "some_apply", "not_sure")
# The answers that make the answer urgent.
SAFETY_URGENT = ("some_apply", "not_sure")
MAX_DESCRIPTION_CHARS = 5000


def known(value: Any) -> bool:
    return value is not None and value != UNKNOWN


def concern_codes(value: Optional[List[str]]) -> List[str]:
    """Concern codes the engine knows (drops the "something else" marker)."""
    return [code for code in (value or []) if code != OTHER_CONCERN]


def query_from_slots(slots: Dict[str, Any]) -> Dict[str, Any]:
    """The body for POST /api/v1/recommendations from the collected slots."""
    query: Dict[str, Any] = {"concerns": concern_codes(slots.get("concerns"))}
    for name in ("age", "postcode", "duration"):
        if known(slots.get(name)):
            query[name] = slots[name]
    consent = slots.get("consent_to_referral")
    if isinstance(consent, bool):
        query["consent_to_referral"] = consent
    if slots.get("safety_check") in SAFETY_ANSWERS:
        query["safety_check"] = slots["safety_check"]
    if slots.get("asker") in ASKERS:
        query["asker"] = slots["asker"]
    description = slots.get("description")
    if description:
        query["description"] = description[-MAX_DESCRIPTION_CHARS:]
    return query


def query_from_tracker(tracker: Tracker) -> Dict[str, Any]:
    return query_from_slots({name: tracker.get_slot(name) for name in CASE_SLOTS})
