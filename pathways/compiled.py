"""Work done once per knowledge version and reused for every request.

A :class:`Knowledge` is immutable, so everything derived from it (the phrase
index, which areas enclose which) can be built on first use and kept while the
version is alive. The cache is keyed by object identity and holds only a weak
reference, so a retired version and its index are freed together.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

from pathways.model import Knowledge, Rule
from pathways.phrases import Phrase, PhraseIndex, PhraseSyntaxError, compile_phrase

NATIONAL_AREA = "united_kingdom"


@dataclass(frozen=True)
class Compiled:
    """Indexes derived from one knowledge version."""

    concern_phrases: PhraseIndex
    # area code -> the area itself and every area enclosing it (via Area.within)
    enclosing: dict[str, tuple[str, ...]]
    rules_in_order: tuple[Rule, ...]  # by priority, then id


def _enclosing(knowledge: Knowledge) -> dict[str, tuple[str, ...]]:
    result: dict[str, tuple[str, ...]] = {}
    for code in knowledge.areas:
        chain = [code]
        parent = knowledge.areas[code].within
        while parent is not None and parent not in chain:
            chain.append(parent)
            area = knowledge.areas.get(parent)
            parent = area.within if area else None
        result[code] = tuple(chain)
    return result


def _build(knowledge: Knowledge) -> Compiled:
    phrases: list[Phrase] = []
    for concern in knowledge.concerns.values():
        for absent, texts in ((False, concern.phrases), (True, concern.absent_phrases)):
            for text in texts:
                try:
                    phrases.append(compile_phrase(concern.code, text, absent))
                except PhraseSyntaxError:
                    continue  # reported by pathways.integrity; one bad phrase must not stop answers
    return Compiled(
        concern_phrases=PhraseIndex(phrases),
        enclosing=_enclosing(knowledge),
        rules_in_order=tuple(sorted(knowledge.rules, key=lambda r: (r.priority, r.id))),
    )


_cache: dict[int, tuple[weakref.ref[Knowledge], Compiled]] = {}
_lock = threading.Lock()


def compiled(knowledge: Knowledge) -> Compiled:
    """The indexes for ``knowledge``, built on first use."""
    entry = _cache.get(id(knowledge))
    if entry is not None and entry[0]() is knowledge:
        return entry[1]
    with _lock:
        entry = _cache.get(id(knowledge))
        if entry is not None and entry[0]() is knowledge:
            return entry[1]
        built = _build(knowledge)
        key = id(knowledge)

        def forget(ref: weakref.ref[Knowledge]) -> None:
            if _cache.get(key, (None,))[0] is ref:
                _cache.pop(key, None)

        _cache[key] = (weakref.ref(knowledge, forget), built)
        return built
