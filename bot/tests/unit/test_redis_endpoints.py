"""The Redis endpoints file: numbers where Rasa needs numbers, bounded expiry."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest

from serving.redis_endpoints import endpoints_yaml, expiry_seconds


def test_redis_url_becomes_tracker_and_lock_stores_with_expiry() -> None:
    config = json.loads(endpoints_yaml("redis://:pw@10.0.0.5:6380/2", "http://a/webhook", 86400))
    assert config["tracker_store"] == {
        "type": "redis", "url": "10.0.0.5", "port": 6380, "db": 2, "password": "pw",
        "use_ssl": False, "record_exp": 86400, "key_prefix": "navigator",
    }
    assert config["lock_store"]["type"] == "redis" and config["lock_store"]["port"] == 6380
    assert config["action_endpoint"] == {"url": "http://a/webhook"}


def test_expiry_defaults_to_a_day_and_refuses_nonsense() -> None:
    assert expiry_seconds(None) == 86400
    assert expiry_seconds("3600") == 3600
    for bad in ("0", "-5", "forever", "99999999"):
        with pytest.raises(ValueError, match="TRACKER_EXPIRY_SECONDS"):
            expiry_seconds(bad)


def test_a_non_redis_url_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="redis://"):
        endpoints_yaml("http://localhost:6379", "http://a/webhook", 60)


def test_rasa_keeps_conversations_in_redis_for_at_most_the_expiry(tmp_path: Path) -> None:
    """Rasa itself reads the generated file and stores a conversation that
    Redis will expire (needs Redis on 127.0.0.1:6379, as on the dev/CI machine)."""
    import redis
    from rasa.core.lock_store import LockStore, RedisLockStore
    from rasa.core.tracker_store import TrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import read_endpoint_config

    path = tmp_path / "endpoints.yml"
    path.write_text(endpoints_yaml("redis://127.0.0.1:6379/3", "http://a/webhook", 3600))
    store = TrackerStore.create(read_endpoint_config(str(path), "tracker_store"), Domain.empty())
    lock_store = LockStore.create(read_endpoint_config(str(path), "lock_store"))
    assert isinstance(lock_store, RedisLockStore)

    sender = f"expiry-test-{os.getpid()}"
    tracker = DialogueStateTracker(sender, [])
    tracker.update(UserUttered("hello"))
    asyncio.run(store.save(tracker))
    client = redis.StrictRedis(host="127.0.0.1", port=6379, db=3)
    keys = [k for k in client.keys("navigator*") if sender.encode() in k]
    assert keys, "the conversation is in Redis"
    assert all(0 < client.ttl(k) <= 3600 for k in keys)
    client.delete(*keys)
