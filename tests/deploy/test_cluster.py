"""The production-shaped stack of `make run-cluster` (scripts/run-cluster.sh):
HAProxy in front of two api instances on PostgreSQL and two Rasa instances
sharing Redis, on free ports. A conversation goes through the balancer, one
api instance is killed and the next turns still succeed, and stopping the
script leaves no process behind."""

from __future__ import annotations

import csv
import io
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.stack import PROJECT_ROOT, free_port, require_bot

pytestmark = [pytest.mark.slow, pytest.mark.bot, pytest.mark.postgres]

SCRIPT = PROJECT_ROOT / "scripts" / "run-cluster.sh"
READY_LINE = "Navigator cluster ready"
HAPROXY_NOT_INSTALLABLE = 3  # run-cluster.sh's exit status when apt-get cannot install it
START_SECONDS = 600.0
COOKIE = "navigator_conversation"


@dataclass
class Cluster:
    process: subprocess.Popen[bytes]
    url: str
    stats_url: str
    workdir: Path

    def output(self) -> str:
        return (self.workdir / "run-cluster.out").read_text(errors="replace")

    def pid(self, name: str) -> int:
        return int((self.workdir / "run" / f"{name}.pid").read_text())

    def log(self, name: str) -> str:
        return (self.workdir / "logs" / f"{name}.log").read_text(errors="replace")

    def server_status(self, backend: str, server: str) -> str:
        """HAProxy's view of one server (UP, DOWN, ...) from its CSV status page."""
        text = httpx.get(f"{self.stats_url};csv", timeout=5).text.lstrip("# ")
        for row in csv.DictReader(io.StringIO(text)):
            if row["pxname"] == backend and row["svname"] == server:
                return row["status"]
        raise AssertionError(f"{backend}/{server} not on HAProxy's status page:\n{text}")


def descendants(root: int) -> set[int]:
    """Every process below ``root`` (from /proc), whatever its session."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with suppress(OSError):
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry.name))
    found: set[int] = set()
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def stop_everything(cluster: Cluster) -> None:
    """The fixture's last resort: the script, then whatever it recorded."""
    if cluster.process.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(cluster.process.pid, signal.SIGTERM)
        try:
            cluster.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(cluster.process.pid, signal.SIGKILL)
            cluster.process.wait(timeout=10)
    for pid_file in (cluster.workdir / "run").glob("*.pid"):
        with suppress(ProcessLookupError, ValueError):
            os.killpg(int(pid_file.read_text()), signal.SIGKILL)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    require_bot()
    workdir = tmp_path_factory.mktemp("cluster")
    port, stats_port = free_port(), free_port()
    env = {
        **os.environ,
        "CLUSTER_PORT": str(port),
        "CLUSTER_RASA_PORT": str(free_port()),
        "CLUSTER_STATS_PORT": str(stats_port),
        "CLUSTER_API_PORT_1": str(free_port()),
        "CLUSTER_API_PORT_2": str(free_port()),
        "CLUSTER_RASA_PORT_1": str(free_port()),
        "CLUSTER_RASA_PORT_2": str(free_port()),
        "CLUSTER_ACTION_PORT": str(free_port()),
        "CLUSTER_DIR": str(workdir),
        "CLUSTER_DATABASE_URL": os.environ.get(
            "CLUSTER_TEST_DATABASE_URL",
            "postgresql+psycopg://postgres@127.0.0.1:5432/navigator_cluster_test",
        ),
        "REDIS_KEY_PREFIX": "navigatorclustertest",
        "READING_PREWARM": "false",  # a minute of CPU per api instance, not needed here
    }
    out = (workdir / "run-cluster.out").open("wb")
    process = subprocess.Popen(
        ["bash", str(SCRIPT)], cwd=PROJECT_ROOT, env=env, stdout=out,
        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
    )
    running = Cluster(
        process, f"http://127.0.0.1:{port}", f"http://127.0.0.1:{stats_port}/stats", workdir
    )
    try:
        deadline = time.monotonic() + START_SECONDS
        while READY_LINE not in running.output():
            status = process.poll()
            if status == HAPROXY_NOT_INSTALLABLE and shutil.which("haproxy") is None:
                pytest.skip(f"HAProxy cannot be installed here:\n{running.output()[-2000:]}")
            assert status is None, f"run-cluster.sh exited with {status}:\n{running.output()}"
            assert time.monotonic() < deadline, f"not ready in time:\n{running.output()}"
            time.sleep(1)
        yield running
    finally:
        stop_everything(running)
        out.close()


class Practitioner:
    """One practitioner's browser: it keeps the conversation cookie the server
    issues. The cookie is Secure (the api runs in production mode), which a
    cookie jar would not send back over plain http, so it is sent by hand."""

    def __init__(self, url: str) -> None:
        self.url = f"{url}/api/v1/chat"
        self.cookie: str | None = None

    def say(self, message: str) -> dict[str, Any]:
        headers = {"Cookie": f"{COOKIE}={self.cookie}"} if self.cookie else {}
        response = httpx.post(self.url, json={"message": message}, headers=headers, timeout=60)
        assert response.status_code == 200, response.text
        issued = response.cookies.get(COOKIE)
        if self.cookie is None:
            assert issued, "a new conversation gets its cookie"
            self.cookie = issued
        else:
            assert issued is None, "the same conversation goes on: no new cookie"
        reply: dict[str, Any] = response.json()
        return reply


def text_of(reply: dict[str, Any]) -> str:
    return "\n".join(m["text"] for m in reply["messages"])


@pytest.mark.timeout(1200)
def test_a_conversation_through_the_balancer_survives_losing_an_api_instance(
    cluster: Cluster,
) -> None:
    assert cluster.server_status("api", "api-1") == "UP"
    assert cluster.server_status("api", "api-2") == "UP"
    assert cluster.server_status("rasa", "rasa-1") == "UP"
    assert cluster.server_status("rasa", "rasa-2") == "UP"

    practitioner = Practitioner(cluster.url)
    reply = practitioner.say(
        "HV here: mum of a 4 month old in BD3 9LF can't bond with him, happy to refer")
    assert reply["asking"] == "safety_check", text_of(reply)
    # The answer to the check is understood whichever api and Rasa instance
    # takes it: the conversation lives in Redis, not in one process.
    reply = practitioner.say("/deny")
    recommendation = reply["recommendation"]
    assert recommendation is not None, text_of(reply)
    assert recommendation["age"]["months"] == 4
    assert recommendation["postcode"]["normalised"].startswith("BD3 9")
    assert "Little Minds Matter" in text_of(reply)
    # Round robin: both instances served this conversation's turns (the
    # first turn, the answer and the action server's own api calls).
    assert "POST /api/v1" in cluster.log("api-1"), cluster.log("api-1")[-2000:]
    assert "POST /api/v1" in cluster.log("api-2"), cluster.log("api-2")[-2000:]

    # One api instance dies without warning.
    api_1 = cluster.pid("api-1")
    os.killpg(api_1, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while alive(api_1) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(api_1)

    # Every request right after still succeeds: a refused connection is
    # redispatched to api-2 before the health check has even noticed.
    for _ in range(6):
        assert httpx.get(f"{cluster.url}/healthz", timeout=10).status_code == 200
    someone_else = Practitioner(cluster.url)
    reply = someone_else.say("14 month old in BD7 2, is this family eligible for lmm?")
    assert reply["messages"], "the new conversation is answered"
    # The first conversation goes on (same cookie, answered) on what is left.
    reply = practitioner.say("what does home-start do?")
    assert reply["messages"], "the conversation goes on"

    # The health checks take api-1 out of the rotation.
    deadline = time.monotonic() + 15
    while cluster.server_status("api", "api-1") != "DOWN" and time.monotonic() < deadline:
        time.sleep(0.5)
    assert cluster.server_status("api", "api-1") == "DOWN"
    assert cluster.server_status("api", "api-2") == "UP"
    assert "api-1" in cluster.output() and "stopped" in cluster.output()

    # SIGTERM (what Ctrl-C does) stops everything the script started.
    started = descendants(cluster.process.pid)
    recorded = {int(p.read_text()) for p in (cluster.workdir / "run").glob("*.pid")}
    assert recorded - {api_1} <= started, "every instance is the script's own child"
    os.kill(cluster.process.pid, signal.SIGTERM)
    cluster.process.wait(timeout=90)
    assert "==> Stopped" in cluster.output()
    left = sorted(pid for pid in started | recorded if alive(pid))
    assert left == [], f"processes left running: {left}"
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{cluster.url}/healthz", timeout=3)
