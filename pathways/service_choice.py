"""Which services to list, and in which role: the outcome's services first,
then those of the concerns present, never one the family cannot use (closed,
or known not to fit their age or area), and LMM's two offers in their place."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, Literal

from pathways.contacts import render
from pathways.contract import ContactOut, Remit, ServiceOut
from pathways.decision import Draft
from pathways.eligibility import (
    LMM_CONSULTATION_ID,
    LMM_SERVICE_ID,
    LMM_SERVICE_IDS,
    service_fits,
)
from pathways.model import Knowledge, Service, Tier
from pathways.postcode import PostcodeReading
from pathways.understanding import Understanding

MAX_SERVICES_PER_ROLE: Final = 6
EMERGENCY_SERVICES: Final = ("emergency-999", "childrens-social-care", "first-response")
NATIONAL_AREA: Final = "united_kingdom"
STALE_AFTER_DAYS: Final = 183  # about six months, LMM's default review interval

Role = Literal["primary", "also_consider"]


def service_out(
    service: Service, role: Role, reason: str | None, knowledge: Knowledge
) -> ServiceOut:
    """The service as an answer lists it: contact placeholders in its prose
    filled from the records, and an uncertain number's note beside it."""
    contact = ContactOut(
        **service.contact.model_dump(),
        verification_note=(service.verification_note or service.contact.phone_note)
        if service.contact.phone_uncertain else None,
    )
    return ServiceOut(
        id=service.id,
        name=service.name,
        role=role,
        remit=Remit(does=[render(t, knowledge) for t in service.does],
                    does_not=[render(t, knowledge) for t in service.does_not]),
        eligibility=render(service.eligibility, knowledge),
        how_to_refer=render(service.how_to_refer, knowledge),
        contact=contact,
        last_verified=service.last_verified,
        needs_verification=service.needs_verification or service.status == "uncertain",
        verification_note=service.verification_note,
        status=service.status,
        referrers=list(service.referrers),
        reason=reason,
    )


@dataclass
class _Picker:
    """Collects services in order, skipping any the family cannot use."""

    knowledge: Knowledge
    understanding: Understanding
    chosen: dict[str, tuple[Role, str | None]]

    def usable(self, service_id: str) -> bool:
        service = self.knowledge.services.get(service_id)
        if service is None or service.status == "closed":
            return False
        if service_id in LMM_SERVICE_IDS and self.understanding.eligibility.eligible is False:
            return False
        u = self.understanding
        return service_fits(service, u.age, u.postcode) is not False

    def add(self, ids: Iterable[str], role: Role, reason: str | None = None) -> None:
        count = sum(1 for r, _ in self.chosen.values() if r == role)
        for service_id in ids:
            if count >= MAX_SERVICES_PER_ROLE:
                return
            if service_id not in self.chosen and self.usable(service_id):
                self.chosen[service_id] = (role, reason)
                count += 1


def _local_services(knowledge: Knowledge, postcode: PostcodeReading | None) -> list[str]:
    """Services limited to the areas the family certainly lives in (their own
    local authority's entry), for a family outside LMM's area."""
    if postcode is None:
        return []
    local = {a for a in postcode.areas if a != NATIONAL_AREA}
    return [
        s.id for s in knowledge.services.values()
        if s.status != "closed" and set(s.areas) & local and NATIONAL_AREA not in s.areas
        and s.id not in LMM_SERVICE_IDS
    ]


def pick_services(draft: Draft, knowledge: Knowledge, u: Understanding, today: date,
                  stale_after_days: int = STALE_AFTER_DAYS) -> list[ServiceOut]:
    picker = _Picker(knowledge, u, {})
    present = [knowledge.concerns[c] for c in u.concerns]
    outcome_ids = list(draft.outcome.services) if draft.outcome else []
    if draft.tier == "urgent":
        picker.add(outcome_ids, "primary")
        for concern in present:
            if concern.red_flag:
                picker.add(concern.services, "primary", f"For: {concern.label}")
        if u.eligibility.area_ok is False:
            picker.add(_local_services(knowledge, u.postcode), "primary",
                       "The family's own local authority")
        if not any(sid in picker.chosen for sid in EMERGENCY_SERVICES):
            picker.add(EMERGENCY_SERVICES, "primary", "Immediate danger: call 999")
    else:
        picker.add(outcome_ids, "primary")
        if draft.outcome and draft.outcome.include_concern_services:
            for concern in present:
                if draft.tier in concern.tiers:
                    picker.add(concern.services, "primary", f"For: {concern.label}")
        if u.eligibility.area_ok is False:
            picker.add(_local_services(knowledge, u.postcode), "primary",
                       "The family's own local authority")
        for concern in present:
            picker.add(concern.services, "also_consider", f"For: {concern.label}")
        if not picker.chosen:
            universal = [s.id for s in knowledge.services.values() if s.circle == "universal"]
            picker.add(universal, "primary", "Universal services for every family")
    _adjust_lmm_roles(draft.tier, picker.chosen, u.facts)
    ordered = sorted(picker.chosen.items(), key=lambda item: item[1][0] != "primary")
    return [
        service_out(knowledge.services[sid], role, reason, knowledge).model_copy(update={
            "stale": (today - knowledge.services[sid].last_verified).days > stale_after_days
        })
        for sid, (role, reason) in ordered
    ]


def _adjust_lmm_roles(
    tier: Tier, chosen: dict[str, tuple[Role, str | None]], facts: dict[str, Any]
) -> None:
    """Keep LMM's two offers in their place: a consultation answer does not put
    clinical work first (and drops it when the family said no to a referral);
    a referral answer lists the consultation offer only as something to consider."""
    if tier == "lmm_consultation" and LMM_SERVICE_ID in chosen:
        if facts["consent_to_referral"] is False:
            del chosen[LMM_SERVICE_ID]
        else:
            chosen[LMM_SERVICE_ID] = (
                "also_consider",
                "A referral for direct work, if the difficulty is significant or persistent "
                "and the family agrees",
            )
    if tier == "lmm_referral" and LMM_CONSULTATION_ID in chosen:
        chosen[LMM_CONSULTATION_ID] = (
            "also_consider", "LMM can advise you while the family waits",
        )
