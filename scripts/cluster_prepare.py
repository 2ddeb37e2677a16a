"""Check (and prepare) what scripts/run-cluster.sh needs before it starts
anything: PostgreSQL answering with its database created, Redis answering.

Usage:
    .venv/bin/python scripts/cluster_prepare.py postgres DATABASE_URL
        exit 0 when the server answers (the database is created if missing),
        1 with a message saying what is needed otherwise
    .venv/bin/python scripts/cluster_prepare.py redis REDIS_URL
        exit 0 when Redis answers PING, 1 otherwise
    .venv/bin/python scripts/cluster_prepare.py wait NAME URL PID [TIMEOUT] [--chat]
        poll URL until it answers 200 (with --chat: POST a "help" turn to Rasa's
        REST webhook, which answers only once the model is loaded and the action
        server reachable); exit 1 when process PID exits or TIMEOUT (300 s) passes
"""

from __future__ import annotations

import os
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
import redis
from psycopg import sql


def _libpq_url(url: str) -> str:
    """SQLAlchemy's postgresql+psycopg://... as libpq reads it."""
    parts = urlsplit(url)
    return urlunsplit(("postgresql", parts.netloc, parts.path, parts.query, ""))


def prepare_postgres(url: str) -> int:
    parts = urlsplit(_libpq_url(url))
    database = parts.path.lstrip("/")
    if not database:
        print(f"run-cluster: DATABASE_URL names no database: {url}", file=sys.stderr)
        return 1
    server = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
    try:
        with psycopg.connect(server, autocommit=True, connect_timeout=3) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
            ).fetchone()
            if exists is None:
                print(f"run-cluster: creating the PostgreSQL database {database}")
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    except psycopg.Error as error:
        host = parts.hostname or "127.0.0.1"
        print(
            f"run-cluster: PostgreSQL is needed at {host}:{parts.port or 5432} "
            f"({str(error).strip()}).\n"
            "  Start it (Debian: apt-get install -y postgresql && service postgresql start; "
            "this script connects as the postgres user with trust auth on 127.0.0.1), or set "
            "CLUSTER_DATABASE_URL=postgresql+psycopg://USER:PASSWORD@HOST:5432/DB "
            "to a server you have.",
            file=sys.stderr,
        )
        return 1
    return 0


def check_redis(url: str) -> int:
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
        client.close()
    except redis.RedisError:
        return 1
    return 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie has exited: its parent has not collected it yet.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_ready(name: str, url: str, pid: int, timeout: float, chat: bool) -> int:
    deadline = time.monotonic() + timeout
    last = "no answer yet"
    while time.monotonic() < deadline:
        if not _alive(pid):
            print(f"run-cluster: {name} exited while starting", file=sys.stderr)
            return 1
        try:
            if chat:
                response = httpx.post(
                    url, json={"sender": f"run-cluster-warmup-{name}", "message": "help"},
                    timeout=30,
                )
                if response.status_code == 200 and response.json():
                    return 0
            else:
                response = httpx.get(url, timeout=5)
                if response.status_code == 200:
                    return 0
            last = f"HTTP {response.status_code}"
        except (httpx.HTTPError, ValueError) as error:
            last = str(error) or type(error).__name__
        time.sleep(0.5)
    print(f"run-cluster: {name} not ready at {url} after {timeout:.0f}s ({last})", file=sys.stderr)
    return 1


def main(argv: list[str]) -> int:
    if len(argv) >= 5 and argv[1] == "wait":
        rest = [a for a in argv[5:] if a != "--chat"]
        timeout = float(rest[0]) if rest else 300.0
        return wait_ready(argv[2], argv[3], int(argv[4]), timeout, "--chat" in argv[5:])
    if len(argv) != 3 or argv[1] not in ("postgres", "redis"):
        print(__doc__, file=sys.stderr)
        return 2
    return prepare_postgres(argv[2]) if argv[1] == "postgres" else check_redis(argv[2])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
