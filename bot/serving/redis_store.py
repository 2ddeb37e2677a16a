"""Rasa's Redis tracker store with each conversation capped in size.

The same as Rasa's ``redis`` tracker store (record_exp, key prefix, password,
TLS with ``use_ssl`` and optional CA/certificate files), plus the cap of
serving.tracker_cap applied on every save after Rasa merges the stored and
the new events. serving.redis_endpoints names it in the endpoints file::

    tracker_store:
      type: serving.redis_store.CappedRedisTrackerStore
"""

from __future__ import annotations

from typing import Any, Optional, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import RedisTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from serving.tracker_cap import caps_from_environment, capped


class CappedRedisTrackerStore(RedisTrackerStore):
    def __init__(
        self,
        domain: Domain,
        host: Text = "localhost",
        port: int = 6379,
        db: int = 0,
        username: Optional[Text] = None,
        password: Optional[Text] = None,
        event_broker: Optional[EventBroker] = None,
        record_exp: Optional[float] = None,
        key_prefix: Optional[Text] = None,
        use_ssl: bool = False,
        ssl_keyfile: Optional[Text] = None,
        ssl_certfile: Optional[Text] = None,
        ssl_ca_certs: Optional[Text] = None,
        max_events: Optional[int] = None,
        max_bytes: Optional[int] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            domain, host=host, port=int(port), db=int(db), username=username,
            password=password, event_broker=event_broker, record_exp=record_exp,
            key_prefix=key_prefix, use_ssl=bool(use_ssl), ssl_keyfile=ssl_keyfile,
            ssl_certfile=ssl_certfile, ssl_ca_certs=ssl_ca_certs, **kwargs,
        )
        env_events, env_bytes = caps_from_environment()
        self.max_events = int(max_events or env_events)
        self.max_bytes = int(max_bytes or env_bytes)

    async def save(
        self, tracker: DialogueStateTracker, timeout: Optional[float] = None
    ) -> None:
        """Rasa's save (stream, merge with what is stored, expire), capped."""
        await self.stream_events(tracker)
        if not timeout and self.record_exp:
            timeout = self.record_exp
        key = self.key_prefix + tracker.sender_id
        stored = self.red.get(key)
        if stored is not None:
            prior = self.deserialise_tracker(tracker.sender_id, stored)
            if prior is not None:
                tracker = self._merge_trackers(prior, tracker)
        tracker = capped(tracker, self.domain, self.max_events, self.max_bytes)
        self.red.set(key, self.serialise_tracker(tracker), ex=timeout)
