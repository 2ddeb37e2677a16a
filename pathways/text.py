"""How free text is folded into tokens, in one place.

Concern phrases are written by LMM staff and matched against whatever a
practitioner types, so both sides go through the same folding: lower case,
accents and apostrophes dropped ("can't" -> "cant"), punctuation turned into
clause breaks, a handful of everyday synonyms unified ("mother" -> "mum") and
every word stemmed ("bonded", "bonding" -> "bond"). Clause breaks matter
because a negation only reaches words in its own clause: in "no injuries but a
bruise on his cheek" the "no" does not reach the bruise.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import snowballstemmer  # type: ignore[import-untyped]

# Words that end a clause as surely as a full stop does.
CLAUSE_WORDS: Final = frozenset(
    {"but", "however", "although", "though", "whereas", "except", "apart"}
)

# Everyday synonyms and spellings folded into one word before stemming, so a
# phrase written with "mum" also matches "mother", "mummy" or "mom".
SYNONYMS: Final[dict[str, str]] = {
    "mother": "mum", "mothers": "mum", "mummy": "mum", "mom": "mum", "mommy": "mum",
    "mam": "mum", "mums": "mum", "moms": "mum",
    "father": "dad", "daddy": "dad", "fathers": "dad", "dads": "dad",
    "bub": "baby", "bubba": "baby", "babe": "baby", "bby": "baby", "babby": "baby",
    "lo": "baby", "infant": "baby", "infants": "baby", "babies": "baby",
    "cannot": "cant", "couldnt": "cant", "unable": "cant",
    "wouldnt": "wont", "cos": "because", "coz": "because", "bc": "because",
    "thru": "through", "tho": "though", "pls": "please",
}

_STEMMER = snowballstemmer.stemmer("english")
_STEM_CACHE: dict[str, str] = {}
_STEM_CACHE_LIMIT: Final = 50_000

_TOKEN_RE: Final = re.compile(r"[^\W\d_]+|\d+|[.!?;,\n()\[\]]")
_BREAKS: Final = frozenset(".!?;,\n()[]")
_APOSTROPHES_RE: Final = re.compile("['\u2019\u2018`\u00b4]")


@dataclass(frozen=True, slots=True)
class Token:
    """One word of folded text: ``stem`` is what phrases are compared on,
    ``word`` the folded spelling (for typo tolerance), ``clause`` the index of
    the clause it sits in, ``number`` its value when it is all digits."""

    word: str
    stem: str
    clause: int
    number: int | None


@lru_cache(maxsize=512)
def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents and apostrophes ("Can't" -> "cant").
    Cached: one description is folded by several readers in the same request."""
    if text.isascii():
        plain = text
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = _APOSTROPHES_RE.sub("", plain.lower())
    plain = plain.replace("&", " and ").replace("+ve", " positive").replace("-ve", " negative")
    return re.sub(r"\bw/", "with ", plain)


def stem(word: str) -> str:
    """The stem a word is compared on, after folding synonyms."""
    cached = _STEM_CACHE.get(word)
    if cached is not None:
        return cached
    canonical = SYNONYMS.get(word, word)
    result = canonical if canonical.isdigit() else str(_STEMMER.stemWord(canonical))
    if len(_STEM_CACHE) < _STEM_CACHE_LIMIT:
        _STEM_CACHE[word] = result
    return result


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens, numbering clauses at punctuation and at
    contrasting words such as "but" (which are dropped)."""
    tokens: list[Token] = []
    clause = 0
    for piece in _TOKEN_RE.findall(fold(text)):
        if piece in _BREAKS or piece in CLAUSE_WORDS:
            if tokens and tokens[-1].clause == clause:
                clause += 1
            continue
        number = int(piece) if piece.isdecimal() and len(piece) <= 6 else None
        tokens.append(Token(piece, stem(piece), clause, number))
    return tokens
