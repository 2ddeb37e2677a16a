"""One reader for one message: age, postcode, concerns with their evidence,
red flags and consent.

``POST /api/v1/parse``, the chat proxy (and through it the bot) and the
recommendation engine all read text through :func:`read_text`, so a wording
is understood the same way wherever it is typed. Concerns come from two
layers: the curated phrases first (exact, editable by LMM staff), then the
similarity layer fitted on the labelled corpus (``pathways.similarity``),
which recognises wordings no phrase covers. Safety first: a red flag that
either layer suspects is raised. A suspicion is only dropped when the same
clause explicitly denies that very concern ("nil SI").
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from pathways.age import AgeReading, find_age, several_babies
from pathways.concerns import ConcernFindings, find_concerns
from pathways.consent import ConsentReading, read_consent
from pathways.contract import HowFound
from pathways.model import Knowledge
from pathways.postcode import PostcodeError, PostcodeReading, find_postcode, resolve_postcode
from pathways.similarity import SimilarityReader, Suspicion

_default_reader: SimilarityReader | None = None


def use_similarity_reader(reader: SimilarityReader | None) -> None:
    """Set the similarity layer used when a caller passes none (the api fits
    one from the corpus at start-up; without one only the phrases read)."""
    global _default_reader
    _default_reader = reader


class FoundConcern(BaseModel):
    """A concern read from the text, and how: the words, the layer, and for
    the similarity layer the nearest labelled example and its score."""

    model_config = ConfigDict(frozen=True)

    code: str
    label: str
    red_flag: bool
    evidence: str
    how_found: HowFound
    suspected: bool = False
    similar_to: str | None = None
    score: float | None = None


class ConcernReading(BaseModel):
    """Every concern read from one text: present (red flags first) and absent."""

    model_config = ConfigDict(frozen=True)

    present: tuple[FoundConcern, ...] = ()
    absent: tuple[str, ...] = ()


class MessageReading(BaseModel):
    """What the engine understands in one message."""

    model_config = ConfigDict(frozen=True)

    age: AgeReading | None = None
    age_unclear: bool = Field(
        default=False,
        description="The text names more than one child under 2 (or a baby and a pregnancy) "
        "and which one the worry is about is unclear: ask",
    )
    postcode: PostcodeReading | None = None
    concerns: tuple[FoundConcern, ...] = ()
    absent_concerns: tuple[str, ...] = ()
    red_flag: bool = False
    suspected_red_flags: tuple[str, ...] = ()
    consent_to_referral: bool | None = None
    consent_evidence: str | None = None


def _suspicion_denied(suspicion: Suspicion, phrases: ConcernFindings, red_flag: bool) -> bool:
    """Whether the phrase layer explicitly ruled this concern out: for a red
    flag, in the clause the suspicion came from (a one-clause note: anywhere);
    for any other concern, anywhere in the text."""
    clauses = phrases.absent_clauses.get(suspicion.code)
    if not clauses:
        return False
    return not red_flag or suspicion.clause is None or suspicion.clause in clauses


def read_concerns(
    text: str, knowledge: Knowledge, reader: SimilarityReader | None = None
) -> ConcernReading:
    """The concerns ``text`` shows, from the phrases and then the similarity layer."""
    phrases = find_concerns(text, knowledge)
    found: dict[str, FoundConcern] = {}
    for code in phrases.present:
        concern = knowledge.concerns[code]
        found[code] = FoundConcern(
            code=code, label=concern.label, red_flag=concern.red_flag,
            evidence=phrases.evidence.get(code, ""), how_found="phrase",
        )
    layer = reader if reader is not None else _default_reader
    phrase_red_flag = any(c.red_flag for c in found.values())
    if layer is not None and text.strip():
        for suspicion in layer.suspect(text):
            suspected = knowledge.concerns.get(suspicion.code)
            if suspected is None or suspicion.code in found:
                continue
            if suspected.red_flag and phrase_red_flag:
                continue  # already urgent on a phrase's word: no guessed extras
            if _suspicion_denied(suspicion, phrases, suspected.red_flag):
                continue
            found[suspicion.code] = FoundConcern(
                code=suspicion.code, label=suspected.label, red_flag=suspected.red_flag,
                evidence=suspicion.words, how_found="similarity", suspected=True,
                similar_to=suspicion.similar_to, score=suspicion.score,
            )
    present = sorted(found.values(), key=lambda c: not c.red_flag)
    absent = tuple(c for c in phrases.absent if c not in found)
    return ConcernReading(present=tuple(present), absent=absent)


def read_text(
    text: str,
    knowledge: Knowledge,
    today: date,
    reader: SimilarityReader | None = None,
    exact_postcode_areas: tuple[str, ...] | None = None,
) -> MessageReading:
    """Read one message or description."""
    concerns = read_concerns(text, knowledge, reader)
    postcode_text = find_postcode(text)
    postcode: PostcodeReading | None = None
    if postcode_text:
        try:
            postcode = resolve_postcode(postcode_text, knowledge, exact_areas=exact_postcode_areas)
        except PostcodeError:  # pragma: no cover - find_postcode returns valid postcodes
            postcode = None
    consent: ConsentReading | None = read_consent(text)
    return MessageReading(
        age=find_age(text, today),
        age_unclear=several_babies(text, today),
        postcode=postcode,
        concerns=concerns.present,
        absent_concerns=concerns.absent,
        red_flag=any(c.red_flag for c in concerns.present),
        suspected_red_flags=tuple(c.code for c in concerns.present if c.red_flag and c.suspected),
        consent_to_referral=consent.consent if consent else None,
        consent_evidence=consent.evidence if consent else None,
    )
