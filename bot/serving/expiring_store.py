"""ExpiringInMemoryTrackerStore: in-memory conversations that expire.

Rasa's own in-memory tracker store keeps every conversation until the
process stops, which for a long-running server means indefinitely. The
navigator promises conversations that expire (at most a day by default), as
the Redis store does with ``record_exp``, so this store forgets a
conversation not updated for ``TRACKER_EXPIRY_SECONDS`` (default 86400).

Expired conversations are swept on every save and retrieve. Conversations
are kept in order of their last update, so a sweep only looks at the ones
that have expired (plus one), however many are live.

Configured in bot/endpoints.yml::

    tracker_store:
      type: serving.expiring_store.ExpiringInMemoryTrackerStore
"""

from __future__ import annotations

import logging
import os
import time
from collections import OrderedDict
from typing import Any, Callable, Iterable, Optional, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from serving.redis_endpoints import expiry_seconds

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
        **kwargs: Any,
    ) -> None:
        """``record_exp`` (seconds) wins over the TRACKER_EXPIRY_SECONDS
        environment variable; ``host`` is passed by Rasa for custom stores and
        means nothing in memory."""
        super().__init__(domain, event_broker, **kwargs)
        text = str(record_exp) if record_exp is not None else os.environ.get(
            "TRACKER_EXPIRY_SECONDS"
        )
        self.expiry_seconds = expiry_seconds(text)
        self._clock = clock
        # sender_id -> time of the last save, oldest first.
        self._updated: "OrderedDict[Text, float]" = OrderedDict()

    def sweep(self) -> int:
        """Forget every conversation not updated within the expiry; return how many."""
        cutoff = self._clock() - self.expiry_seconds
        dropped = 0
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
        await super().save(tracker)
        self._updated.pop(tracker.sender_id, None)
        self._updated[tracker.sender_id] = self._clock()

    async def _retrieve(
        self, sender_id: Text, fetch_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        # retrieve() and retrieve_full_tracker() both come through here.
        self.sweep()
        return await super()._retrieve(sender_id, fetch_all_sessions)

    async def keys(self) -> Iterable[Text]:
        self.sweep()
        return list(self.store.keys())
