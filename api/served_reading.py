"""The reading an api instance serves, kept in step with the published version.

A publish check measures the corpus with the draft's own similarity layer:
fitted on the corpus with the draft's phrases and red flags. Every instance
that picks up the new version (the one that published it, or another within
``KNOWLEDGE_REFRESH_SECONDS``) then serves that same layer, so what is read
is what was checked. The layer is made in the background (from this
process's memory or the disk cache at once, in seconds when only phrases
changed, in about a minute when the red flags changed); until it is ready
the previous layer goes on reading. With ``READING_PREWARM`` the corpus is
then read with the new version, so the next publish check reads only its
draft.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

from knowledge.content.publish import read_published_corpus
from knowledge.content.reading_corpus import fitted_reader
from pathways.model import Knowledge
from pathways.reading import use_similarity_reader

LOG = logging.getLogger(__name__)

THREAD_NAME = "follow-published-version"


class ServedReading:
    def __init__(self, corpus_dir: Path, prewarm: bool, today: Callable[[], date]) -> None:
        self._corpus_dir = corpus_dir
        self._prewarm = prewarm
        self._today = today
        self._latest: int | None = None
        self._closed = False
        # One version followed at a time, in the order they were published.
        self._following = threading.Lock()

    def follow(self, knowledge: Knowledge) -> None:
        """Serve ``knowledge``'s layer as soon as it is ready (returns at once)."""
        self._latest = knowledge.version
        threading.Thread(
            target=self._follow, args=(knowledge,), name=THREAD_NAME, daemon=True
        ).start()

    def close(self) -> None:
        """Stop: a layer still being made is not served by anyone after this."""
        self._closed = True

    def _is_current(self, knowledge: Knowledge) -> bool:
        return not self._closed and self._latest == knowledge.version

    def _follow(self, knowledge: Knowledge) -> None:
        """A failure here leaves the previous layer reading, as before a publish."""
        try:
            with self._following:
                if not self._is_current(knowledge):
                    return  # a newer version came meanwhile, or the app stopped
                reader = fitted_reader(knowledge, self._corpus_dir)
                if not self._is_current(knowledge):
                    return
                use_similarity_reader(reader)
                if self._prewarm:
                    read_published_corpus(knowledge, self._today(), self._corpus_dir)
        except Exception:
            LOG.exception("following published version %s failed", knowledge.version)
