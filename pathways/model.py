"""The knowledge the engine reasons over, as immutable values.

These types are the contract between the curated content (``knowledge/content/seed``
YAML, the database, the admin) and the pure engine. A published content
version is loaded into one :class:`Knowledge` and never changed afterwards, so
the engine can share it between requests without locks.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Tier = Literal["urgent", "lmm_referral", "lmm_consultation", "signpost"]
TIERS: tuple[Tier, ...] = ("urgent", "lmm_referral", "lmm_consultation", "signpost")

Circle = Literal["core", "universal", "risk_factor"]
Referrer = Literal["professional", "self", "volunteer"]
ServiceStatus = Literal["active", "closed", "uncertain"]
Certainty = Literal["postcode", "sector", "district", "unknown"]
AreaKind = Literal["local_authority", "programme_area", "ward", "region"]


class Frozen(BaseModel):
    """Base for content values: immutable, and strict about unknown fields so
    a typo in reviewed YAML is an error rather than silently ignored."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class AgeEligibility(Frozen):
    """Who a service is for, by the baby's age.

    ``pregnancy`` says whether expectant parents are seen. After birth the
    service covers ``from_months`` (inclusive) up to ``to_months`` (exclusive,
    so 24 means "until the second birthday"); ``None`` means no upper limit.
    ``postnatal`` false means the service is for pregnancy only.
    """

    pregnancy: bool = True
    postnatal: bool = True
    from_months: int = Field(default=0, ge=0)
    to_months: int | None = Field(default=None, ge=1)


class Contact(Frozen):
    """How to reach a service. ``phone_uncertain`` marks numbers that could not
    be confirmed from a current public page: they are shown with a warning."""

    phone: str | None = None
    phone_uncertain: bool = False
    phone_note: str | None = None
    url: str | None = None
    email: str | None = None
    hours: str | None = None


class Service(Frozen):
    """One service in Bradford's early years system, with its remit spelled out."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")
    name: str = Field(min_length=2, max_length=200)
    former_names: tuple[str, ...] = ()
    provider: str
    circle: Circle
    summary: str
    does: tuple[str, ...] = Field(min_length=1)
    does_not: tuple[str, ...] = ()
    eligibility: str
    ages: AgeEligibility = AgeEligibility()
    areas: tuple[str, ...] = Field(
        min_length=1, description="Area codes; the family must live in one of them"
    )
    referrers: tuple[Referrer, ...] = ("professional",)
    how_to_refer: str
    contact: Contact = Contact()
    status: ServiceStatus = "active"
    sources: tuple[str, ...] = ()
    last_verified: date
    needs_verification: bool = False
    verification_note: str | None = None


class Area(Frozen):
    """A named geography: a local authority, a programme area such as the
    Better Start Bradford wards, or a ward. ``la_codes`` and ``ward_codes`` are
    ONS codes used to map imported full postcodes onto the area."""

    code: str = Field(pattern=r"^[a-z0-9_]{2,64}$")
    name: str
    kind: AreaKind
    la_codes: tuple[str, ...] = ()
    ward_codes: tuple[str, ...] = ()
    within: str | None = Field(default=None, description="Code of an enclosing area")
    note: str | None = None


class PostcodeMapping(Frozen):
    """A postcode district ("BD3") or sector ("BD3 9") and the areas it lies in.

    ``areas`` are areas the whole prefix lies in; ``partial_areas`` are areas
    only part of it lies in (a split district). The engine reports a split
    honestly instead of guessing.
    """

    prefix: str = Field(pattern=r"^[A-Z]{1,2}[0-9][0-9A-Z]?( [0-9])?$")
    areas: tuple[str, ...] = ()
    partial_areas: tuple[str, ...] = ()
    place: str | None = None
    note: str | None = None


class Concern(Frozen):
    """Something a practitioner may be worried about, and how to spot it in
    free text. ``absent_phrases`` are wordings that mean the concern is *not*
    present ("bond is lovely")."""

    code: str = Field(pattern=r"^[a-z0-9_]{2,64}$")
    label: str
    description: str
    phrases: tuple[str, ...] = Field(min_length=1)
    absent_phrases: tuple[str, ...] = ()
    red_flag: bool = False
    risk_factor: bool = Field(
        default=False,
        description="A circumstance (prematurity, a NICU stay, a difficult birth, a bereavement) "
        "that weighs towards a consultation together with a relationship worry, never on its own",
    )
    tiers: tuple[Tier, ...] = Field(min_length=1)
    services: tuple[str, ...] = Field(
        default=(), description="Service ids that fit this concern, best first"
    )
    guidance: str | None = None


class Condition(Frozen):
    """One flat test over the facts: ``field op value``."""

    field: str
    op: Literal[
        "eq", "ne", "lt", "lte", "gt", "gte", "in", "not_in",
        "contains", "contains_any", "not_contains_any", "is_null", "not_null",
    ]
    value: Any = None


class RuleOutcome(Frozen):
    tier: Tier
    headline: str
    services: tuple[str, ...] = ()
    include_concern_services: bool = False
    next_steps: tuple[str, ...] = ()


class RuleExample(Frozen):
    """A named case that must hold for the rule: the facts given, and what the
    whole engine must answer (``tier``, optionally a service that must be
    recommended and whether this rule must appear in the trace)."""

    name: str
    facts: dict[str, Any]
    tier: Tier
    includes_service: str | None = None
    rule_fires: bool = True


class Rule(Frozen):
    """A reviewable pathway rule. Lower ``priority`` numbers are considered
    first; the first rule whose conditions all hold decides the tier."""

    id: str = Field(pattern=r"^R-[0-9]{3}$")
    summary: str = Field(min_length=10)
    priority: int
    conditions: tuple[Condition, ...]
    outcome: RuleOutcome
    examples: tuple[RuleExample, ...] = Field(min_length=1)
    rationale: str | None = None


class VolunteerExample(Frozen):
    """A named case for a volunteer step: a query as a volunteer would send it
    (``asker`` is volunteer whatever ``facts`` say), the tier a professional
    would get for the same query, and what the volunteer must get."""

    name: str
    facts: dict[str, Any]
    professional_tier: Tier
    tier: Tier
    includes_service: str | None = None


class VolunteerStep(Frozen):
    """What a volunteer is told (``volunteer.yaml``, applied by
    :mod:`pathways.asker`) when the answer a professional would get has a tier
    in ``applies_to``. ``tier``, ``headline`` and ``services`` (primary, in
    order), when given, replace the professional answer's."""

    id: str = Field(pattern=r"^V-[0-9]{3}$")
    summary: str = Field(min_length=10)
    applies_to: tuple[Tier, ...] = Field(min_length=1)
    tier: Tier | None = None
    headline: str | None = None
    services: tuple[str, ...] = ()
    next_steps: tuple[str, ...] = Field(min_length=1)
    examples: tuple[VolunteerExample, ...] = Field(min_length=1)


class Knowledge(Frozen):
    """One immutable content version: everything the engine needs."""

    version: int
    services: dict[str, Service]
    areas: dict[str, Area]
    postcodes: dict[str, PostcodeMapping]
    concerns: dict[str, Concern]
    rules: tuple[Rule, ...]
    published_at: date | None = None
    volunteer: tuple[VolunteerStep, ...] = ()
