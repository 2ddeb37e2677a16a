"""Write an endpoints file that keeps conversations in Redis.

Rasa's ``${VAR}`` substitution yields strings, but the Redis stores need a
number for the expiry, so scripts/bot-serve.sh generates this file from
``REDIS_URL`` instead of substituting into a template.

Usage: python -m serving.redis_endpoints OUTPUT_PATH
Environment: REDIS_URL (redis://[:password@]host[:port][/db], or rediss://
for TLS), REDIS_SSL_CA_CERTS (a CA bundle for rediss://, optional),
ACTION_ENDPOINT_URL, TRACKER_EXPIRY_SECONDS (default 86400, at most 7 days),
REDIS_KEY_PREFIX (default "navigator"), ENVIRONMENT.

Conversations hold what practitioners typed (redacted by the api), so with
ENVIRONMENT=production a REDIS_URL without a password is refused: the bot
does not start. TLS (``rediss://``) is supported and recommended whenever
Redis is not on the same machine. The tracker store is
serving.redis_store.CappedRedisTrackerStore: Rasa's Redis store with each
conversation capped (serving.tracker_cap).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Dict, Optional, Union
from urllib.parse import urlparse

DEFAULT_EXPIRY_SECONDS = 86400
MAX_EXPIRY_SECONDS = 7 * 86400


class ProductionRedisError(ValueError):
    """Redis settings not safe for production."""


def check_production(url: str, environment: Optional[str]) -> Optional[str]:
    """Refuse a Redis without a password in production; return a warning
    (or None) for one reached without TLS."""
    if (environment or "").strip().lower() != "production":
        return None
    parsed = urlparse(url)
    if not parsed.password:
        raise ProductionRedisError(
            "in production REDIS_URL must carry a password "
            "(rediss://:PASSWORD@host:6379/0, or redis:// on the same machine): "
            "conversations hold what practitioners typed. Set a password on Redis "
            "(requirepass, or an ACL user: rediss://USER:PASSWORD@host/0)."
        )
    if parsed.scheme != "rediss" and parsed.hostname not in ("127.0.0.1", "localhost", "::1"):
        return (
            f"REDIS_URL reaches {parsed.hostname} without TLS: use rediss:// so "
            "conversations are encrypted on the network."
        )
    return None


def redis_settings(url: str) -> Dict[str, Union[str, int, None]]:
    """Split a redis:// URL into the host, port, db and password Rasa expects."""
    parsed = urlparse(url)
    if parsed.scheme not in ("redis", "rediss"):
        raise ValueError(f"REDIS_URL must start with redis:// or rediss://, not {url!r}")
    db_text = parsed.path.lstrip("/") or "0"
    if not db_text.isdigit():
        raise ValueError(f"REDIS_URL's database must be a number, not {db_text!r}")
    return {
        "url": parsed.hostname or "127.0.0.1",
        "port": parsed.port or 6379,
        "db": int(db_text),
        "username": parsed.username or None,
        "password": parsed.password,
        "use_ssl": parsed.scheme == "rediss",
        "ssl_ca_certs": os.environ.get("REDIS_SSL_CA_CERTS") or None
        if parsed.scheme == "rediss" else None,
    }


def expiry_seconds(text: str | None) -> int:
    """The tracker expiry: conversations are not kept longer than needed."""
    if not text:
        return DEFAULT_EXPIRY_SECONDS
    if not text.isdigit() or not 60 <= int(text) <= MAX_EXPIRY_SECONDS:
        raise ValueError(
            f"TRACKER_EXPIRY_SECONDS must be a whole number of seconds from 60 to "
            f"{MAX_EXPIRY_SECONDS}, not {text!r}"
        )
    return int(text)


def key_prefix(text: Optional[str]) -> str:
    """REDIS_KEY_PREFIX (default "navigator"): letters and digits, as Rasa requires."""
    if not text:
        return "navigator"
    if not text.isalnum():
        raise ValueError(f"REDIS_KEY_PREFIX must be letters and digits only, not {text!r}")
    return text


def endpoints_yaml(
    redis_url: str, action_url: str, expiry: int, prefix: str = "navigator"
) -> str:
    """The endpoints file; JSON is valid YAML, so no YAML writer is needed."""
    redis = {k: v for k, v in redis_settings(redis_url).items() if v is not None}
    config = {
        "action_endpoint": {"url": action_url},
        "tracker_store": {"type": "serving.redis_store.CappedRedisTrackerStore", **redis,
                          "record_exp": expiry, "key_prefix": prefix},
        "lock_store": {"type": "redis", **redis, "key_prefix": prefix},
    }
    return json.dumps(config, indent=2) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m serving.redis_endpoints OUTPUT_PATH", file=sys.stderr)
        return 2
    try:
        warning = check_production(
            os.environ.get("REDIS_URL", ""), os.environ.get("ENVIRONMENT")
        )
        if warning:
            print(f"bot-serve: warning: {warning}", file=sys.stderr)
        text = endpoints_yaml(
            os.environ["REDIS_URL"],
            os.environ.get("ACTION_ENDPOINT_URL", "http://127.0.0.1:5055/webhook"),
            expiry_seconds(os.environ.get("TRACKER_EXPIRY_SECONDS")),
            key_prefix(os.environ.get("REDIS_KEY_PREFIX")),
        )
    except ValueError as error:
        print(f"bot-serve: {error}", file=sys.stderr)
        return 2
    with open(argv[1], "w", encoding="utf-8") as handle:
        handle.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
