"""Recording the usage insights' counts: the chat counts each conversation's
answer once (:mod:`api.conversation_usage`) into the :class:`UsageBuffer` here.

Counts are kept in memory per instance and added to the database in batches
(every ``usage_flush_seconds``, before the usage pages are read, and at
shut-down), so answering a practitioner never waits for an analytics write.
Only the anonymous categories of :class:`knowledge.usage.counts.UsageKey` are
held, never message text or postcodes.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import Counter as CounterDict
from contextlib import suppress
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from knowledge.usage.counts import UsageKey, add_counts

log = logging.getLogger("navigator.usage")


class UsageBuffer:
    """Counts waiting to be written; safe to add to from any thread."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._pending: CounterDict[UsageKey] = CounterDict()
        self._lock = threading.Lock()

    def add(self, key: UsageKey) -> None:
        with self._lock:
            self._pending[key] += 1

    def flush(self) -> None:
        """Write what is pending; on a database error keep it for the next try."""
        with self._lock:
            batch, self._pending = self._pending, CounterDict()
        if not batch:
            return
        try:
            with Session(self._engine) as session:
                add_counts(session, batch)
        except SQLAlchemyError:
            log.exception("could not record usage counts; will retry")
            with self._lock:
                self._pending.update(batch)

    async def flush_every(self, seconds: float) -> None:
        """Flush in the background until cancelled, then once more."""
        try:
            while True:
                await asyncio.sleep(seconds)
                await asyncio.to_thread(self.flush)
        finally:
            with suppress(Exception):
                self.flush()


def get_usage_buffer(request: Request) -> UsageBuffer:
    buffer: UsageBuffer = request.app.state.usage
    return buffer


UsageBufferDep = Annotated[UsageBuffer, Depends(get_usage_buffer)]

