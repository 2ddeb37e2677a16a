"""The Redis endpoints file: numbers where Rasa needs numbers, bounded expiry."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest

from serving import redis_endpoints
from serving.redis_endpoints import (
    ProductionRedisError,
    check_production,
    endpoints_yaml,
    expiry_seconds,
)


def test_redis_url_becomes_tracker_and_lock_stores_with_expiry() -> None:
    config = json.loads(endpoints_yaml("redis://:pw@10.0.0.5:6380/2", "http://a/webhook", 86400))
    assert config["tracker_store"] == {
        "type": "serving.redis_store.CappedRedisTrackerStore",
        "url": "10.0.0.5", "port": 6380, "db": 2, "password": "pw",
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


def test_production_refuses_a_redis_without_a_password() -> None:
    with pytest.raises(ProductionRedisError, match="in production REDIS_URL must carry a password"):
        check_production("redis://10.0.0.5:6379/0", "production")
    with pytest.raises(ProductionRedisError):
        check_production("rediss://user@10.0.0.5:6379/0", "Production")
    assert check_production("redis://10.0.0.5:6379/0", "development") is None
    assert check_production("rediss://:s3cret@10.0.0.5:6379/0", "production") is None
    assert check_production("redis://:s3cret@127.0.0.1:6379/0", "production") is None
    warning = check_production("redis://:s3cret@10.0.0.5:6379/0", "production")
    assert warning and "rediss://" in warning


def test_the_bot_does_not_start_in_production_without_a_redis_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("REDIS_URL", "redis://10.0.0.5:6379/0")
    out = tmp_path / "endpoints.yml"
    assert redis_endpoints.main(["redis_endpoints", str(out)]) == 2
    assert not out.exists()
    assert "bot-serve: in production REDIS_URL must carry a password" in capsys.readouterr().err


def test_tls_and_an_acl_user_reach_both_stores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_SSL_CA_CERTS", "/etc/ssl/certs/ca-certificates.crt")
    config = json.loads(endpoints_yaml("rediss://nav:pw@redis.internal:6380/1", "http://a", 600))
    for store in (config["tracker_store"], config["lock_store"]):
        assert store["use_ssl"] is True and store["username"] == "nav"
        assert store["password"] == "pw"
        assert store["ssl_ca_certs"] == "/etc/ssl/certs/ca-certificates.crt"


def test_the_redis_store_caps_a_long_conversation() -> None:
    """serving.redis_store against the real Redis (db 3, its own key prefix)."""
    import redis
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from serving.redis_store import CappedRedisTrackerStore
    from serving.tracker_cap import user_texts

    domain = Domain.from_directory(str(Path(__file__).resolve().parents[2] / "domain"))
    prefix = f"captest{os.getpid()}"
    store = CappedRedisTrackerStore(
        domain, host="127.0.0.1", port=6379, db=3, record_exp=600, key_prefix=prefix,
        max_events=60, max_bytes=20_000,
    )
    tracker = DialogueStateTracker("long", slots=domain.slots)
    tracker.update(ActionExecuted("action_listen"))
    for turn in range(40):
        tracker.update(UserUttered(f"turn {turn}", {"name": "describe_case", "confidence": 1.0}))
        tracker.update(SlotSet("age", f"{turn} weeks old"))
        tracker.update(ActionExecuted("action_listen"))
    client = redis.StrictRedis(host="127.0.0.1", port=6379, db=3)
    try:
        asyncio.run(store.save(tracker))
        kept = asyncio.run(store.retrieve("long"))
        assert kept is not None and len(kept.events) <= 60
        assert "turn 0" not in user_texts(kept) and user_texts(kept)[-1] == "turn 39"
        assert kept.get_slot("age") == "39 weeks old"
        (key,) = client.keys(f"{prefix}*")
        assert 0 < client.ttl(key) <= 600
    finally:
        keys = client.keys(f"{prefix}*")
        if keys:
            client.delete(*keys)


def test_the_key_prefix_is_configurable_and_alphanumeric() -> None:
    assert redis_endpoints.key_prefix(None) == "navigator"
    assert redis_endpoints.key_prefix("navstaging") == "navstaging"
    with pytest.raises(ValueError, match="REDIS_KEY_PREFIX"):
        redis_endpoints.key_prefix("nav:staging")
    config = json.loads(endpoints_yaml("redis://127.0.0.1/0", "http://a", 600, "navstaging"))
    assert config["tracker_store"]["key_prefix"] == config["lock_store"]["key_prefix"]
