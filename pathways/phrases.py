"""Matching staff-written phrases against folded text, quickly and forgivingly.

A phrase is a short run of words ("cant bond", "bruise on"). Each word is
compared on its stem, one or two filler words ("really", "seem to", "the")
may sit between the phrase's words ("not *really* bonding"), and a word may
carry one typo (a missing, extra or swapped letter: "bondng", "brusied"). A phrase word written as
``{13+}`` or ``{10-12}`` matches a number in that range, so "epds {13+}"
catches "EPDS 15". The index is built once per knowledge version.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from pathways.text import Token, stem, tokenize

MAX_GAP: Final = 2  # filler words allowed between two words of a phrase
# Only these may fill a gap, so "not *really* bonding" matches "not bonding"
# but "not *bonding with* her baby" does not match "not her baby".
FILLERS: Final = frozenset(
    {
        "really", "seem", "seems", "seemed", "to", "be", "been", "being", "at", "all",
        "properly", "very", "quite", "yet", "the", "a", "an", "her", "his", "their", "my",
        "your", "him", "them", "its", "this", "that", "much", "fully", "completely", "totally",
        "just", "still", "even", "always", "ever", "so", "too", "particularly", "entirely",
        "truly", "actually", "as", "is", "was", "are", "were", "real", "proper", "now",
        "around", "about", "of"
    }
)
MIN_TYPO_LENGTH: Final = 5  # shorter words must be spelt right
_NUMBER_SLOT_RE: Final = re.compile(r"^\{(\d{1,6})(?:\+|-(\d{1,6}))\}$")
_NUMBER_KEY: Final = "#"

NumberRange = tuple[int, int | None]
Element = str | NumberRange


class PhraseSyntaxError(ValueError):
    """A phrase that cannot be compiled; the message quotes it."""


@dataclass(frozen=True, slots=True)
class Phrase:
    """A compiled phrase. ``key`` is what it signals (a concern code),
    ``absent`` whether it signals that the thing is *not* there."""

    key: str
    absent: bool
    text: str
    elements: tuple[Element, ...]
    words: tuple[str, ...] = ()  # folded spellings, for typo tolerance

    @property
    def stems(self) -> frozenset[str]:
        """The words that must all be in a text for the phrase to match."""
        return frozenset(e for e in self.elements if isinstance(e, str))


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    """Where a phrase matched: tokens ``start`` to ``end`` (exclusive)."""

    phrase: Phrase
    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start


def compile_phrase(key: str, text: str, absent: bool = False) -> Phrase:
    """Turn phrase text into stems and number slots."""
    elements: list[Element] = []
    words: list[str] = []
    for piece in text.split():
        slot = _NUMBER_SLOT_RE.match(piece)
        if slot:
            low = int(slot.group(1))
            high = int(slot.group(2)) if slot.group(2) else None
            if high is not None and high < low:
                raise PhraseSyntaxError(f'phrase "{text}": the range {piece} is empty')
            elements.append((low, high))
        else:
            tokens = tokenize(piece)
            elements.extend(token.stem for token in tokens)
            words.extend(token.word for token in tokens)
    if not elements:
        raise PhraseSyntaxError(f'phrase "{text}" has no words')
    return Phrase(key, absent, text, tuple(elements), tuple(words))


def _one_edit_apart(typed: str, known: str) -> bool:
    """True when ``typed`` is ``known`` with one letter missing, added or two
    neighbours swapped. Substitutions do not count: "feeling" is not a typo
    of "feeding"."""
    if typed[0] != known[0]:
        return False
    if len(typed) == len(known):
        diffs = [i for i, (a, b) in enumerate(zip(typed, known, strict=True)) if a != b]
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and typed[diffs[0]] == known[diffs[1]]
            and typed[diffs[1]] == known[diffs[0]]
        )
    short, long_ = (typed, known) if len(typed) < len(known) else (known, typed)
    if len(long_) - len(short) != 1:
        return False
    for i in range(len(short)):
        if short[i] != long_[i]:
            return short[i:] == long_[i + 1 :]
    return True


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class PhraseIndex:
    """All phrases of one knowledge version, indexed by their first word."""

    def __init__(self, phrases: Iterable[Phrase]) -> None:
        self.phrases: tuple[Phrase, ...] = tuple(phrases)
        self._by_first: dict[Hashable, list[tuple[Phrase, frozenset[str]]]] = {}
        stems: set[str] = set()
        spellings: dict[str, str] = {}  # a known spelling (word or stem) -> its stem
        for phrase in self.phrases:
            first = phrase.elements[0]
            key: Hashable = first if isinstance(first, str) else _NUMBER_KEY
            self._by_first.setdefault(key, []).append((phrase, phrase.stems))
            stems.update(e for e in phrase.elements if isinstance(e, str))
            spellings.update((word, stem(word)) for word in phrase.words)
        spellings.update((s, s) for s in stems)
        self._stems = frozenset(stems)
        # Typo look-up: every known spelling and its one-letter deletions.
        self._near: dict[str, set[tuple[str, str]]] = {}
        for known, known_stem in spellings.items():
            if len(known) >= MIN_TYPO_LENGTH - 1 and not known.isdigit():
                for variant in {known} | _deletions(known):
                    self._near.setdefault(variant, set()).add((known, known_stem))
        self._corrections: dict[str, str | None] = {}

    def resolve(self, token: Token) -> str:
        """The known stem this token stands for, allowing one typo."""
        if token.stem in self._stems or token.number is not None:
            return token.stem
        if token.word in self._corrections:
            return self._corrections[token.word] or token.stem
        fixed = self._correct(token.word) or self._correct(token.stem)
        if len(self._corrections) < 100_000:
            self._corrections[token.word] = fixed
        return fixed or token.stem

    def _correct(self, word: str) -> str | None:
        """The stem of the one known spelling ``word`` is a typo of, if exactly one."""
        if len(word) < MIN_TYPO_LENGTH or word.isdigit():
            return None
        candidates: set[tuple[str, str]] = set()
        for variant in {word} | _deletions(word):
            candidates.update(self._near.get(variant, ()))
        close = {known_stem for known, known_stem in candidates if _one_edit_apart(word, known)}
        return next(iter(close)) if len(close) == 1 else None

    def find(self, tokens: Sequence[Token]) -> list[PhraseMatch]:
        """Every phrase occurrence in ``tokens`` (overlaps included)."""
        stems = [self.resolve(t) for t in tokens]
        in_text = set(stems)
        matches: list[PhraseMatch] = []
        for start, token in enumerate(tokens):
            candidates = list(self._by_first.get(stems[start], ()))
            if token.number is not None:
                candidates += self._by_first.get(_NUMBER_KEY, ())
            for phrase, needed in candidates:
                if not needed <= in_text:
                    continue
                end = _match_from(phrase, tokens, stems, start)
                if end is not None:
                    matches.append(PhraseMatch(phrase, start, end))
        return matches


def _element_matches(element: Element, token: Token, resolved: str) -> bool:
    if isinstance(element, str):
        return element == resolved
    if token.number is None:
        return False
    low, high = element
    return token.number >= low and (high is None or token.number <= high)


def _match_from(
    phrase: Phrase, tokens: Sequence[Token], stems: Sequence[str], start: int
) -> int | None:
    """End of the phrase matched from ``start``, or None. The first element is
    already known to match; later ones may follow up to MAX_GAP words later,
    within the same clause."""
    if not _element_matches(phrase.elements[0], tokens[start], stems[start]):
        return None
    clause = tokens[start].clause
    position = start
    for element in phrase.elements[1:]:
        found = None
        for candidate in range(position + 1, min(position + 2 + MAX_GAP, len(tokens))):
            if tokens[candidate].clause != clause:
                break
            if _element_matches(element, tokens[candidate], stems[candidate]):
                found = candidate
                break
            if tokens[candidate].word not in FILLERS:
                break
        if found is None:
            return None
        position = found
    return position + 1
