"""Who is asking, and the volunteer route.

A query may say who is asking (``Query.asker``): a health visitor or midwife,
another professional, a voluntary-sector worker or volunteer, or LMM staff.
Left out, the asker is unknown and the answer is the professional one. A
professional asker is answered as today.

A volunteer is answered from the volunteer route (``Knowledge.volunteer``:
seeded from ``volunteer.yaml``, edited in the admin), applied after the
pathway rules and the safety invariants have decided what a professional
would be told:

- a red flag stays urgent, with the urgent steps first; the volunteer's steps
  (tell the designated safeguarding lead, then the health visitor) follow;
- where a professional would consult LMM or refer to LMM, the volunteer is
  told to tell the family's health visitor, who can consult LMM (the tier
  becomes a signpost and the trace says why); LMM's consultation and clinical
  offers are never listed for a volunteer to use themselves;
- otherwise the professional's next steps are replaced by the volunteer's:
  what they can do themselves, who in their organisation to tell, LMM's
  training and the urgent route; a service that takes referrals only from
  professionals says so.
"""

from __future__ import annotations

from typing import Final

from pathways.contacts import render
from pathways.contract import Asker, ServiceOut, TraceStep
from pathways.decision import Draft
from pathways.eligibility import LMM_SERVICE_IDS
from pathways.model import Knowledge, RuleOutcome, VolunteerStep
from pathways.understanding import Understanding
from pathways.wording import fill

VOLUNTEER: Final = "volunteer"
# What a volunteer leaves to professionals: they are not asked for them.
PROFESSIONAL_ONLY_MISSING: Final = frozenset({"consent_to_referral", "duration"})
PROFESSIONAL_REFERRAL_NOTE: Final = (
    "Takes referrals from professionals only: ask the family's health visitor or GP about it."
)


def is_volunteer(asker: Asker | None) -> bool:
    return asker == VOLUNTEER


def volunteer_steps(knowledge: Knowledge, tier: str) -> list[VolunteerStep]:
    """The volunteer steps that apply when a professional would get ``tier``."""
    return [step for step in knowledge.volunteer if tier in step.applies_to]


def route_volunteer(draft: Draft, knowledge: Knowledge) -> list[VolunteerStep]:
    """Turn the professional answer in ``draft`` into the volunteer's, in
    place, and return the steps that applied (their next steps are added by
    :func:`volunteer_next_steps`). An urgent answer keeps its tier, headline,
    services and urgent steps."""
    professional_tier = draft.tier
    steps = volunteer_steps(knowledge, professional_tier)
    written = tuple(text for step in steps for text in step.next_steps)
    for step in steps:
        changed = step.tier is not None and step.tier != draft.tier
        outcome = (f"changed {draft.tier} to {step.tier}: the asker is a volunteer, and "
                   "consultation with and referral to LMM are for professionals, so the "
                   "family's health visitor is told instead" if changed
                   else "added the volunteer's next steps")
        draft.trace.append(TraceStep(rule=step.id, summary=step.summary, outcome=outcome))
        if step.tier is not None:
            draft.tier = step.tier
        if step.headline:
            draft.headline = step.headline
    if professional_tier == "urgent":
        return steps
    replacing = next((s for s in steps if s.services), None)
    base = draft.outcome
    draft.outcome = RuleOutcome(
        tier=draft.tier,
        headline=draft.headline,
        services=replacing.services if replacing else (base.services if base else ()),
        include_concern_services=(
            False if replacing else bool(base and base.include_concern_services)
        ),
        next_steps=written,
    )
    return steps


def volunteer_missing(missing: list[str]) -> list[str]:
    """What to ask a volunteer: not the family's consent to an LMM referral
    or how long it has lasted, which are for the professional who refers."""
    return [m for m in missing if m not in PROFESSIONAL_ONLY_MISSING]


def volunteer_services(services: list[ServiceOut]) -> list[ServiceOut]:
    """LMM's consultation and clinical offers left out (a volunteer uses
    neither), and a service only professionals refer to marked as such."""
    out = []
    for service in services:
        if service.id in LMM_SERVICE_IDS:
            continue
        if not {"self", "volunteer"} & set(service.referrers):
            reason = " ".join(filter(None, [service.reason, PROFESSIONAL_REFERRAL_NOTE]))
            service = service.model_copy(update={"reason": reason})
        out.append(service)
    return out


def volunteer_next_steps(
    steps: list[str],
    applied: list[VolunteerStep],
    draft: Draft,
    u: Understanding,
    knowledge: Knowledge,
) -> list[str]:
    """The volunteer's next steps from the ones worded for the (changed)
    draft: urgent answers keep the urgent steps first and add the volunteer's
    after them; other answers drop the concerns' guidance, which is written
    for professionals (red-flag guidance only appears in urgent answers)."""
    if draft.tier == "urgent":
        extra = [fill(text, u, knowledge) for step in applied for text in step.next_steps]
        return list(dict.fromkeys([*steps, *extra]))
    guidance = {
        render(concern.guidance, knowledge)
        for code in u.concerns
        if (concern := knowledge.concerns[code]).guidance and not concern.red_flag
    }
    return [s for s in steps if s not in guidance]
