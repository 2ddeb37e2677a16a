"""Turning the engine's recommendation into what a practitioner reads.

The wording of the tiers follows DESIGN.md "The four outcomes". The handover
summary is meant to be pasted into a referral or consultation form, so it
holds no names, no free text the practitioner typed and no full postcode
(only the sector the engine kept).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Dict, List, Optional

from rasa_sdk.executor import CollectingDispatcher

STALE_AFTER = timedelta(days=183)

TIER_TITLES = {
    "urgent": "URGENT: act now, outside this pathway",
    "lmm_referral": "Refer to Little Minds Matter for direct work with the family",
    "lmm_consultation": "Talk the case through with Little Minds Matter (consultation)",
    "signpost": "Another service fits better: signpost the family",
}
TIER_SHORT = {
    "urgent": "Urgent safeguarding or crisis action",
    "lmm_referral": "Little Minds Matter clinical referral",
    "lmm_consultation": "Little Minds Matter consultation",
    "signpost": "Signpost to another service",
}


def _contact_lines(contact: Dict[str, Any]) -> List[str]:
    lines = []
    phone = contact.get("phone")
    if phone:
        note = " (number not confirmed: check before use)" if contact.get("phone_uncertain") else ""
        lines.append(f"Phone: {phone}{note}")
        # What exactly is unconfirmed (the service's verification note), beside the number.
        if contact.get("phone_uncertain") and contact.get("verification_note"):
            unconfirmed = " ".join(str(contact["verification_note"]).split())
            lines.append(unconfirmed[:1].upper() + unconfirmed[1:])
        if contact.get("phone_note"):
            lines.append(str(contact["phone_note"]))
    for key, label in (("email", "Email"), ("url", "Web"), ("hours", "Hours")):
        if contact.get(key):
            lines.append(f"{label}: {contact[key]}")
    return lines


def _checked_line(service: Dict[str, Any], today: date) -> Optional[str]:
    checked = service.get("last_verified")
    uncertain = bool(service.get("needs_verification"))
    try:
        stale = checked is not None and today - date.fromisoformat(str(checked)) > STALE_AFTER
    except ValueError:
        stale = True
    if uncertain:
        return f"Details last checked on {checked}; some are still to be confirmed by LMM staff."
    if stale or service.get("stale"):
        return f"Details last checked on {checked}."
    return None


def service_text(service: Dict[str, Any], today: date) -> str:
    role = "main route" if service.get("role") == "primary" else "also consider"
    lines = [f"{service.get('name', service.get('id'))} ({role})"]
    remit = service.get("remit") or {}
    if remit.get("does"):
        lines.append("Does: " + "; ".join(remit["does"]))
    if remit.get("does_not"):
        lines.append("Does not: " + "; ".join(remit["does_not"]))
    if service.get("eligibility"):
        lines.append(f"Who for: {service['eligibility']}")
    if service.get("how_to_refer"):
        lines.append(f"How to refer: {service['how_to_refer']}")
    lines.extend(_contact_lines(service.get("contact") or {}))
    checked = _checked_line(service, today)
    if checked:
        lines.append(checked)
    return "\n".join(lines)


def why_lines(recommendation: Dict[str, Any]) -> List[str]:
    """Why this tier: the eligibility reasons and the rule that decided."""
    reasons = list(recommendation.get("eligibility_reasons") or [])
    for step in recommendation.get("trace") or []:
        outcome = str(step.get("outcome", ""))
        if outcome and outcome not in ("not matched", "skipped"):
            reasons.append(str(step.get("summary", "")))
            break
    return [r for r in reasons if r]


def recommendation_texts(recommendation: Dict[str, Any], today: date) -> List[str]:
    """The recommendation as a few messages: headline and why, each service,
    next steps, the red-flag questions if they were not answered, and what is
    still missing."""
    tier = str(recommendation.get("tier", ""))
    head = [TIER_TITLES.get(tier, tier), str(recommendation.get("headline", ""))]
    why = why_lines(recommendation)
    if why:
        head.append("Why: " + " ".join(why))
    texts = ["\n".join(line for line in head if line)]
    texts.extend(service_text(s, today) for s in recommendation.get("services") or [])
    steps = recommendation.get("next_steps") or []
    if steps:
        texts.append("Next steps:\n" + "\n".join(f"- {step}" for step in steps))
    questions = recommendation.get("safety_questions") or []
    if questions and tier != "urgent":
        # Only when the red-flag check was not answered (the bot asks it first).
        texts.append(
            "Before acting on this, check that none of these apply (if any does, or you are "
            "not sure, act on it as urgent):\n" + "\n".join(f"- {q}" for q in questions)
        )
    missing = recommendation.get("missing") or []
    if missing and tier != "urgent":
        texts.append(
            "This answer would be firmer with: " + ", ".join(str(m).replace("_", " ") for m in missing)
            + ". Tell me if you know."
        )
    return texts


def handover_summary(recommendation: Dict[str, Any]) -> str:
    """A copyable summary for a referral or consultation form: no names, no
    free text, and the postcode only as far as its sector."""
    lines = ["Handover summary (no names; postcode sector only)"]
    age = recommendation.get("age") or {}
    lines.append(f"Baby: {age.get('text') or 'age not given'}")
    postcode = recommendation.get("postcode") or {}
    if postcode.get("normalised"):
        lines.append(f"Postcode area: {postcode['normalised']}")
    else:
        lines.append("Postcode area: not given")
    concerns = recommendation.get("concerns") or []
    labels = [str(c.get("label", c.get("code"))) for c in concerns]
    lines.append("Concerns: " + ("; ".join(labels) if labels else "none named"))
    eligible = recommendation.get("lmm_eligible")
    lines.append(
        "Little Minds Matter eligible: "
        + {True: "yes", False: "no"}.get(eligible, "not yet known")
    )
    lines.append(f"Suggested route: {TIER_SHORT.get(str(recommendation.get('tier')), '')}")
    services = [s.get("name") for s in recommendation.get("services") or [] if s.get("role") == "primary"]
    if services:
        lines.append("Services: " + "; ".join(str(s) for s in services))
    version = recommendation.get("knowledge_version")
    if version is not None:
        lines.append(f"Navigator knowledge version: {version}")
    return "\n".join(lines)


AFTER_BUTTONS = [
    {"title": "Start again", "payload": "/start_again"},
    {"title": "Speak to a person", "payload": "/human_handoff"},
]


def send_recommendation(
    dispatcher: CollectingDispatcher, recommendation: Dict[str, Any], final: bool = True
) -> None:
    """The recommendation as text, with the object itself and the handover
    summary as custom payloads for the chat page. Each text carries its
    ``kind`` (recommendation, urgent or handover) so the page can tell the
    messages that spell out the answer from anything else said on the turn."""
    texts = recommendation_texts(recommendation, date.today())
    if not final:
        texts[0] = "My suggestion so far (a question below may refine it):\n" + texts[0]
    kind = "urgent" if recommendation.get("tier") == "urgent" else "recommendation"
    for text in texts[:-1]:
        dispatcher.utter_message(text=text, json_message={"kind": kind})
    dispatcher.utter_message(
        text=texts[-1], json_message={"kind": kind, "recommendation": recommendation}
    )
    summary = handover_summary(recommendation)
    dispatcher.utter_message(
        text=summary, buttons=AFTER_BUTTONS if final else [],
        json_message={"kind": "handover", "handover": summary},
    )
