"""The published knowledge the engine serves, held in memory and swapped atomically.

Each api instance keeps one immutable :class:`Knowledge`. It polls the store
for a newer published version at most every ``refresh_seconds``, so a version
published on any instance is served by every instance within that interval,
with no restart. It also notes whether the ONS postcode directory has been
imported, so requests skip exact lookups when it has not. Readers never see a
half-loaded version: the new snapshot is built first and then swapped in with
one assignment. When the store cannot be read (the database restarting), the
version already held goes on being served, and the store is asked again at
the next interval: practitioners keep getting answers during the outage.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from knowledge.content.versions import latest_published_id, load_knowledge
from knowledge.postcodes.lookup import postcode_directory_loaded
from pathways.model import Knowledge

log = logging.getLogger(__name__)


class KnowledgeHolder:
    def __init__(
        self,
        engine: Engine,
        refresh_seconds: float = 1.0,
        on_new_version: Callable[[Knowledge], None] | None = None,
    ) -> None:
        self._engine = engine
        self._refresh_seconds = refresh_seconds
        self._on_new_version = on_new_version
        self._knowledge: Knowledge | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()
        self.postcode_directory_loaded = False

    def is_due(self) -> bool:
        """Whether the next get() will ask the store for a newer version."""
        return (
            self._knowledge is None or time.monotonic() - self._checked_at >= self._refresh_seconds
        )

    def get(self) -> Knowledge:
        """The current published knowledge, reloading it if a newer one exists."""
        knowledge = self._knowledge
        due = time.monotonic() - self._checked_at >= self._refresh_seconds
        if knowledge is None or due:
            knowledge = self.refresh(only_if_due=True)
        return knowledge

    def refresh(self, only_if_due: bool = False) -> Knowledge:
        """Check the store now and swap in the newest published version if it changed."""
        with self._lock:
            recent = time.monotonic() - self._checked_at < self._refresh_seconds
            if only_if_due and recent and self._knowledge is not None:
                return self._knowledge  # another request refreshed while we waited
            before = self._knowledge
            try:
                current = self._read_store()
            except SQLAlchemyError as error:
                if self._knowledge is None:
                    raise
                # keep serving what is held; ask the store again next interval
                log.warning("knowledge store unreadable (%s); serving version %s",
                            type(error).__name__, self._knowledge.version)
                current = self._knowledge
            self._checked_at = time.monotonic()
        if before is not None and current is not before and self._on_new_version is not None:
            self._on_new_version(current)
        return current

    def _read_store(self) -> Knowledge:
        with Session(self._engine) as session:
            self.postcode_directory_loaded = postcode_directory_loaded(session)
            newest = latest_published_id(session)
            if newest is None:
                raise LookupError("no published knowledge version: run the seed first")
            current = self._knowledge
            if current is None or current.version != newest:
                current = load_knowledge(session, newest)
                self._knowledge = current
            return current
