"""Finding a service by the words of its name: one search for every client.

``GET /api/v1/services?q=`` and the bot's "what does Home-Start do?" both use
:func:`find_by_name` (the bot through ``POST /api/v1/services/find``, so what
was typed never goes in a URL). A service is found by the words of its
current and former names, its id, and the initials of a many-word name
("LMM"); the services sharing the most meaningful words with the text come
back, shortest name first, and none when no word is shared.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final

from pathways.model import Service

# Words that say nothing about which service is meant.
STOPWORDS: Final = frozenset({
    "a", "about", "an", "and", "any", "are", "bradford", "can", "do", "does", "for", "how",
    "i", "in", "is", "it", "me", "my", "of", "offer", "on", "or", "provide", "see", "service",
    "services", "team", "tell", "the", "they", "this", "to", "what", "who", "with", "women",
    "you", "pregnant", "work", "mums", "dads", "families", "family", "refer", "referral",
    "support", "help", "there", "s", "which", "best", "will", "take",
})


def words(text: str) -> set[str]:
    """The meaningful words of a text, lower case."""
    return set(re.findall(r"[a-z0-9]+", text.lower())) - STOPWORDS


def name_words(names: Iterable[str]) -> set[str]:
    """The words of a service's names, with the initials of each many-word name."""
    names = [n for n in names if n]
    initials = {
        "".join(w[0] for w in n.lower().split() if w[0].isalpha()) for n in names if " " in n
    }
    return words(" ".join(names)) | {i for i in initials if len(i) >= 2}


def service_names(service: Service) -> list[str]:
    return [service.name, service.id.replace("-", " "), *service.former_names]


def find_by_name(text: str, services: Sequence[Service]) -> list[Service]:
    """The services whose names share the most words with ``text``, shortest
    name first; empty when none shares a word."""
    asked = words(text)
    if not asked:
        return []
    scored = [(len(asked & name_words(service_names(s))), s) for s in services]
    best = max((score for score, _ in scored), default=0)
    if best == 0:
        return []
    return sorted((s for score, s in scored if score == best), key=lambda s: len(s.name))
