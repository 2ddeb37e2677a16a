"""From what a practitioner tells us to one explained recommendation.

The steps: read the query (age, postcode, concerns, course), build the facts,
let the first matching pathway rule decide the tier, then apply the safety
invariants that hold whatever the rules say:

* a red flag anywhere makes the answer ``urgent``, with the emergency
  services that fit the red flag and nothing else recommended;
* a family LMM cannot see (too old, outside the area) is never sent to LMM
  and is told where to go instead;
* a referral to LMM needs known eligibility and the family's consent,
  otherwise it becomes a consultation (consent is the query's field, or else
  what the description says: "mum happy to be referred", "declined referral");
* closed services, and services the family is known not to fit by age or
  area, are never recommended.

Every step that shaped the answer is in the trace.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from pathways.age import AgeError, AgeReading, find_age, parse_age
from pathways.compiled import compiled
from pathways.concerns import find_concerns
from pathways.conditions import rule_matches
from pathways.consent import ConsentReading, read_consent
from pathways.course import Course, DurationError, read_course
from pathways.eligibility import (
    LMM_CONSULTATION_ID,
    LMM_SERVICE_ID,
    LMM_SERVICE_IDS,
    Eligibility,
    describe_ages,
    lmm_eligibility,
    service_fits,
)
from pathways.facts import build_facts
from pathways.model import Contact, Knowledge, Rule, RuleOutcome, Service, Tier
from pathways.postcode import PostcodeError, PostcodeReading, find_postcode, resolve_postcode

MAX_DESCRIPTION_CHARS: Final = 5000
MAX_SERVICES_PER_ROLE: Final = 6
EMERGENCY_SERVICES: Final = ("emergency-999", "childrens-social-care", "first-response")
NATIONAL_AREA: Final = "united_kingdom"
LMM_TIERS: Final = frozenset({"lmm_referral", "lmm_consultation"})
STALE_AFTER_DAYS: Final = 183  # about six months, LMM's default review interval


class InputError(ValueError):
    """A query field that cannot be read. ``field`` names it and ``message``
    says what is accepted; the api turns this into a 422."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class Query(BaseModel):
    """What a practitioner tells the navigator. Every field is optional."""

    description: str | None = Field(
        default=None,
        max_length=MAX_DESCRIPTION_CHARS,
        description=f"Free text as a practitioner would type it (at most {MAX_DESCRIPTION_CHARS} "
        "characters)",
        examples=["Mum struggling to bond with her 4 month old for the last two months"],
    )
    age: str | None = Field(
        default=None, max_length=200,
        description="The baby's age or stage of pregnancy: '6 weeks', '14 months', "
        "'28 weeks pregnant', 'due in March'",
    )
    postcode: str | None = Field(
        default=None, max_length=40, description="A full postcode or its first part, any case"
    )
    concerns: list[str] = Field(
        default_factory=list, max_length=60, description="Concern codes from GET /api/v1/concerns"
    )
    consent_to_referral: bool | None = Field(
        default=None, description="Whether the family agrees to a referral"
    )
    duration: str | None = Field(
        default=None, max_length=100,
        description="How long the difficulty has lasted: '3 weeks', 'since birth'",
    )


class ConcernOut(BaseModel):
    code: str
    label: str
    red_flag: bool
    evidence: str | None = Field(default=None, description="The words that showed it, if found")


class Remit(BaseModel):
    does: list[str]
    does_not: list[str]


class ServiceOut(BaseModel):
    id: str
    name: str
    role: Literal["primary", "also_consider"]
    remit: Remit
    eligibility: str
    how_to_refer: str
    contact: Contact
    last_verified: date
    needs_verification: bool
    verification_note: str | None = None
    status: str
    referrers: list[str]
    reason: str | None = Field(default=None, description="Why it is listed for this family")
    stale: bool = Field(
        default=False,
        description="The details were last checked longer ago than LMM's review interval: "
        "show 'details last checked on <last_verified>' and check before relying on them",
    )


class TraceStep(BaseModel):
    rule: str
    summary: str
    outcome: str


class Recommendation(BaseModel):
    """The answer, in the shape of DESIGN.md "Public contract (v1)"."""

    model_config = ConfigDict(frozen=True)

    tier: Tier
    headline: str
    age: AgeReading | None
    postcode: PostcodeReading | None
    concerns: list[ConcernOut]
    absent_concerns: list[str] = []
    lmm_eligible: bool | None
    eligibility_reasons: list[str]
    missing: list[str]
    services: list[ServiceOut]
    next_steps: list[str]
    trace: list[TraceStep]
    knowledge_version: int


@dataclass(frozen=True)
class Understanding:
    """What the engine read from a query, before any rule ran."""

    age: AgeReading | None
    postcode: PostcodeReading | None
    concerns: tuple[str, ...]
    absent: tuple[str, ...]
    evidence: dict[str, str]
    course: Course
    eligibility: Eligibility
    facts: dict[str, Any]
    consent_read: ConsentReading | None = None  # consent taken from the description


# --- reading the query ------------------------------------------------------


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _read_age(query: Query, today: date) -> AgeReading | None:
    if not _blank(query.age):
        try:
            return parse_age(query.age or "", today)
        except AgeError as exc:
            raise InputError("age", str(exc)) from exc
    return find_age(query.description, today) if query.description else None


def _read_postcode(
    query: Query, knowledge: Knowledge, exact: tuple[str, ...] | None
) -> PostcodeReading | None:
    if not _blank(query.postcode):
        try:
            return resolve_postcode(query.postcode or "", knowledge, exact_areas=exact)
        except PostcodeError as exc:
            raise InputError("postcode", str(exc)) from exc
    found = find_postcode(query.description) if query.description else None
    if found is None:
        return None
    try:
        return resolve_postcode(found, knowledge, exact_areas=exact)
    except PostcodeError:  # pragma: no cover - find_postcode only returns valid postcodes
        return None


def _read_concerns(
    query: Query, knowledge: Knowledge
) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, str]]:
    unknown = [c for c in query.concerns if c not in knowledge.concerns]
    if unknown:
        examples = ", ".join(f'"{c}"' for c in sorted(knowledge.concerns)[:3])
        raise InputError(
            "concerns",
            f'Unknown concern code "{unknown[0][:60]}". Use the codes listed at /api/v1/concerns'
            + (f", such as {examples}." if examples else "."),
        )
    findings = find_concerns(query.description or "", knowledge)
    chosen = list(dict.fromkeys(query.concerns))
    combined = chosen + [c for c in findings.present if c not in chosen]
    ordered = sorted(combined, key=lambda c: not knowledge.concerns[c].red_flag)
    absent = tuple(c for c in findings.absent if c not in combined)
    return tuple(ordered), absent, findings.evidence


def understand(
    query: Query,
    knowledge: Knowledge,
    today: date,
    exact_postcode_areas: tuple[str, ...] | None = None,
) -> Understanding:
    """Read every field of ``query``; raise InputError naming a bad field."""
    if query.description is not None and len(query.description) > MAX_DESCRIPTION_CHARS:
        raise InputError(
            "description",
            f"The description is {len(query.description)} characters long; the limit is "
            f"{MAX_DESCRIPTION_CHARS}. Shorten it to the key facts.",
        )
    age = _read_age(query, today)
    postcode = _read_postcode(query, knowledge, exact_postcode_areas)
    concerns, absent, evidence = _read_concerns(query, knowledge)
    try:
        course = read_course(query.description, query.duration)
    except DurationError as exc:
        raise InputError("duration", str(exc)) from exc
    eligibility = lmm_eligibility(knowledge, age, postcode)
    consent_read = (
        read_consent(query.description)
        if query.consent_to_referral is None and query.description
        else None
    )
    consent = consent_read.consent if consent_read else query.consent_to_referral
    facts = build_facts(
        knowledge, concerns, absent, age, postcode, eligibility, course,
        consent, not _blank(query.description),
    )
    return Understanding(
        age, postcode, concerns, absent, evidence, course, eligibility, facts, consent_read
    )


def recommendation_facts(
    query: Query,
    knowledge: Knowledge,
    today: date,
    exact_postcode_areas: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    """The facts the rules see for ``query`` (see pathways.facts.FACTS)."""
    return understand(query, knowledge, today, exact_postcode_areas).facts


# --- deciding ---------------------------------------------------------------


@dataclass
class _Draft:
    tier: Tier
    headline: str
    outcome: RuleOutcome | None
    trace: list[TraceStep]


def _decide(knowledge: Knowledge, facts: dict[str, Any]) -> _Draft:
    matched: list[Rule] = []
    for rule in compiled(knowledge).rules_in_order:
        if rule_matches(rule, facts):
            matched.append(rule)
            if len(matched) == 4:  # the decider and the next three are shown in the trace
                break
    if not matched:
        eligible = facts["lmm_eligible"] is not False
        tier: Tier = "lmm_consultation" if eligible else "signpost"
        headline = (
            "No pathway rule fits exactly: talk the family through with Little Minds Matter."
            if eligible
            else "No pathway rule fits exactly: the services below fit this family."
        )
        step = TraceStep(rule="DEFAULT", summary="No rule matched the facts.",
                         outcome=f"decided: {tier} (engine default)")
        return _Draft(tier, headline, None, [step])
    first = matched[0]
    trace = [TraceStep(rule=first.id, summary=first.summary,
                       outcome=f"decided: {first.outcome.tier}")]
    trace += [
        TraceStep(rule=r.id, summary=r.summary, outcome=f"also matched; {first.id} comes first")
        for r in matched[1:4]
    ]
    return _Draft(first.outcome.tier, first.outcome.headline, first.outcome, trace)


def _apply_safety(draft: _Draft, facts: dict[str, Any]) -> None:
    """The invariants that hold whatever the rules say."""
    if facts["red_flag"] and draft.tier != "urgent":
        draft.trace.append(TraceStep(
            rule="SAFE-1", summary="A red flag always means urgent action.",
            outcome=f"changed {draft.tier} to urgent",
        ))
        draft.tier = "urgent"
        draft.headline = (
            "A red flag: act now to keep the baby and family safe, before anything else."
        )
        draft.outcome = None
        return
    if draft.tier in LMM_TIERS and facts["lmm_eligible"] is False:
        draft.trace.append(TraceStep(
            rule="SAFE-2", summary="A family LMM cannot see is never sent to LMM.",
            outcome=f"changed {draft.tier} to signpost",
        ))
        draft.tier = "signpost"
        draft.headline = (
            "This family is not eligible for Little Minds Matter: the services below fit them."
        )
        return
    if draft.tier == "lmm_referral" and (
        facts["lmm_eligible"] is not True or facts["consent_to_referral"] is not True
    ):
        why = ("eligibility is not confirmed" if facts["lmm_eligible"] is not True
               else "the family has not agreed to a referral")
        draft.trace.append(TraceStep(
            rule="SAFE-3",
            summary="A referral to LMM needs confirmed eligibility and the family's consent.",
            outcome=f"changed lmm_referral to lmm_consultation: {why}",
        ))
        draft.tier = "lmm_consultation"
        draft.headline = f"Talk this family through with Little Minds Matter first: {why}."


# --- services ---------------------------------------------------------------


def _service_out(service: Service, role: Literal["primary", "also_consider"], reason: str | None
                 ) -> ServiceOut:
    return ServiceOut(
        id=service.id,
        name=service.name,
        role=role,
        remit=Remit(does=list(service.does), does_not=list(service.does_not)),
        eligibility=service.eligibility,
        how_to_refer=service.how_to_refer,
        contact=service.contact,
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
    chosen: dict[str, tuple[Literal["primary", "also_consider"], str | None]]

    def usable(self, service_id: str) -> bool:
        service = self.knowledge.services.get(service_id)
        if service is None or service.status == "closed":
            return False
        if service_id in LMM_SERVICE_IDS and self.understanding.eligibility.eligible is False:
            return False
        u = self.understanding
        return service_fits(service, u.age, u.postcode) is not False

    def add(self, ids: Iterable[str], role: Literal["primary", "also_consider"],
            reason: str | None = None) -> None:
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


def _pick_services(draft: _Draft, knowledge: Knowledge, u: Understanding) -> list[ServiceOut]:
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
    return [
        _service_out(knowledge.services[sid], role, reason)
        for sid, (role, reason) in sorted(
            picker.chosen.items(), key=lambda item: item[1][0] != "primary"
        )
    ]


def _adjust_lmm_roles(
    tier: Tier,
    chosen: dict[str, tuple[Literal["primary", "also_consider"], str | None]],
    facts: dict[str, Any],
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


# --- wording ----------------------------------------------------------------


class _Placeholders(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(text: str, u: Understanding, knowledge: Knowledge) -> str:
    local = [a for a in (u.postcode.areas if u.postcode else ()) if a != NATIONAL_AREA]
    values = _Placeholders(
        age=u.age.text if u.age else "the baby",
        postcode=u.postcode.normalised if u.postcode else "the postcode",
        area=knowledge.areas[local[0]].name if local and local[0] in knowledge.areas
        else "their own area",
    )
    try:
        return text.format_map(values)
    except (ValueError, IndexError, AttributeError):
        return text


def _consent_reason(reading: ConsentReading | None) -> list[str]:
    """Say where consent came from when the description, not the consent
    field, gave it, so the practitioner can check it was read right."""
    if reading is None:
        return []
    if reading.consent:
        return [f'The description says the family agrees to a referral ("{reading.evidence}"): '
                "confirm this with them before referring."]
    return [f'The description says the family does not agree to a referral '
            f'("{reading.evidence}").']


def _missing(tier: Tier, u: Understanding) -> list[str]:
    if tier == "urgent":
        return []
    facts = u.facts
    missing: list[str] = []
    if u.age is None:
        missing.append("age")
    if u.postcode is None or u.eligibility.area_ok is None:
        missing.append("postcode")
    if not u.concerns:
        missing.append("concerns")
    lmm_possible = facts["relationship_concern"] and facts["lmm_eligible"] is not False
    if lmm_possible and facts["consent_to_referral"] is None:
        missing.append("consent_to_referral")
    if (lmm_possible and tier == "lmm_consultation" and facts["persistent"] is None
            and not facts["significant"] and not facts["mild_or_uncertain"]):
        missing.append("duration")
    return missing


def _prompts(missing: list[str], u: Understanding, knowledge: Knowledge) -> list[str]:
    lmm = knowledge.services.get(LMM_SERVICE_ID)
    span = describe_ages(lmm.ages) if lmm else "pregnancy to 24 months"
    steps: list[str] = []
    if "age" in missing:
        steps.append(
            f"Ask the baby's age, or how many weeks pregnant: LMM sees families from {span}."
        )
    if "postcode" in missing:
        if u.postcode is not None and u.postcode.note:
            steps.append(f"Ask for the family's full postcode: {u.postcode.note}")
        else:
            steps.append(
                "Ask for the family's postcode: LMM sees families living in Bradford District."
            )
    if "concerns" in missing:
        steps.append("Describe what you are worried about, in your own words.")
    if "consent_to_referral" in missing:
        steps.append("Ask whether the family agrees to a referral: a referral to LMM needs their "
                     "consent (a safeguarding referral does not).")
    if "duration" in missing:
        steps.append("Say how long this has been going on: a persistent or significant difficulty "
                     "may need a referral rather than a consultation.")
    return steps


def _next_steps(draft: _Draft, u: Understanding, knowledge: Knowledge, missing: list[str],
                services: list[ServiceOut]) -> list[str]:
    steps = [_fill(s, u, knowledge) for s in (draft.outcome.next_steps if draft.outcome else ())]
    if draft.tier == "urgent" and not draft.outcome:
        steps.append("If anyone is in immediate danger, call 999.")
    if draft.tier == "urgent" and u.eligibility.area_ok is False:
        steps.append(
            "The family lives outside Bradford District: contact the children's social care "
            "front door or crisis service where they live; in immediate danger call 999."
        )
    for code in u.concerns:
        concern = knowledge.concerns[code]
        if concern.guidance and (draft.tier != "urgent" or concern.red_flag):
            steps.append(concern.guidance)
    if draft.tier != "urgent":
        steps += _prompts(missing, u, knowledge)
    if any(s.needs_verification or s.contact.phone_uncertain for s in services):
        steps.append("Some details below are marked as not yet confirmed by LMM staff: check them "
                     "before relying on them.")
    return list(dict.fromkeys(steps))


# --- the whole engine ---------------------------------------------------------


def recommend(
    query: Query,
    knowledge: Knowledge,
    today: date,
    exact_postcode_areas: tuple[str, ...] | None = None,
    stale_after_days: int = STALE_AFTER_DAYS,
) -> Recommendation:
    """One tier, the services that fit, and why. Raises InputError for a bad field.

    Services whose details were last checked more than ``stale_after_days``
    ago are marked ``stale`` so practitioners are told to check them.
    """
    u = understand(query, knowledge, today, exact_postcode_areas)
    draft = _decide(knowledge, u.facts)
    _apply_safety(draft, u.facts)
    services = [
        s.model_copy(update={"stale": (today - s.last_verified).days > stale_after_days})
        for s in _pick_services(draft, knowledge, u)
    ]
    missing = _missing(draft.tier, u)
    concerns = [
        ConcernOut(code=c, label=knowledge.concerns[c].label,
                   red_flag=knowledge.concerns[c].red_flag, evidence=u.evidence.get(c))
        for c in u.concerns
    ]
    return Recommendation(
        tier=draft.tier,
        headline=_fill(draft.headline, u, knowledge),
        age=u.age,
        postcode=u.postcode,
        concerns=concerns,
        absent_concerns=list(u.absent),
        lmm_eligible=u.eligibility.eligible,
        eligibility_reasons=[*u.eligibility.reasons, *_consent_reason(u.consent_read)],
        missing=missing,
        services=services,
        next_steps=_next_steps(draft, u, knowledge, missing, services),
        trace=draft.trace,
        knowledge_version=knowledge.version,
    )


def deciding_rule(recommendation: Recommendation) -> str | None:
    """The id of the rule that decided the tier (None for the engine default)."""
    first = recommendation.trace[0] if recommendation.trace else None
    return first.rule if first and first.rule.startswith("R-") else None

