"""The Redis endpoints file: numbers where Rasa needs numbers, bounded expiry."""

from __future__ import annotations

import json

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
