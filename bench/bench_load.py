"""Load benchmark: how many practitioners the chat holds, and how it fails
past that. Drives bench/locustfile.py with `locust --headless` (CSV output).

Capacity: steps up the number of concurrent practitioners (each pausing
LOAD_THINK_MIN..MAX, 5-20 s, between messages) and reports the largest number
held with p95 <= 1 s and no failed turn. Stress: practitioners with no think
time, reporting refusals (429 over a rate limit, 503 the chat's back-pressure)
apart from other failures (other 5xx, connection errors, wrong answers).

Targets: `run` (the `make run` stack, http://127.0.0.1:8000) or `cluster`
(`make run-cluster`, http://127.0.0.1:8080), already running; or with
--start the script is started here on free ports (a temporary database for
`run`; the machine's PostgreSQL and Redis for `cluster`) and stopped after.
Prints figures; not a test.

    .venv/bin/python bench/bench_load.py --start                    # make run shape
    .venv/bin/python bench/bench_load.py --target cluster --start
    .venv/bin/python bench/bench_load.py --host http://127.0.0.1:8000 --mode stress
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
LOCUST = ROOT / ".venv" / "bin" / "locust"
DEFAULT_HOSTS = {"run": "http://127.0.0.1:8000", "cluster": "http://127.0.0.1:8080"}
P95_TARGET_MS = 1000.0


@dataclass
class Result:
    users: int
    seconds: int
    turns: int
    failures: int
    p50_ms: float
    p95_ms: float
    rps: float
    refused_429: int = 0
    refused_503: int = 0
    other_5xx: int = 0
    other_failures: int = 0
    other_errors: dict[str, int] = field(default_factory=dict)

    @property
    def held(self) -> bool:
        return self.turns > 0 and self.failures == 0 and self.p95_ms <= P95_TARGET_MS


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def run_locust(
    host: str, users: int, seconds: int, think: tuple[float, float], workdir: Path
) -> Result:
    prefix = workdir / f"u{users}-t{think[1]:g}"
    env = {**os.environ, "LOAD_THINK_MIN": str(think[0]), "LOAD_THINK_MAX": str(think[1])}
    spawn_rate = max(1.0, users / 10)
    subprocess.run(
        [str(LOCUST), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
         "--host", host, "-u", str(users), "-r", f"{spawn_rate:g}", "-t", f"{seconds}s",
         "--csv", str(prefix), "--only-summary", "--stop-timeout", "30",
         "--loglevel", "ERROR"],
        cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        timeout=seconds + 180,
    )
    with open(f"{prefix}_stats.csv", newline="") as handle:
        total = next(r for r in csv.DictReader(handle) if r["Name"] == "Aggregated")
    result = Result(
        users=users, seconds=seconds, turns=int(total["Request Count"]),
        failures=int(total["Failure Count"]), p50_ms=float(total["50%"] or 0),
        p95_ms=float(total["95%"] or 0), rps=float(total["Requests/s"] or 0),
    )
    with open(f"{prefix}_failures.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            count, error = int(row["Occurrences"]), row["Error"]
            if "refused 429" in error:
                result.refused_429 += count
            elif "refused 503" in error:
                result.refused_503 += count
            elif "HTTP 5" in error:
                result.other_5xx += count
            else:
                result.other_failures += count
                result.other_errors[error] = result.other_errors.get(error, 0) + count
    return result


def wait_ready(host: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    """Until a chat turn answers 200 through the whole stack."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the stack exited:\n{log.read_text(errors='replace')[-3000:]}")
        with suppress(httpx.HTTPError):
            response = httpx.post(f"{host}/api/v1/chat", json={"message": "help"}, timeout=30)
            if response.status_code == 200:
                return
        time.sleep(2)
    raise RuntimeError(f"the stack was not ready in {timeout:.0f}s:\n{log.read_text()[-3000:]}")


@contextmanager
def started(target: str, workdir: Path) -> Iterator[str]:
    """Start the target's script on free ports; stop it (and all it started) after."""
    port = free_port()
    if target == "run":
        command = ["bash", "scripts/run.sh"]
        env = {"PORT": str(port), "RASA_PORT": str(free_port()),
               "ACTION_PORT": str(free_port()), "DATA_DIR": str(workdir),
               "DATABASE_URL": f"sqlite:///{workdir / 'navigator.db'}"}
    else:
        command = ["bash", "scripts/run-cluster.sh"]
        env = {"CLUSTER_PORT": str(port), "CLUSTER_RASA_PORT": str(free_port()),
               "CLUSTER_STATS_PORT": str(free_port()),
               "CLUSTER_API_PORT_1": str(free_port()), "CLUSTER_API_PORT_2": str(free_port()),
               "CLUSTER_RASA_PORT_1": str(free_port()), "CLUSTER_RASA_PORT_2": str(free_port()),
               "CLUSTER_ACTION_PORT": str(free_port()), "CLUSTER_DIR": str(workdir / "cluster")}
    log = workdir / f"{target}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            # Serving is measured, not the corpus read in the background after a start.
            command, cwd=ROOT, env={**os.environ, "READING_PREWARM": "false", **env},
            stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
    host = f"http://127.0.0.1:{port}"
    try:
        print(f"starting {' '.join(command)} on {host} (log {log})", flush=True)
        wait_ready(host, process, log, 900)
        yield host
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def row(result: Result) -> str:
    return (
        f"{result.users:>6} {result.turns:>6} {result.rps:>6.1f} {result.p50_ms:>7.0f} "
        f"{result.p95_ms:>7.0f} {result.failures:>6} {result.refused_429:>5} "
        f"{result.refused_503:>5} {result.other_5xx:>5} {result.other_failures:>6}"
    )


def print_other_errors(result: Result) -> None:
    for error, count in sorted(result.other_errors.items()):
        print(f"         other failure x{count}: {error[:200]}")


HEADER = (
    f"{'users':>6} {'turns':>6} {'turn/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'failed':>6} "
    f"{'429':>5} {'503':>5} {'5xx':>5} {'other':>6}"
)


def capacity(host: str, steps: list[int], seconds: int, think: tuple[float, float],
             workdir: Path) -> None:
    print(f"\nCapacity: practitioners pausing {think[0]:g}-{think[1]:g} s, {seconds} s a step; "
          f"held = p95 <= {P95_TARGET_MS:.0f} ms and no failed turn")
    print(HEADER)
    held = 0
    for users in steps:
        result = run_locust(host, users, seconds, think, workdir)
        print(row(result) + ("" if result.held else "   <- not held"), flush=True)
        print_other_errors(result)
        if not result.held:
            break
        held = users
    print(f"largest number of practitioners held: {held}"
          + (" (every step held: try larger steps)" if held == steps[-1] else ""))


def stress(host: str, users: int, seconds: int, workdir: Path) -> None:
    print(f"\nStress: {users} senders with no think time for {seconds} s")
    print(HEADER)
    result = run_locust(host, users, seconds, (0.0, 0.0), workdir)
    print(row(result))
    print_other_errors(result)
    print(f"refusals (deliberate back-pressure): {result.refused_429} x 429, "
          f"{result.refused_503} x 503; other 5xx: {result.other_5xx}; "
          f"other failures (connection errors, wrong answers): {result.other_failures}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", choices=("run", "cluster"), default="run")
    parser.add_argument("--host", help="the navigator's URL (default: the target's port)")
    parser.add_argument("--start", action="store_true",
                        help="start the target's script on free ports and stop it after")
    parser.add_argument("--mode", choices=("capacity", "stress", "both"), default="both")
    parser.add_argument("--steps", default="10,25,50,100,200,400",
                        help="concurrent practitioners per capacity step")
    parser.add_argument("--step-seconds", type=int, default=60)
    parser.add_argument("--think", default="5,20", help="seconds between messages: MIN,MAX")
    parser.add_argument("--stress-users", type=int, default=20)
    parser.add_argument("--stress-seconds", type=int, default=60)
    args = parser.parse_args()
    think_min, think_max = (float(t) for t in args.think.split(","))
    steps = [int(s) for s in args.steps.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        workdir = Path(tmp)
        with (
            started(args.target, workdir) if args.start
            else nullhost(args.host or DEFAULT_HOSTS[args.target])
        ) as host:
            print(f"target: {args.target} at {host}")
            if args.mode in ("capacity", "both"):
                capacity(host, steps, args.step_seconds, (think_min, think_max), workdir)
            if args.mode in ("stress", "both"):
                stress(host, args.stress_users, args.stress_seconds, workdir)
    return 0


@contextmanager
def nullhost(host: str) -> Iterator[str]:
    try:
        httpx.get(f"{host}/healthz", timeout=5).raise_for_status()
    except httpx.HTTPError as error:
        sys.exit(f"bench_load: nothing answers at {host} ({error}): start it "
                 "(make run / make run-cluster) or pass --start")
    yield host


if __name__ == "__main__":
    sys.exit(main())
