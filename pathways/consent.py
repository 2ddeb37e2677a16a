"""Whether a description says the family agrees to a referral.

Practitioners often write consent into their note ("mum happy to be
referred", "declined referral"), so the engine reads it when the consent field
is not filled in; the explicit field always wins. A statement counts when a
word of agreement ("happy", "keen", "agreed", "consents", "want", "yes") or
refusal ("declined", "refused") comes shortly before "referral" / "referred"
in the same clause, or the family asks for one ("mum asked for a referral";
not "HV to ask about a referral" nor "asked me not to refer"), or when
consent itself is said to be given or not ("consent given", "no consent",
"parents consent"). Little Minds Matter named after a word of agreement
stands for a referral to it ("agreed to LMM", "consent for LMM", not "happy
for an LMM consultation"), and agreement may follow the referral ("referral
agreed with mum", "ref ok"; not "referral agreed by CAMHS").
A negation before a word of agreement turns it into a refusal ("doesn't want
a referral", "not keen on a referral", "won't agree to a referral"); a word
of doubt ("not sure if she wants a referral", "will ask whether...") leaves
it unknown, and so does a note that says both. Only the
practitioner's own plan ("I want to refer", "HV wants LMM") is not the
family's consent.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from pydantic import BaseModel, ConfigDict

from pathways.negation import NEGATION_BEFORE, SCOPE_BREAKS
from pathways.text import Token, stem, tokenize


def _stems(*words: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words)


AGREE: Final = _stems(
    "happy", "keen", "willing", "want", "wants", "wanting", "agree", "agreed", "agrees",
    "agreeable", "consent", "consents", "consented", "ok", "okay", "okd", "accept", "accepted",
    "accepts", "like", "interested", "prefer", "yes", "welcome", "welcomes",
)
# Asking for a referral is agreeing to it, when the family asks ("mum asked for
# a referral"), not the practitioner ("HV to ask about a referral").
REQUEST: Final = _stems("asked", "requested", "request", "requests", "requesting")
# Only these may stand between the request and "referral": "asked for an LMM
# referral", "requested to be referred" (not "asked me not to refer").
REQUEST_LINKS: Final = _stems("for", "a", "an", "the", "lmm", "to", "be", "her", "his", "their",
                              "us", "me", "you")
REFUSE: Final = _stems(
    "declined", "decline", "declines", "refused", "refuse", "refuses", "rejected", "reject",
    "against", "opposed", "reluctant", "unwilling", "withdrew", "withdrawn",
)
REFERRAL: Final = _stems(
    "referral", "referrals", "refer", "referred", "referring", "ref", "referal", "referrel",
)
CONSENT: Final = stem("consent")
# Little Minds Matter named as what is agreed to: a referral to it ("agreed to
# LMM"), unless a consultation or advice is what is meant.
LMM: Final = stem("lmm")
NOT_A_REFERRAL: Final = _stems("consultation", "consult", "consultations", "advice", "talk",
                               "chat", "discuss", "discussion")
# After "referral": agreement given ("referral agreed with mum", "ref ok").
AGREED_AFTER: Final = _stems("agreed", "ok", "okay", "okd", "consented")
DISCUSSED: Final = _stems("discussed", "and")
GIVEN: Final = _stems("given", "obtained", "gained", "received", "confirmed", "granted", "yes",
                      "agreed", "verbal", "verbally", "written", "gave", "got", "has", "have")
NOT_GIVEN: Final = _stems("declined", "refused", "withheld", "withdrawn", "no", "not", "without",
                          "denied")
# Negations that reach a word of agreement: "wont agree", "didnt want".
NEGATIONS: Final = NEGATION_BEFORE | _stems("wont", "cant", "refuses", "refused", "declined",
                                            "declines")
DOUBT: Final = _stems(
    "sure", "unsure", "uncertain", "if", "whether", "ask", "asking", "check", "checking",
    "discuss", "discussing", "explore", "might", "may", "maybe", "possibly", "perhaps",
    "consider", "considering", "think", "thinking", "unclear", "undecided", "hopefully", "yet",
)
# After "consent": not decided yet ("consent not yet sought"), so unknown.
PENDING: Final = _stems("yet", "sought", "asked", "discussed", "requested", "pending", "needed",
                        "required", "tbc")
# Little words skipped after "consent": "consent *was* declined".
AUXILIARIES: Final = _stems("was", "is", "has", "been", "be", "now", "were", "had")
FAMILY: Final = _stems("mum", "dad", "parent", "parents", "family", "carer", "carers", "couple")
BOTH: Final = _stems("both")
# Who else asks for a referral in a note about the family: "she's asked us to refer".
ASKERS: Final = FAMILY | _stems("she", "shes", "he", "hes", "they", "theyve", "theyre")
# The practitioner's own plan is not the family's consent: "I want to refer".
SPEAKERS: Final = _stems("i", "we", "id", "wed", "im", "ill", "weve", "ive")
# The practitioner named just before the word of agreement: "HV wants LMM".
PRACTITIONERS: Final = _stems("hv", "hvs", "mw", "gp", "sw", "midwife", "practitioner",
                              "nurse", "worker", "professional", "professionals", "team")
# Consent to something other than the referral: "consent to share information".
OTHER_CONSENT: Final = _stems("share", "sharing", "information", "info", "data", "photo",
                              "photos", "contact", "record", "records")
_BY: Final = stem("by")
REACH: Final = 4  # words between the word of agreement and "referral"
WINDOW: Final = 3  # words before a word of agreement that a negation or doubt reaches


# A question ("is mum happy to be referred?") states nothing.
_QUESTION_RE: Final = re.compile(r"[^.!?\n]*\?")


class ConsentReading(BaseModel):
    """What the description says about consent, and the words that said it."""

    model_config = ConfigDict(frozen=True)

    consent: bool
    evidence: str


def _clause_before(tokens: Sequence[Token], index: int, reach: int) -> list[Token]:
    """Up to ``reach`` tokens before ``index`` in its clause, nearest first,
    stopping at a word such as "and" that ends a negation's reach."""
    found: list[Token] = []
    for position in range(index - 1, max(index - 1 - reach, -1), -1):
        token = tokens[position]
        if token.clause != tokens[index].clause or token.stem in SCOPE_BREAKS:
            break
        found.append(token)
    return found


def _said(tokens: Sequence[Token], start: int, end: int) -> str:
    return " ".join(t.word for t in tokens[start : end + 1])


def _referral_after(tokens: Sequence[Token], index: int) -> int | None:
    """Where "referral" / "referred" follows ``index`` closely in its clause."""
    for position in range(index + 1, min(index + 2 + REACH, len(tokens))):
        if tokens[position].clause != tokens[index].clause:
            return None
        if tokens[position].stem in REFERRAL:
            return position
        if _names_lmm(tokens, position):
            return _lmm_end(tokens, position)
        if tokens[position].stem in REFUSE | AGREE | REQUEST | SCOPE_BREAKS | DOUBT:
            return None  # "wanted to check whether LMM would see her": a question
    return None


def _names_lmm(tokens: Sequence[Token], index: int) -> bool:
    """ "LMM" or "Little Minds Matter" at ``index``, not followed (in its
    clause) by a referral word, which is then the object, or by a
    consultation, which needs no consent."""
    end = _lmm_end(tokens, index)
    if end is None:
        return False
    following = [t for t in tokens[end + 1 : end + 3] if t.clause == tokens[index].clause]
    return not any(t.stem in NOT_A_REFERRAL | REFERRAL for t in following)


def _lmm_end(tokens: Sequence[Token], index: int) -> int | None:
    if tokens[index].stem == LMM:
        return index
    words = [t.word for t in tokens[index : index + 3]]
    return index + 2 if words == ["little", "minds", "matter"] else None


def _context(tokens: Sequence[Token], index: int) -> tuple[int | None, bool, bool]:
    """Just before ``index``: where a negation is (None if none), whether there
    is doubt, and whether the practitioner is speaking ("I want to...")."""
    before = _clause_before(tokens, index, WINDOW)
    negations = [n for n, t in enumerate(before, start=1) if t.stem in NEGATIONS]
    negation = index - negations[-1] if negations else None
    doubtful = any(t.stem in DOUBT for t in before)
    speaker = any(t.stem in SPEAKERS for t in before[:2]) or any(
        t.stem in PRACTITIONERS for t in before[:1])
    return negation, doubtful, speaker


def _signals(tokens: Sequence[Token]) -> list[tuple[bool | None, str]]:
    """Every statement about consent: True (agrees), False (does not), None (doubtful)."""
    found: list[tuple[bool | None, str]] = []
    used: set[int] = set()
    for index, token in enumerate(tokens):
        if index in used:
            continue
        if token.stem in REQUEST and not any(
            t.stem in ASKERS for t in _clause_before(tokens, index, WINDOW)
        ):
            continue
        referral = (
            _referral_after(tokens, index) if token.stem in AGREE | REFUSE | REQUEST else None
        )
        if token.stem in REQUEST and referral is not None and any(
            t.stem not in REQUEST_LINKS for t in tokens[index + 1 : referral]
        ):
            continue
        if referral is not None:
            negation, doubtful, speaker = _context(tokens, index)
            negated = negation is not None
            if token.stem == CONSENT and _not_given_after(tokens, referral):
                negated = True
                referral = min(referral + 2, len(tokens) - 1)
            used.update(range(index, referral + 1))
            said = _said(tokens, index if negation is None else negation, referral)
            if speaker and token.stem in AGREE:
                continue
            if doubtful:
                found.append((None, said))
            elif token.stem in REFUSE:
                found.append((None if negated else False, said))
            else:
                found.append((not negated, said))
        elif token.stem == CONSENT:
            reading = _consent_word(tokens, index)
            if reading is not None:
                found.append(reading)
        elif token.stem in REFERRAL and _refused_after(tokens, index):
            found.append((False, _said(tokens, index, index + 1)))
        elif token.stem in REFERRAL and (agreed := _agreed_after(tokens, index)) is not None:
            used.update(range(index, agreed + 1))
            found.append((True, _said(tokens, index, agreed)))
    return found


def _agreed_after(tokens: Sequence[Token], index: int) -> int | None:
    """Where agreement follows "referral": "referral agreed with mum", "ref
    ok", "referral discussed and agreed" (not "referral agreed by CAMHS")."""
    following = [t for t in tokens[index + 1 : index + 6] if t.clause == tokens[index].clause]
    offset = 0
    while offset < len(following) and following[offset].stem in DISCUSSED | AUXILIARIES:
        offset += 1
    if offset >= len(following) or following[offset].stem not in AGREED_AFTER:
        return None
    rest = following[offset + 1 :]
    if rest and rest[0].stem == _BY and not (len(rest) > 1 and rest[1].stem in FAMILY | BOTH):
        return None
    return index + 1 + offset


def _refused_after(tokens: Sequence[Token], index: int) -> bool:
    """ "referral declined", "referral refused by mum" (not "declined by CAMHS")."""
    following = [t for t in tokens[index + 1 : index + 4] if t.clause == tokens[index].clause]
    if not following or following[0].stem not in REFUSE:
        return False
    by_someone = len(following) > 1 and following[1].stem == _BY
    return not by_someone or (len(following) > 2 and following[2].stem in FAMILY)


def _not_given_after(tokens: Sequence[Token], index: int) -> bool:
    """ "consent for referral *not given*", "consent to referral: *declined*"."""
    following = [t for t in tokens[index + 1 : index + 3] if t.clause == tokens[index].clause]
    return bool(following) and following[0].stem in NOT_GIVEN


def _consent_word(tokens: Sequence[Token], index: int) -> tuple[bool | None, str] | None:
    """ "consent given", "gave consent", "has consented", "no consent", "consent: no"."""
    clause = [t for t in tokens if t.clause == tokens[index].clause]
    if any(t.stem in OTHER_CONSENT for t in clause):
        return None
    before = _clause_before(tokens, index, WINDOW)
    near = [t for t in tokens[index + 1 : index + 4] if t.clause == tokens[index].clause]
    after = [t for t in near if t.stem not in AUXILIARIES][:2]
    negation, doubtful, _ = _context(tokens, index)
    doubtful = doubtful or any(t.stem in PENDING for t in after)
    start = index - len(before[:1]) if negation is None else negation
    not_given = bool(after) and after[0].stem in NOT_GIVEN
    said = _said(tokens, start, index + (len(near) if not_given else len(near[:1])))
    if doubtful:
        return None, said
    if negation is not None or not_given:
        return False, said
    verb = tokens[index].word in {"consents", "consented", "consenting"}
    if verb or any(t.stem in GIVEN for t in before[:2]) or (after and after[0].stem in GIVEN):
        return True, said
    if before and before[0].stem in FAMILY | BOTH:
        return True, said  # "parents consent", "both consent"
    return None


def read_consent(text: str) -> ConsentReading | None:
    """What ``text`` says about the family's consent to a referral, or None
    when it says nothing clear (nothing, only doubt, or both yes and no)."""
    statements = _QUESTION_RE.sub(" . ", text)
    signals = [
        (value, said) for value, said in _signals(tokenize(statements)) if value is not None
    ]
    values = {value for value, _ in signals}
    if len(values) != 1:
        return None
    value = values.pop()
    return ConsentReading(consent=value, evidence=next(s for v, s in signals if v is value))


def find_consent(text: str) -> bool | None:
    """True when ``text`` says the family agrees to a referral, False when it
    says they do not, None when it says neither (or both)."""
    reading = read_consent(text)
    return reading.consent if reading else None
