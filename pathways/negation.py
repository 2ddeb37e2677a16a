"""Is a phrase that matched actually denied in its sentence?

"No concerns about bonding", "denies thoughts of self-harm" and "self-harm:
denied" all mention a concern in order to rule it out. A negation word before
the phrase (a few words back, in the same clause) or a denial word straight
after it rules the match out. For red flags the engine is stricter: a word of
doubt between the negation and the phrase ("not *sure* if it is a bruise")
keeps the red flag, because safety means over-triage when unsure.

Phrases that contain their own negation ("not bonding", "cant bond") are
whole phrases: the negation inside them is part of the concern, and only a
negation *before* them counts.

A red flag is ruled out only by a negation that is explicit, in the same
clause and about that very thing: every word between the negation and the
phrase must be a connecting word ("denies *any thoughts of* self harm") or
part of the list being denied ("denies SI/SH/thoughts of harm to LO"). In an
unpunctuated note such as "not sleeping wants to die" the word "sleeping"
stands between, so the negation is about sleep and the red flag stays.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from pathways.text import Token, stem

WINDOW: Final = 4  # how many words before a phrase a negation reaches


def _stems(*words: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words)


NEGATION_BEFORE: Final = _stems(
    "no", "not", "never", "denies", "denied", "deny", "denying", "without", "isnt", "arent",
    "wasnt", "werent", "doesnt", "dont", "didnt", "hasnt", "havent", "hadnt", "nor", "neither",
    "nothing", "none", "nil", "negative", "free",
)
NEGATION_AFTER: Final = _stems("denies", "denied", "none", "nil", "negative", "absent")
# Words that stop a negation reaching further: "no support *and* struggling to bond".
SCOPE_BREAKS: Final = _stems("and", "so", "then", "because", "since", "which", "who", "when",
                             "while", "until", "now", "still")
# Words that may stand between a negation and the red flag it denies.
RED_FLAG_CONNECTORS: Final = _stems(
    "any", "of", "thoughts", "thought", "current", "currently", "active", "evidence", "signs",
    "sign", "concerns", "concern", "re", "about", "to", "the", "her", "his", "him", "or", "a",
    "an", "ideation", "intent", "plan", "plans", "urges", "feelings", "feeling", "history",
    "reported", "disclosed", "obvious", "visible", "further", "ongoing", "recent", "new",
)
DOUBT: Final = _stems(
    "sure", "unsure", "certain", "uncertain", "maybe", "might", "may", "possibly", "possible",
    "query", "queried", "unclear", "think", "thinks", "wonder", "wondering", "if", "whether",
    "know", "suspect", "suspected", "poss", "could",
)
_RULE, _OUT = stem("rule"), stem("out")
_NO = stem("no")


def is_negated(
    tokens: Sequence[Token], start: int, end: int, red_flag: bool,
    listed: frozenset[int] = frozenset(),
) -> bool:
    """Whether the phrase at ``tokens[start:end]`` is denied by its context.
    ``listed`` holds the positions of other matched phrases, which may sit
    between a negation and a red flag as items of one denied list."""
    return _negated_before(tokens, start, red_flag, listed) or _negated_after(tokens, end)


def _negated_before(
    tokens: Sequence[Token], start: int, red_flag: bool, listed: frozenset[int]
) -> bool:
    clause = tokens[start].clause
    doubt = False
    reach = WINDOW + 4 if red_flag else WINDOW
    for position in range(start - 1, max(start - 1 - reach, -1), -1):
        token = tokens[position]
        if token.clause != clause or token.stem in SCOPE_BREAKS:
            return False
        if token.stem in DOUBT:
            doubt = True
        if token.stem in NEGATION_BEFORE:
            return not (red_flag and doubt)
        if red_flag and token.stem not in RED_FLAG_CONNECTORS and position not in listed:
            return False  # the negation, if any, is about something else
        if not red_flag and position < start - WINDOW:
            return False
    return False


def _negated_after(tokens: Sequence[Token], end: int) -> bool:
    if end >= len(tokens):
        return False
    clause = tokens[end - 1].clause
    following = [t for t in tokens[end : end + 2] if t.clause == clause]
    if not following:
        return False
    first = following[0]
    if any(t.stem in NEGATION_AFTER for t in following):
        return True
    if len(following) > 1 and first.stem == _RULE and following[1].stem == _OUT:
        return True
    # "suicidal thoughts: no" -- a bare "no" closing the clause.
    closes_clause = end + 1 >= len(tokens) or tokens[end + 1].clause != clause
    return first.stem == _NO and closes_clause
