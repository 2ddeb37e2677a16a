"""Start the real navigator stack for tests: the api, the action server and
the trained Rasa server, each on a free port, and stop all of them afterwards.

Used by tests/e2e (whole conversations through ``POST /api/v1/chat``), by the
browser tests and by bench/bench_chat.py::

    problem = bot_unavailable_reason()    # None when bot/.venv and the model exist
    with running_stack(tmp_dir) as stack:
        httpx.post(f"{stack.api_url}/api/v1/chat", json={...})
        stack.stop("rasa")                # e.g. to see the api's 503

Tests that need the bot are marked ``bot``: in CI a missing bot environment
fails them (``require_bot``), elsewhere they are skipped with the reason.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from knowledge.settings import get_database_settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BOT_DIR = PROJECT_ROOT / "bot"
BOT_PYTHON = BOT_DIR / ".venv" / "bin" / "python"
RASA = BOT_DIR / ".venv" / "bin" / "rasa"
MODEL = BOT_DIR / "models" / "navigator.tar.gz"
API_PYTHON = PROJECT_ROOT / ".venv" / "bin" / "python"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# Every api process started by a test reads its fitted similarity layer from the
# test run's own cache, so only the first fits it (half a minute each otherwise),
# and does not read the corpus in the background at start-up: a minute of CPU
# per process, which only the first publish check needs
# (tests/admin/test_publishing.py has an in-process app do it).
SHARED_READING = {
    "READING_CACHE_DIR": str(get_database_settings().reading_cache_dir),
    "READING_PREWARM": "false",
}
START_TIMEOUT_SECONDS = 240.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def train_bot() -> subprocess.CompletedProcess[str]:
    """Run scripts/bot-train.sh: installs bot/.venv if needed and retrains only
    when the training data changed (a hash stamp), so repeated runs are quick."""
    return subprocess.run(
        ["bash", str(PROJECT_ROOT / "scripts" / "bot-train.sh")],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=1500, check=False,
    )


def bot_unavailable_reason(train: bool = True) -> str | None:
    """Why the bot cannot run here, or None. Brings the model up to date first
    when the bot's environment exists (training is skipped when unchanged)."""
    if not RASA.exists():
        return "bot/.venv is missing: run scripts/bot-setup.sh (or the README's test command)"
    if train:
        result = train_bot()
        if result.returncode != 0:
            return "scripts/bot-train.sh failed:\n" + (result.stdout + result.stderr)[-3000:]
    if not MODEL.exists():
        return "bot/models/navigator.tar.gz is missing: run scripts/bot-train.sh"
    return None


def require_bot(train: bool = True) -> None:
    """Fail in CI, skip elsewhere, when the bot cannot run."""
    reason = bot_unavailable_reason(train)
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"the bot must run in CI: {reason}")
    print(f"skipping bot tests: {reason}")
    pytest.skip(reason)


@dataclass
class Stack:
    api_url: str
    rasa_url: str
    action_url: str
    workdir: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    # Set when Rasa's HTTP API is on (tests that read the tracker only).
    rasa_token: str | None = None

    def pids(self) -> list[int]:
        return [p.pid for p in self.processes.values() if p.poll() is None]

    def log(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def log_files(self) -> list[Path]:
        """Every process's stdout and stderr, one file each (``NAME.log``)."""
        return sorted(self.workdir.glob("*.log"))

    def stop(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is not None:
            _stop(process)

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a process and everything it started (its own process group)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def _start(
    stack: Stack, name: str, command: list[str], cwd: Path, env: dict[str, str]
) -> None:
    log = (stack.workdir / f"{name}.log").open("wb")
    stack.processes[name] = subprocess.Popen(
        command, cwd=cwd, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait(stack: Stack, name: str, ready: str, deadline: float, method: str = "GET") -> None:
    """Poll until the url answers 200 (for Rasa: the REST webhook, which only
    answers once the model is loaded and the action server reachable)."""
    last = ""
    while time.monotonic() < deadline:
        process = stack.processes[name]
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}:\n{stack.log(name)}")
        try:
            if method == "POST":
                # "help" runs a custom action: an answer proves the model is
                # loaded and the action server reachable.
                response = httpx.post(
                    ready, json={"sender": "stack-warmup", "message": "help"}, timeout=30
                )
                if response.status_code == 200 and response.json():
                    return
            else:
                response = httpx.get(ready, timeout=5)
                if response.status_code == 200:
                    return
            last = f"HTTP {response.status_code}"
        except httpx.HTTPError as error:
            last = str(error) or type(error).__name__
        time.sleep(0.5)
    raise RuntimeError(f"{name} not ready at {ready} ({last}):\n{stack.log(name)}")


# Benchmarks drive the stack far past the per-address rate limits (loopback
# is exempt by default; these keep the figures independent of that setting).
BENCH_LIMITS = {
    "RATE_LIMIT_CHAT": "100000/minute",
    "RATE_LIMIT_NEW_CONVERSATIONS": "100000/minute",
    "RATE_LIMIT_PARSE": "100000/minute",
    "RATE_LIMIT_RECOMMENDATIONS": "100000/minute",
    "RATE_LIMIT_POSTCODES": "100000/minute",
    "RATE_LIMIT_API": "100000/minute",
}


@contextmanager
def running_stack(
    workdir: Path,
    with_bot: bool = True,
    api_env: dict[str, str] | None = None,
    bot_env: dict[str, str] | None = None,
    redis_url: str | None = None,
    rasa_api_token: str | None = None,
) -> Iterator[Stack]:
    """The api (fresh SQLite database, seeded at start-up) and, unless
    ``with_bot`` is False, the action server and Rasa, all on 127.0.0.1.
    ``api_env`` adds settings for the api (``RATE_LIMIT_CHAT``, or a
    PostgreSQL ``DATABASE_URL``, say), ``bot_env`` for Rasa and the action
    server (``TRACKER_MAX_EVENTS``, say). ``redis_url`` keeps Rasa's tracker
    and locks in Redis (the endpoints file scripts/bot-serve.sh would write);
    ``rasa_api_token`` turns Rasa's HTTP API on with that token, so a test can
    read a tracker. Each process's output goes to ``workdir/NAME.log``."""
    workdir.mkdir(parents=True, exist_ok=True)
    api_port, rasa_port, action_port = free_port(), free_port(), free_port()
    stack = Stack(
        api_url=f"http://127.0.0.1:{api_port}",
        rasa_url=f"http://127.0.0.1:{rasa_port}",
        action_url=f"http://127.0.0.1:{action_port}",
        workdir=workdir,
        rasa_token=rasa_api_token,
    )
    extra_bot_env = bot_env or {}
    bot_env = {
        "NAVIGATOR_API_URL": stack.api_url,
        "ACTION_ENDPOINT_URL": f"{stack.action_url}/webhook",
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SANIC_HOST": "127.0.0.1",
        **extra_bot_env,
    }
    endpoints = "endpoints.yml"
    if redis_url is not None and with_bot:
        endpoints = str(workdir / "endpoints-redis.yml")
        subprocess.run(
            [str(BOT_PYTHON), "-m", "serving.redis_endpoints", endpoints], cwd=BOT_DIR,
            env={**os.environ, **bot_env, "REDIS_URL": redis_url}, check=True, timeout=60,
        )
    rasa_api = ["--enable-api", "--auth-token", rasa_api_token] if rasa_api_token else []
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    try:
        _start(
            stack, "api",
            [str(API_PYTHON), "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1",
             "--port", str(api_port), "--log-config", "api/logging.json",
             "--no-server-header"],
            PROJECT_ROOT,
            {"DATABASE_URL": f"sqlite:///{workdir / 'nav.db'}", "RASA_URL": stack.rasa_url,
             "DATA_DIR": str(workdir), "PYTHONPATH": str(PROJECT_ROOT), **SHARED_READING,
             **(api_env or {})},
        )
        if with_bot:
            _start(stack, "actions",
                   [str(BOT_PYTHON), "-m", "serving.actions_main", "--actions", "actions",
                    "--port", str(action_port)],
                   BOT_DIR, bot_env)
            _start(stack, "rasa",
                   [str(BOT_PYTHON), "-m", "serving.rasa_main", "run", "--model", str(MODEL),
                    "--endpoints", endpoints,
                    "--credentials", "credentials.yml", "--interface", "127.0.0.1",
                    "--port", str(rasa_port), *rasa_api],
                   BOT_DIR, bot_env)
        _wait(stack, "api", f"{stack.api_url}/healthz", deadline)
        if with_bot:
            _wait(stack, "actions", f"{stack.action_url}/health", deadline)
            _wait(stack, "rasa", f"{stack.rasa_url}/webhooks/rest/webhook", deadline, "POST")
        yield stack
    finally:
        stack.stop_all()


def _tree_sum(root_pid: int, measure: Callable[[Path, list[str]], float]) -> float:
    """``measure`` (given a /proc/<pid> folder and the fields of its stat line
    after the name) summed over a process and all its descendants."""
    children: dict[int, list[int]] = {}
    amount: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            amount[int(entry.name)] = measure(entry, fields)
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo = 0.0, [root_pid]
    while todo:
        pid = todo.pop()
        total += amount.get(pid, 0.0)
        todo.extend(children.get(pid, []))
    return total


def tree_rss_bytes(root_pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    page = os.sysconf("SC_PAGE_SIZE")
    return int(_tree_sum(
        root_pid, lambda entry, _: int((entry / "statm").read_text().split()[1]) * page))


def tree_cpu_seconds(root_pid: int) -> float:
    """CPU time (user + system) of a process and all its descendants, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    return _tree_sum(root_pid, lambda _, fields: (int(fields[11]) + int(fields[12])) / tick)
