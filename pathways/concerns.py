"""Which concerns a practitioner's description mentions, and which it rules out.

The phrases come from the knowledge base (``concerns.yaml``, edited by LMM
staff), so new wording is picked up on publish without retraining anything.
How a match is judged:

1. Every phrase of every concern is found in the folded text (stems, small
   gaps and one typo per word allowed; see :mod:`pathways.phrases`).
2. A match lying inside a longer match of the same concern, or inside a longer
   *present* phrase of another concern, gives way to it: "history of self
   harm" (a past risk) is not also "self harm" (a red flag), and "bonding
   well" (an absent phrase) is not also "bonding".
3. A match denied by its context ("no concerns about ...", "denies ...") is
   not a finding (see :mod:`pathways.negation`; red flags need a clear denial).
4. A concern is *present* when any of its matches stands; it is *absent* when
   it was only mentioned to be ruled out, or an absent phrase matched. Present
   wins over absent: when the text says both, the engine over-triages.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from pathways.compiled import compiled
from pathways.model import Knowledge
from pathways.negation import is_negated
from pathways.phrases import PhraseMatch
from pathways.text import tokenize


class ConcernFindings(BaseModel):
    """``present``: concern codes found (red flags first, then in the order
    they appear); ``absent``: codes the text rules out; ``evidence``: for each
    present code, the words that showed it."""

    model_config = ConfigDict(frozen=True)

    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    evidence: dict[str, str] = {}
    absent_clauses: dict[str, tuple[int, ...]] = {}
    clause_count: int = 0


def _gives_way(match: PhraseMatch, other: PhraseMatch) -> bool:
    """Whether ``match`` is swallowed by the longer ``other``."""
    if other.length <= match.length or other.start > match.start or other.end < match.end:
        return False
    return other.phrase.key == match.phrase.key or not other.phrase.absent


def find_concerns(text: str, knowledge: Knowledge) -> ConcernFindings:
    """Find the concerns ``text`` mentions, using ``knowledge``'s phrases."""
    tokens = tokenize(text)
    matches = compiled(knowledge).concern_phrases.find(tokens)
    standing = [m for m in matches if not any(_gives_way(m, o) for o in matches if o is not m)]

    first_seen: dict[str, int] = {}
    evidence: dict[str, str] = {}
    ruled_out: dict[str, set[int]] = {}
    # Other red flags may stand between a denial and a red flag as items of
    # one denied list ("denies SI/SH/thoughts of harm"); other words may not.
    listed = frozenset(
        i for m in standing
        if knowledge.concerns[m.phrase.key].red_flag and not m.phrase.absent
        for i in range(m.start, m.end)
    )
    for match in sorted(standing, key=lambda m: m.start):
        code = match.phrase.key
        concern = knowledge.concerns[code]
        if match.phrase.absent or is_negated(
            tokens, match.start, match.end, concern.red_flag, listed
        ):
            ruled_out.setdefault(code, set()).add(tokens[match.start].clause)
        elif code not in first_seen:
            first_seen[code] = match.start
            evidence[code] = " ".join(t.word for t in tokens[match.start : match.end])

    present = sorted(
        first_seen, key=lambda c: (not knowledge.concerns[c].red_flag, first_seen[c])
    )
    absent = sorted(set(ruled_out) - set(first_seen))
    return ConcernFindings(
        present=tuple(present), absent=tuple(absent), evidence=evidence,
        absent_clauses={c: tuple(sorted(ruled_out[c])) for c in absent},
        clause_count=len({t.clause for t in tokens}),
    )
