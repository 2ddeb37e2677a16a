"""Whether a family fits a service, by the baby's age and where they live.

Each answer is True, False or None (cannot be told yet). A service is only
ruled out on what is known: an unknown age or a split postcode district keeps
it in, and the recommendation says what to check. LMM's own eligibility is
read from its clinical service record (``lmm-clinical``), so when LMM staff
change its ages or areas the engine follows.
"""

from __future__ import annotations

from typing import Final

from pydantic import BaseModel, ConfigDict

from pathways.age import AgeReading
from pathways.model import AgeEligibility, Knowledge, Service
from pathways.postcode import PostcodeReading, in_areas

LMM_SERVICE_ID: Final = "lmm-clinical"
LMM_CONSULTATION_ID: Final = "lmm-consultation"
LMM_SERVICE_IDS: Final = frozenset({LMM_SERVICE_ID, LMM_CONSULTATION_ID})


def age_fits(ages: AgeEligibility, age: AgeReading | None) -> bool | None:
    """Whether the baby's age (or the pregnancy) is within ``ages``."""
    if age is None:
        return None
    if age.stage == "antenatal":
        return ages.pregnancy
    if not ages.postnatal:
        return False
    below_top = ages.to_months is None or age.months < ages.to_months
    return age.months >= ages.from_months and below_top


def area_fits(service: Service, postcode: PostcodeReading | None) -> bool | None:
    """Whether the family's postcode lies in one of the service's areas."""
    if postcode is None:
        return None
    return in_areas(postcode, service.areas)


def _both(first: bool | None, second: bool | None) -> bool | None:
    if first is False or second is False:
        return False
    if first is None or second is None:
        return None
    return True


def service_fits(
    service: Service, age: AgeReading | None, postcode: PostcodeReading | None
) -> bool | None:
    """False when the family is known not to fit the service's age or area."""
    return _both(age_fits(service.ages, age), area_fits(service, postcode))


def describe_ages(ages: AgeEligibility) -> str:
    """A plain description of an age range: "pregnancy to 24 months"."""
    if not ages.postnatal:
        return "pregnancy only"
    start = "pregnancy" if ages.pregnancy else (
        "birth" if ages.from_months == 0 else f"{ages.from_months} months"
    )
    if ages.to_months is None:
        return f"from {start}"
    return f"{start} to {ages.to_months} months"


class Eligibility(BaseModel):
    """LMM eligibility for one family, with the reasons in plain English."""

    model_config = ConfigDict(frozen=True)

    eligible: bool | None
    age_ok: bool | None
    area_ok: bool | None
    reasons: tuple[str, ...]


def _area_names(codes: tuple[str, ...], knowledge: Knowledge) -> str:
    names = [knowledge.areas[c].name if c in knowledge.areas else c for c in codes]
    return " or ".join(names) if names else "no area"


def lmm_eligibility(
    knowledge: Knowledge, age: AgeReading | None, postcode: PostcodeReading | None
) -> Eligibility:
    """Whether the family can be seen by LMM, read from LMM's service record."""
    lmm = knowledge.services.get(LMM_SERVICE_ID)
    if lmm is None:
        return Eligibility(
            eligible=None, age_ok=None, area_ok=None,
            reasons=("LMM's own service record is missing from the knowledge base, "
                     "so eligibility cannot be checked: contact LMM directly.",),
        )
    age_ok = age_fits(lmm.ages, age)
    area_ok = area_fits(lmm, postcode)
    reasons: list[str] = []
    span = describe_ages(lmm.ages)
    if age is None:
        reasons.append(f"Age not known yet: LMM sees families from {span}.")
    elif age_ok:
        reasons.append(f"Age: {age.text} is within LMM's range ({span}).")
    else:
        reasons.append(f"Age: {age.text} is outside LMM's range ({span}).")
    where = _area_names(lmm.areas, knowledge)
    if postcode is None:
        reasons.append(f"Postcode not known yet: LMM sees families living in {where}.")
    elif area_ok:
        reasons.append(f"Postcode: {postcode.normalised} is in {where}.")
    elif area_ok is None:
        detail = postcode.note or f"{postcode.normalised} may or may not be in {where}."
        reasons.append(f"Postcode: {detail} A full postcode would settle whether LMM can help.")
    else:
        reasons.append(f"Postcode: {postcode.normalised} is outside {where}.")
    return Eligibility(
        eligible=_both(age_ok, area_ok), age_ok=age_ok, area_ok=area_ok, reasons=tuple(reasons)
    )
