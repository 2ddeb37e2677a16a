"""Turning the engine's recommendation into what a practitioner reads.

The words of a recommendation are the engine's: its ``presentation`` (built
once by pathways/presentation.py and sent by the api) gives the tier's label,
each service's "details last checked" line (from the engine's ``stale``
flag, not a date sum here) and the handover summary, which holds no names, no
free text the practitioner typed and no full postcode. This module only lays
them out as chat messages.
"""

from __future__ import annotations

import re

from datetime import date
from typing import Any, Dict, List, Optional

from rasa_sdk.executor import CollectingDispatcher


def _words(recommendation: Dict[str, Any]) -> Dict[str, Any]:
    """The engine's wording of the recommendation (empty from an older api)."""
    words = recommendation.get("presentation")
    return words if isinstance(words, dict) else {}


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


def _checked_line(service: Dict[str, Any]) -> Optional[str]:
    """For a service read from the directory (no recommendation around it):
    when its details were last checked, and whether some are unconfirmed."""
    checked = service.get("last_verified")
    if not checked:
        return None
    if service.get("needs_verification"):
        return f"Details last checked on {checked}; some are still to be confirmed by LMM staff."
    return f"Details last checked on {checked}."


def service_text(
    service: Dict[str, Any], today: Optional[date] = None, checked: Optional[str] = None
) -> str:
    """One service as a message. ``checked`` is the engine's line for it (from
    the recommendation's presentation); ``today`` is no longer used: whether
    details are stale is the engine's ``stale`` flag."""
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
    line = checked or _checked_line(service)
    if line:
        lines.append(line)
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


def recommendation_texts(recommendation: Dict[str, Any], today: Optional[date] = None) -> List[str]:
    """The recommendation as a few messages: the engine's tier label,
    headline and why, each service, next steps, the red-flag questions if they
    were not answered, and what is still missing."""
    tier = str(recommendation.get("tier", ""))
    words = _words(recommendation)
    checked = words.get("checked") if isinstance(words.get("checked"), dict) else {}
    head = [str(words.get("tier_label") or ""), str(recommendation.get("headline", ""))]
    why = why_lines(recommendation)
    if why:
        head.append("Why: " + " ".join(why))
    texts = ["\n".join(line for line in head if line)]
    texts.extend(service_text(s, checked=checked.get(str(s.get("id"))))
                 for s in recommendation.get("services") or [])
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
    missing = words.get("missing") or [
        str(m).replace("_", " ") for m in recommendation.get("missing") or []
    ]
    if missing and tier != "urgent":
        texts.append("This answer would be firmer with: " + "; ".join(missing) + ". Tell me if you know.")
    return texts


def handover_summary(recommendation: Dict[str, Any]) -> str:
    """The engine's copyable summary for a referral or consultation form: no
    names, no free text, and the postcode only as far as its sector."""
    return str(_words(recommendation).get("handover") or "")


AFTER_BUTTONS = [
    {"title": "Start again", "payload": "/start_again"},
    {"title": "Speak to a person", "payload": "/human_handoff"},
]


def _no_blank_lines(text: str) -> str:
    return re.sub(r"\n\s*\n+", "\n", text)


def send_recommendation(
    dispatcher: CollectingDispatcher, recommendation: Dict[str, Any], final: bool = True
) -> None:
    """The recommendation as text, with the object itself and the handover
    summary as custom payloads for the chat page. Each text carries its
    ``kind`` (recommendation, urgent or handover) so the page can tell the
    messages that spell out the answer from anything else said on the turn."""
    # Rasa's REST channel splits a text at blank lines into several messages
    # and attaches the payload (with the kind) to the last one only.
    texts = [_no_blank_lines(t) for t in recommendation_texts(recommendation)]
    if not final:
        texts[0] = "My suggestion so far (a question below may refine it):\n" + texts[0]
    kind = "urgent" if recommendation.get("tier") == "urgent" else "recommendation"
    for text in texts[:-1]:
        dispatcher.utter_message(text=text, json_message={"kind": kind})
    dispatcher.utter_message(
        text=texts[-1], json_message={"kind": kind, "recommendation": recommendation}
    )
    summary = handover_summary(recommendation)
    if not summary:  # an api without the engine's wording: the buttons still follow
        if final:
            dispatcher.utter_message(text="What next?", buttons=AFTER_BUTTONS)
        return
    dispatcher.utter_message(
        text=_no_blank_lines(summary), buttons=AFTER_BUTTONS if final else [],
        json_message={"kind": "handover", "handover": summary},
    )
