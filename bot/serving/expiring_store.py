"""ExpiringInMemoryTrackerStore: in-memory conversations that expire.

Rasa's own in-memory tracker store keeps every conversation until the
process stops, which for a long-running server means indefinitely. The
navigator promises conversations that expire (at most a day by default), as
the Redis store does with ``record_exp``, so this store forgets a
conversation not updated for ``TRACKER_EXPIRY_SECONDS`` (default 86400).

Expired conversations are swept on every save and retrieve, and by a
background timer every ``TRACKER_SWEEP_SECONDS`` (default 60, at most the
expiry), so a conversation nobody touches again is still forgotten on time.
Conversations are kept in order of their last update, so a sweep only looks
at the ones that have expired (plus one), however many are live.

Each conversation is also capped (serving.tracker_cap: TRACKER_MAX_EVENTS,
TRACKER_MAX_BYTES): the oldest turns are dropped, the case so far is kept.

Configured in bot/endpoints.yml::

    tracker_store:
      type: serving.expiring_store.ExpiringInMemoryTrackerStore
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from typing import Any, Callable, Iterable, Optional, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import (
    DialogueStateTracker,
    get_trackers_for_conversation_sessions,
)

from serving.redis_endpoints import expiry_seconds
from serving.tracker_cap import caps_from_environment, capped

DEFAULT_SWEEP_SECONDS = 60.0

logger = logging.getLogger(__name__)


class ExpiringInMemoryTrackerStore(InMemoryTrackerStore):
    """Rasa's in-memory tracker store, forgetting idle conversations."""

    def __init__(
        self,
        domain: Domain,
        host: Optional[Text] = None,
        event_broker: Optional[EventBroker] = None,
        record_exp: Optional[Any] = None,
        clock: Callable[[], float] = time.monotonic,
        sweep_seconds: Optional[float] = None,
        max_events: Optional[int] = None,
        max_bytes: Optional[int] = None,
        **kwargs: Any,
    ) -> None:
        """``record_exp`` (seconds) wins over the TRACKER_EXPIRY_SECONDS
        environment variable, ``sweep_seconds`` over TRACKER_SWEEP_SECONDS,
        ``max_events``/``max_bytes`` over TRACKER_MAX_EVENTS/TRACKER_MAX_BYTES;
        ``host`` is passed by Rasa for custom stores and means nothing in memory."""
        super().__init__(domain, event_broker, **kwargs)
        text = str(record_exp) if record_exp is not None else os.environ.get(
            "TRACKER_EXPIRY_SECONDS"
        )
        self.expiry_seconds = expiry_seconds(text)
        self._clock = clock
        # sender_id -> time of the last save, oldest first.
        self._updated: "OrderedDict[Text, float]" = OrderedDict()
        # The timer thread and Rasa's event loop both change the store.
        self._lock = threading.RLock()
        env_events, env_bytes = caps_from_environment()
        self.max_events = max_events or env_events
        self.max_bytes = max_bytes or env_bytes
        if sweep_seconds is None:
            sweep_seconds = float(os.environ.get("TRACKER_SWEEP_SECONDS") or DEFAULT_SWEEP_SECONDS)
        self.sweep_seconds = min(max(sweep_seconds, 0.01), float(self.expiry_seconds))
        self._stopped = threading.Event()
        self._timer = threading.Thread(
            target=self._sweep_on_a_timer, name="tracker-expiry", daemon=True
        )
        self._timer.start()

    def _sweep_on_a_timer(self) -> None:
        while not self._stopped.wait(self.sweep_seconds):
            try:
                self.sweep()
            except Exception:  # noqa: BLE001 - the timer must outlive one bad sweep
                logger.exception("Sweeping expired conversations failed")

    def close(self) -> None:
        """Stop the background timer (tests; the process ending stops it too)."""
        self._stopped.set()
        self._timer.join(timeout=5)

    def sweep(self) -> int:
        """Forget every conversation not updated within the expiry; return how many."""
        cutoff = self._clock() - self.expiry_seconds
        dropped = 0
        with self._lock:
            while self._updated:
                sender_id, updated = next(iter(self._updated.items()))
                if updated > cutoff:
                    break
                del self._updated[sender_id]
                self.store.pop(sender_id, None)
                dropped += 1
        if dropped:
            logger.debug(
                "Forgot %d conversation(s) idle for over %ds", dropped, self.expiry_seconds
            )
        return dropped

    async def save(self, tracker: DialogueStateTracker) -> None:
        self.sweep()
        tracker = capped(tracker, self.domain, self.max_events, self.max_bytes)
        await self.stream_events(tracker)
        serialised = self.serialise_tracker(tracker)
        with self._lock:
            self.store[tracker.sender_id] = serialised
            self._updated.pop(tracker.sender_id, None)
            self._updated[tracker.sender_id] = self._clock()

    async def _retrieve(
        self, sender_id: Text, fetch_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        # retrieve() and retrieve_full_tracker() both come through here.
        self.sweep()
        with self._lock:
            stored = self.store.get(sender_id)
        if stored is None:
            return None
        tracker = self.deserialise_tracker(sender_id, stored)
        if tracker is None or fetch_all_sessions:
            return tracker
        sessions = get_trackers_for_conversation_sessions(tracker)
        return sessions[-1] if len(sessions) > 1 else tracker

    async def keys(self) -> Iterable[Text]:
        self.sweep()
        with self._lock:
            return list(self.store.keys())
