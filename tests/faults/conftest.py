"""The real navigator under faults: real processes on free ports, real HTTP,
real PostgreSQL and Redis.

One scratch PostgreSQL database serves every api process here (created at
the start, dropped afterwards). One stack serves the bot's fault tests
(started once per session):

- a private ``redis-server`` on a free port (the machine's Redis is never
  touched), holding both Rasa instances' tracker and lock store;
- the database, which this api reaches through a :class:`TcpProxy`, so a
  test can cut it off;
- the action server, two Rasa instances (each behind a proxy that shows
  which instance answered a turn) and the api, given both Rasa URLs.

A second api process (``busy_api``) runs with small back-pressure limits in
front of a slow stand-in for Rasa; it is also the other instance for the
publishing test. Each test leaves the stack able to answer (a killed Rasa
instance stays killed: the other one answers).
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from knowledge.db import make_engine
from tests.conftest import IN_CI, postgres_url
from tests.support.stack import (
    API_PYTHON,
    BOT_DIR,
    BOT_PYTHON,
    MODEL,
    PROJECT_ROOT,
    SHARED_READING,
    Stack,
    _start,
    _wait,
    free_port,
    require_bot,
)
from tests.support.tcp_proxy import TcpProxy

REDIS_SERVER = Path("/usr/bin/redis-server")
START_TIMEOUT_SECONDS = 240.0
# pytest-timeout counts fixture setup: the first test here starts two Rasa
# instances and two apis, which on a busy machine takes more than 300 s.
SETUP_TIMEOUT_SECONDS = 900
# The api's Rasa timeout in these tests: short, but far above a turn here.
RASA_TIMEOUT_SECONDS = 8.0
REFRESH_SECONDS = 1.0
# The busy api (back-pressure): a slow Rasa and small limits.
SLOW_TURN_SECONDS = 1.5
BUSY_MAX_IN_FLIGHT, BUSY_MAX_QUEUED, BUSY_QUEUE_WAIT_SECONDS = 2, 2, 1.0
BUSY_TIMEOUT_SECONDS = 10.0
BOT_ENV = {"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2",
           "SANIC_HOST": "127.0.0.1"}

Chat = Callable[[str], httpx.Response]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the tests on the bot's stack first, so the busy api (and the
    database's migrations) start while Rasa loads rather than before it."""
    here = Path(__file__).parent
    mine = [i for i, item in enumerate(items) if here in item.path.parents]
    ordered = sorted((items[i] for i in mine),
                     key=lambda item: "faults" not in getattr(item, "fixturenames", ()))
    for index, item in zip(mine, ordered, strict=True):
        items[index] = item


def kill(stack: Stack, name: str) -> None:
    """Kill a process and its group at once (SIGKILL: no clean shutdown)."""
    process = stack.processes.pop(name)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def kill_all(stack: Stack) -> None:
    for name in list(stack.processes):
        kill(stack, name)


@dataclass
class ScratchDatabase:
    name: str
    port: int = 5432

    def url(self, port: int | None = None) -> str:
        base = postgres_url().rpartition("/")[0]
        host = "127.0.0.1:5432" if port is None else f"127.0.0.1:{port}"
        return f"{base.rsplit('@', 1)[0]}@{host}/{self.name}"


def _admin(statement: str) -> None:
    engine = make_engine(postgres_url().rpartition("/")[0] + "/postgres")
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()


@contextmanager
def scratch_database() -> Iterator[ScratchDatabase]:
    """A new, empty PostgreSQL database, dropped afterwards (skipped without PostgreSQL)."""
    database = ScratchDatabase(f"navigator_faults_{secrets.token_hex(4)}")
    try:
        _admin(f'CREATE DATABASE "{database.name}"')
    except Exception as error:  # any failure means no PostgreSQL here
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI: {error}")
        pytest.skip(f"PostgreSQL not reachable: {error}")
    try:
        yield database
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')


def start_redis(stack: Stack, port: int, name: str = "redis") -> None:
    """A private redis-server on ``port`` (no persistence), ready when it answers PING."""
    if not REDIS_SERVER.exists():
        pytest.skip(f"{REDIS_SERVER} is not installed")
    _start(stack, name,
           [str(REDIS_SERVER), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--protected-mode", "yes"],
           stack.workdir, {})
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            if sock.recv(16).startswith(b"+PONG"):
                return
        time.sleep(0.1)
    raise RuntimeError(f"redis-server did not start:\n{stack.log(name)}")


def start_api(stack: Stack, name: str, port: int, env: dict[str, str]) -> str:
    """An api process (uvicorn) on ``port`` with ``env``; returns its URL once healthy."""
    url = f"http://127.0.0.1:{port}"
    _start(
        stack, name,
        [str(API_PYTHON), "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1",
         "--port", str(port), "--log-config", "api/logging.json", "--no-server-header"],
        PROJECT_ROOT,
        {"DATA_DIR": str(stack.workdir / name), "PYTHONPATH": str(PROJECT_ROOT),
         **SHARED_READING, "RASA_TIMEOUT_SECONDS": str(RASA_TIMEOUT_SECONDS),
         "KNOWLEDGE_REFRESH_SECONDS": str(REFRESH_SECONDS), **env},
    )
    _wait(stack, name, f"{url}/healthz", time.monotonic() + START_TIMEOUT_SECONDS)
    return url


@dataclass
class Faults:
    """The running stack and the handles to break it."""

    stack: Stack
    database: ScratchDatabase
    pg_proxy: TcpProxy
    rasa_proxies: dict[str, TcpProxy]
    redis_port: int
    action_port: int
    bot_env: dict[str, str] = field(default_factory=dict)

    def start_actions(self) -> None:
        _start(self.stack, "actions",
               [str(BOT_PYTHON), "-m", "serving.actions_main", "--actions", "actions",
                "--port", str(self.action_port)],
               BOT_DIR, self.bot_env)
        _wait(self.stack, "actions", f"{self.stack.action_url}/health",
              time.monotonic() + START_TIMEOUT_SECONDS)

    def start_redis(self) -> None:
        start_redis(self.stack, self.redis_port)


def _start_rasa(stack: Stack, name: str, port: int, endpoints: Path, env: dict[str, str]) -> None:
    _start(stack, name,
           [str(BOT_PYTHON), "-m", "serving.rasa_main", "run", "--model", str(MODEL),
            "--endpoints", str(endpoints), "--credentials", "credentials.yml",
            "--interface", "127.0.0.1", "--port", str(port)],
           BOT_DIR, env)


@pytest.fixture(scope="session")
def database() -> Iterator[ScratchDatabase]:
    """One scratch database for the session: every api process here uses it."""
    with scratch_database() as scratch:
        yield scratch


@pytest.fixture(scope="session")
def busy_api(database: ScratchDatabase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An api process with small back-pressure limits in front of a
    deliberately slow stand-in for Rasa (tests/support/slow_rasa.py); the
    first api to start, so it migrates and seeds the database."""
    stack = Stack(api_url="", rasa_url="", action_url="",
                  workdir=tmp_path_factory.mktemp("busy"))
    try:
        rasa_port = free_port()
        _start(stack, "slow-rasa",
               [str(API_PYTHON), "-m", "tests.support.slow_rasa", str(rasa_port),
                str(SLOW_TURN_SECONDS)],
               PROJECT_ROOT, {"PYTHONPATH": str(PROJECT_ROOT)})
        yield start_api(stack, "busy-api", free_port(), {
            "DATABASE_URL": database.url(),
            "RASA_URL": f"http://127.0.0.1:{rasa_port}",
            "RASA_TIMEOUT_SECONDS": str(BUSY_TIMEOUT_SECONDS),
            "RASA_MAX_IN_FLIGHT": str(BUSY_MAX_IN_FLIGHT),
            "RASA_MAX_QUEUED": str(BUSY_MAX_QUEUED),
            "RASA_QUEUE_WAIT_SECONDS": str(BUSY_QUEUE_WAIT_SECONDS),
        })
    finally:
        stack.stop_all()


@pytest.fixture(scope="session")
def faults(
    database: ScratchDatabase, request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Faults]:
    require_bot()
    workdir = tmp_path_factory.mktemp("faults")
    with ExitStack() as cleanup:
        pg_proxy = cleanup.enter_context(TcpProxy(database.port))
        api_port, action_port, redis_port = free_port(), free_port(), free_port()
        rasa_ports = {"rasa-a": free_port(), "rasa-b": free_port()}
        proxies = {name: cleanup.enter_context(TcpProxy(port))
                   for name, port in rasa_ports.items()}
        stack = Stack(
            api_url=f"http://127.0.0.1:{api_port}",
            rasa_url=",".join(f"http://127.0.0.1:{p.port}" for p in proxies.values()),
            action_url=f"http://127.0.0.1:{action_port}",
            workdir=workdir,
        )
        cleanup.callback(kill_all, stack)  # quicker than Rasa's clean shutdown
        bot_env = {**BOT_ENV, "NAVIGATOR_API_URL": stack.api_url,
                   "ACTION_ENDPOINT_URL": f"{stack.action_url}/webhook"}
        found = Faults(stack, database, pg_proxy, proxies, redis_port, action_port, bot_env)
        found.start_redis()
        endpoints = workdir / "endpoints-redis.yml"
        subprocess.run(
            [str(BOT_PYTHON), "-m", "serving.redis_endpoints", str(endpoints)], cwd=BOT_DIR,
            env={**os.environ, **bot_env, "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0"},
            check=True, timeout=60,
        )
        _start(stack, "actions",
               [str(BOT_PYTHON), "-m", "serving.actions_main", "--actions", "actions",
                "--port", str(action_port)],
               BOT_DIR, bot_env)
        for name, port in rasa_ports.items():
            _start_rasa(stack, name, port, endpoints, bot_env)
        # While Rasa loads: the busy api, which migrates and seeds the database.
        request.getfixturevalue("busy_api")
        start_api(stack, "api", api_port,
                  {"DATABASE_URL": database.url(pg_proxy.port), "RASA_URL": stack.rasa_url})
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        _wait(stack, "actions", f"{stack.action_url}/health", deadline)
        for name, port in rasa_ports.items():
            _wait(stack, name, f"http://127.0.0.1:{port}/webhooks/rest/webhook", deadline, "POST")
        yield found


@pytest.fixture
def chat(faults: Faults) -> Iterator[Chat]:
    """Send messages as one new conversation (its own cookie jar); each call
    returns the api's response, whatever its status."""
    with httpx.Client(base_url=faults.stack.api_url, timeout=30) as browser:

        def send(message: str) -> httpx.Response:
            return browser.post("/api/v1/chat", json={"message": message})

        yield send


def text_of(body: dict[str, Any]) -> str:
    return "\n".join(m["text"] for m in body.get("messages") or [])
