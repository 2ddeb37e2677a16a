"""The engine's public contract: the query a practitioner sends and the
answer it gets (DESIGN.md "Public contract (v1)", with its documented
extensions). Kept apart from the reasoning so the api, the admin and the
tests can rely on the shapes without importing how they are filled.
"""

from __future__ import annotations

from datetime import date
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from pathways.age import AgeReading
from pathways.model import Contact, Tier
from pathways.postcode import PostcodeReading

MAX_DESCRIPTION_CHARS: Final = 5000

SafetyAnswer = Literal["none_apply", "some_apply", "not_sure"]
# Who is asking (pathways.asker): absent means not known, answered as today.
Asker = Literal["health_visitor_or_midwife", "other_professional", "volunteer", "lmm_staff"]
HowFound = Literal["phrase", "similarity", "chosen"]


class InputError(ValueError):
    """A query field that cannot be read. ``field`` names it and ``message``
    says what is accepted; the api turns this into a 422."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class Query(BaseModel):
    """What a practitioner tells the navigator. Every field is optional.

    A field it does not know is refused rather than ignored (a misspelt
    ``consent_to_referral`` would otherwise change the answer without a
    word), and ``consent_to_referral`` must be JSON true or false, never a
    string or number read as one."""

    model_config = ConfigDict(extra="forbid")

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
        default=None, strict=True, description="Whether the family agrees to a referral"
    )
    duration: str | None = Field(
        default=None, max_length=100,
        description="How long the difficulty has lasted: '3 weeks', 'since birth'",
    )
    safety_check: SafetyAnswer | None = Field(
        default=None,
        description="The practitioner's answer to the red-flag questions (the answer's "
        "`safety_questions`): none_apply, some_apply or not_sure. some_apply and not_sure "
        "make the answer urgent; left out, the answer lists the questions to check.",
    )
    asker: Asker | None = Field(
        default=None,
        description="Who is asking: health_visitor_or_midwife, other_professional, volunteer "
        "(a voluntary-sector worker or volunteer) or lmm_staff. A volunteer gets the volunteer "
        "route: what they can do themselves, who to tell (their supervisor or designated "
        "safeguarding lead, and the family's health visitor, who can consult LMM) and LMM "
        "training; never a consultation with or referral to LMM as their own action. Left "
        "out, the asker is unknown and the answer is the professional one.",
    )


class ConcernOut(BaseModel):
    code: str
    label: str
    red_flag: bool
    evidence: str | None = Field(default=None, description="The words that showed it, if found")
    how_found: HowFound = Field(
        default="phrase",
        description="phrase (a curated phrase matched), similarity (the words resemble "
        "labelled examples: see `similar_to` and `score`) or chosen (a code sent in `concerns`)",
    )
    suspected: bool = Field(
        default=False,
        description="Found by similarity rather than a curated phrase: check it with the family",
    )
    similar_to: str | None = Field(default=None, description="The nearest labelled example")
    score: float | None = Field(default=None, description="How close, 0 to 1 (similarity only)")


class Remit(BaseModel):
    does: list[str]
    does_not: list[str]


class ContactOut(Contact):
    """A service's contact as an answer shows it: the record's fields, and
    what exactly is unconfirmed beside an uncertain number."""

    verification_note: str | None = Field(
        default=None,
        description="Present when `phone_uncertain`: what is still to be confirmed about the "
        "number (the service's verification note), to show beside it",
    )


class ServiceOut(BaseModel):
    id: str
    name: str
    role: Literal["primary", "also_consider"]
    remit: Remit
    eligibility: str
    how_to_refer: str
    contact: ContactOut
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


class Choice(BaseModel):
    code: str
    label: str


class Presentation(BaseModel):
    """The recommendation's words, built once (pathways.presentation) for every
    client: the chat page, the bot, the api's urgent guidance and the request page."""

    tier_label: str = Field(description="The tier in plain words, to head the answer")
    do_now: str = Field(description="One sentence saying what to do now")
    primary_service: str | None = Field(
        description="The id of the service to show first, with its contact and how to refer"
    )
    checked: dict[str, str] = Field(
        description="Per service id: when its details were last checked, and a warning when "
        "they are stale or still to be confirmed"
    )
    missing: list[str] = Field(description="`missing` as what to tell the navigator")
    urgent_text: str | None = Field(
        description="For an urgent answer: the headline, who to call and the steps, as one text"
    )
    handover: str = Field(
        description="Copyable summary for a referral or consultation form: no names, no typed "
        "text, the postcode sector only"
    )


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
    recognised: bool = Field(
        default=True,
        description="False when a description was given and no concern could be read from it: "
        "the answer then asks for the worry (see `choices`) and offers no LMM tier",
    )
    choices: list[Choice] = Field(
        default=[], description="The commonest worries to choose from, when nothing was recognised"
    )
    safety_checked: bool = Field(
        default=False, description="The request said the red-flag questions were checked"
    )
    safety_questions: list[str] = Field(
        default=[],
        description="Red flags to rule out before acting on a non-urgent answer; answer them "
        "with the request's `safety_check`",
    )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def presentation(self) -> Presentation:
        """The answer's words as every client shows them (pathways.presentation)."""
        from pathways.presentation import present

        return present(self)
