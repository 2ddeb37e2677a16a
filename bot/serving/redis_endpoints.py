"""Write an endpoints file that keeps conversations in Redis.

Rasa's ``${VAR}`` substitution yields strings, but the Redis stores need a
number for the expiry, so scripts/bot-serve.sh generates this file from
``REDIS_URL`` instead of substituting into a template.

Usage: python -m serving.redis_endpoints OUTPUT_PATH
Environment: REDIS_URL (redis://[:password@]host[:port][/db]),
ACTION_ENDPOINT_URL, TRACKER_EXPIRY_SECONDS (default 86400, at most 7 days).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Dict, Union
from urllib.parse import urlparse

DEFAULT_EXPIRY_SECONDS = 86400
MAX_EXPIRY_SECONDS = 7 * 86400


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
        "password": parsed.password,
        "use_ssl": parsed.scheme == "rediss",
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


def endpoints_yaml(redis_url: str, action_url: str, expiry: int) -> str:
    """The endpoints file; JSON is valid YAML, so no YAML writer is needed."""
    redis = {k: v for k, v in redis_settings(redis_url).items() if v is not None}
    config = {
        "action_endpoint": {"url": action_url},
        "tracker_store": {"type": "redis", **redis, "record_exp": expiry,
                          "key_prefix": "navigator"},
        "lock_store": {"type": "redis", **redis, "key_prefix": "navigator"},
    }
    return json.dumps(config, indent=2) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m serving.redis_endpoints OUTPUT_PATH", file=sys.stderr)
        return 2
    try:
        text = endpoints_yaml(
            os.environ["REDIS_URL"],
            os.environ.get("ACTION_ENDPOINT_URL", "http://127.0.0.1:5055/webhook"),
            expiry_seconds(os.environ.get("TRACKER_EXPIRY_SECONDS")),
        )
    except ValueError as error:
        print(f"bot-serve: {error}", file=sys.stderr)
        return 2
    with open(argv[1], "w", encoding="utf-8") as handle:
        handle.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
