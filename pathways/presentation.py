"""The words of a recommendation as every client shows them, built once.

The chat page, the bot's text answer, the api's urgent guidance and the
printable referral or consultation request all read these instead of keeping
their own copies: the tier's label, the one sentence saying what to do now,
each service's "details last checked" line (from the engine's ``stale``
flag), the urgent text and the handover summary.

The handover summary is meant to be pasted into a referral or consultation
form, so it is built only from structured fields: no free text the
practitioner typed, no quoted evidence, no names and the postcode only as far
as its sector. :class:`HandoverFacts` holds exactly those fields, so the
request page (which receives them from a form, not a recommendation) builds
the same summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from pathways.contacts import caveat_suffix
from pathways.model import Tier

if TYPE_CHECKING:
    from pathways.contract import Presentation, Recommendation, ServiceOut

TIER_LABELS: Final[dict[str, str]] = {
    "urgent": "URGENT: act now (safeguarding or crisis action)",
    "lmm_referral": "Refer to Little Minds Matter",
    "lmm_consultation": "Talk it through with Little Minds Matter (consultation)",
    "signpost": "Signpost to another service",
}
ROLE_LABELS: Final[dict[str, str]] = {"primary": "Best fit", "also_consider": "Also consider"}
MISSING_LABELS: Final[dict[str, str]] = {
    "age": "the baby's age (or how many weeks pregnant)",
    "postcode": "the postcode (the first part and one more character is enough, for example "
                "BD3 9)",
    "concerns": "what worries you about the baby and family",
    "consent_to_referral": "whether the family agrees to a referral",
    "duration": "how long this has been going on",
}
MONTHS: Final = ("January", "February", "March", "April", "May", "June", "July", "August",
                 "September", "October", "November", "December")
HANDOVER_TITLE: Final = "Early Years Pathway Navigator: handover summary"
URGENT_FALLBACK: Final = "If anyone is in immediate danger, call 999."

_SECTOR_RE: Final = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)(?: ?(\d)(?:[A-Z]{2})?)?$")


def tier_label(tier: str) -> str:
    return TIER_LABELS.get(tier, "Recommendation")


def missing_label(code: str) -> str:
    return MISSING_LABELS.get(code, code.replace("_", " "))


def long_date(iso: str) -> str:
    """2026-03-04 -> 4 March 2026 (anything else unchanged)."""
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})", iso)
    if not match or not 1 <= int(match.group(2)) <= 12:
        return iso
    return f"{int(match.group(3))} {MONTHS[int(match.group(2)) - 1]} {match.group(1)}"


def postcode_sector(value: str | None) -> str:
    """"BD3 9LF" -> "BD3 9", "BD3 9" -> "BD3 9", "BD3" -> "BD3": never a full postcode;
    "" for anything that is not a postcode."""
    text = " ".join(str(value or "").upper().split())
    match = _SECTOR_RE.match(text)
    if not match:
        return ""
    return f"{match.group(1)} {match.group(2)}" if match.group(2) else match.group(1)


def first_sentence(text: str) -> str:
    """The text up to and including its first full stop followed by a space (or all of it)."""
    text = " ".join(text.split())
    match = re.match(r"^(.+?[.!?])\s+[A-Z(]", text)
    return match.group(1) if match else text


def checked_line(last_verified: str, needs_verification: bool, stale: bool) -> str:
    """When a service's details were last checked, and what that means."""
    line = (f"Details last checked on {long_date(last_verified)}." if last_verified
            else "Date these details were last checked is not recorded.")
    if needs_verification:
        return line + " Some details are to be confirmed by Little Minds Matter staff."
    if stale:
        return line + " That was a while ago: check the details before you rely on them."
    return line


def do_now(tier: str, headline: str, next_steps: list[str]) -> str:
    """One sentence saying what to do now: for an urgent answer its first
    step (call, refer), otherwise the headline's first sentence."""
    if tier == "urgent":
        return next_steps[0] if next_steps else (first_sentence(headline) or URGENT_FALLBACK)
    return first_sentence(headline)


# ---- the handover summary -------------------------------------------------------


@dataclass(frozen=True)
class HandoverService:
    name: str
    role: str
    how_to_refer: str = ""
    phone: str | None = None
    phone_uncertain: bool = False


@dataclass(frozen=True)
class HandoverFacts:
    """Everything the handover summary says, and nothing typed: the tier,
    the engine's reading of age and postcode sector, concern labels, the
    deciding rule's summary, services and what is still missing."""

    tier: str
    age_text: str | None = None
    postcode_sector: str = ""
    concerns: tuple[tuple[str, bool], ...] = ()  # (label, red flag)
    lmm_eligible: bool | None = None
    reason: str | None = None
    services: tuple[HandoverService, ...] = ()
    missing: tuple[str, ...] = ()
    knowledge_version: int | None = None


def handover_text(facts: HandoverFacts) -> str:
    lines = [HANDOVER_TITLE, "(No names; postcode sector only.)"]
    lines.append(f"Outcome: {tier_label(facts.tier)}")
    lines.append(f"Age or stage: {facts.age_text or 'not given'}")
    lines.append(f"Postcode area: {facts.postcode_sector or 'not given'}")
    concerns = [label + (" (red flag)" if red else "") for label, red in facts.concerns]
    lines.append("Concerns: " + ("; ".join(concerns) if concerns else "none recorded"))
    eligible = ("not known yet" if facts.lmm_eligible is None
                else "yes" if facts.lmm_eligible else "no")
    lines.append(f"Eligible for Little Minds Matter: {eligible}")
    if facts.reason:
        lines.append(f"Why: {facts.reason}")
    if facts.services:
        lines += ["", "Services:"]
        for service in facts.services:
            bits = [f"{service.name} ({ROLE_LABELS.get(service.role, 'service').lower()})"]
            if service.how_to_refer:
                bits.append(f"how to refer: {service.how_to_refer}")
            if service.phone:
                bits.append(f"phone {service.phone}"
                            + (" (to be confirmed)" if service.phone_uncertain else ""))
            lines.append("- " + "; ".join(bits))
    if facts.missing:
        lines += ["", "Not yet known: " + ", ".join(m.replace("_", " ") for m in facts.missing)]
    if facts.knowledge_version is not None:
        lines += ["", f"From the navigator's knowledge base version {facts.knowledge_version}."]
    return "\n".join(lines)


def deciding_reason(recommendation: Recommendation) -> str | None:
    """The summary of the rule that decided the tier (curated text, never quoted words)."""
    for step in recommendation.trace:
        if step.rule.startswith("R-"):
            return step.summary
    return None


def handover_facts(recommendation: Recommendation) -> HandoverFacts:
    rec = recommendation
    return HandoverFacts(
        tier=rec.tier,
        age_text=rec.age.text if rec.age else None,
        postcode_sector=postcode_sector(rec.postcode.normalised if rec.postcode else None),
        concerns=tuple((c.label, c.red_flag) for c in rec.concerns),
        lmm_eligible=rec.lmm_eligible,
        reason=deciding_reason(rec),
        services=tuple(
            HandoverService(s.name, s.role, " ".join(s.how_to_refer.split()), s.contact.phone,
                            s.contact.phone_uncertain)
            for s in rec.services
        ),
        missing=tuple(rec.missing),
        knowledge_version=rec.knowledge_version,
    )


# ---- the urgent text --------------------------------------------------------------


def urgent_text(recommendation: Recommendation) -> str:
    """Urgent guidance as one message: the headline, who to call, the steps."""
    lines = [f"URGENT: {recommendation.headline}"]
    for service in recommendation.services:
        contact = service.contact.model_dump(mode="json")
        phone = contact.get("phone")
        lines.append(f"- {service.name}" + (f": {phone}{caveat_suffix(contact)}" if phone else ""))
    lines += [f"- {step}" for step in recommendation.next_steps]
    return "\n".join(lines)


# ---- all of it --------------------------------------------------------------------


def primary_service(services: list[ServiceOut]) -> ServiceOut | None:
    return next((s for s in services if s.role == "primary"), services[0] if services else None)


def present(recommendation: Recommendation) -> Presentation:
    from pathways.contract import Presentation

    rec = recommendation
    tier: Tier = rec.tier
    primary = primary_service(rec.services)
    return Presentation(
        tier_label=tier_label(tier),
        do_now=do_now(tier, rec.headline, rec.next_steps),
        primary_service=primary.id if primary else None,
        checked={s.id: checked_line(s.last_verified.isoformat(), s.needs_verification, s.stale)
                 for s in rec.services},
        missing=[missing_label(m) for m in rec.missing],
        urgent_text=urgent_text(rec) if tier == "urgent" else None,
        handover=handover_text(handover_facts(rec)),
    )
