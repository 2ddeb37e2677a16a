"""Where one chat turn's time goes: the api, Rasa, the action server and the
action server's calls back to the api, turn by turn.

Starts the `make run`-shaped stack (api, action server, trained Rasa, a fresh
SQLite database: tests/support/stack.py), with one timing proxy in this
process between Rasa and the action server (``ACTION_ENDPOINT_URL``) and
between the action server and the api (``NAVIGATOR_API_URL``). The proxy
keeps its connections to both alive and records when each call started and
ended. Then one sender at a time holds a few realistic conversations
through ``POST /api/v1/chat`` and, for each turn, prints:

- total: the turn as the client saw it;
- api: the api's own time before Rasa (reading the message with the engine;
  the chat endpoint's ``Server-Timing: read``);
- rasa: the api's wait for Rasa, action server calls included
  (``Server-Timing: rasa``);
- actions: Rasa's calls to the action server, how many and their time;
- ->api: the action server's calls to the api, how many and their time, by
  endpoint in the summary;

and, over all turns, the CPU time each process (api, Rasa, action server)
used per turn, which other work on the machine does not inflate as it does
the times.

The proxy adds a hop (about a millisecond) to every call it carries, so the
turn totals here are a little above what the stack does without it; run
with ``--no-proxy`` for the totals alone (and ``bench_bare_rasa.py`` for the
ratios). Each conversation is held ``--rounds`` times; the figures are
medians over the rounds (per turn) and over all turns (the summary).

Run: .venv/bin/python bench/bench_turn_breakdown.py [--rounds 5] [--show] [--no-proxy]
Prints figures; not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.cookiejar
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import tests.support.stack as stack_support
from tests.support.stack import (
    BENCH_LIMITS,
    bot_unavailable_reason,
    free_port,
    running_stack,
    tree_cpu_seconds,
)

COOKIE = "navigator_conversation"
# (label, message) per turn; each list is one conversation, as a health
# visitor or a volunteer would type it, answering what the bot asks.
CONVERSATIONS: list[tuple[str, list[tuple[str, str]]]] = [
    ("case in one message", [
        ("describe", "HV here, 4 month old in BD3 9, mum can't bond with him, "
                     "happy to be referred"),
        ("safety: none", "/deny"),
        ("how long", "since birth"),
    ]),
    ("case over the form", [
        ("describe", "baby is 6 wks, mum is really low and finding it hard to bond"),
        ("postcode", "bd39lf"),
        ("safety: none", "/deny"),
        ("who is asking", '/tell_role{"asker":"health_visitor_or_midwife"}'),
        ("how long", "about 2 months"),
        ("consent", "yes"),
    ]),
    ("eligibility", [
        ("ask", "is this family eligible for little minds matter?"),
        ("age", "14 months"),
        ("postcode", "BD7 2"),
    ]),
    ("service questions", [
        ("ask", "what does home-start do?"),
        ("ask", "how do I book a consultation"),
    ]),
    ("red flag after an opening", [
        ("describe", "HV here, 7 month old in BD8 and dad is struggling"),
        ("red flag", "mum said she has thought about harming the baby"),
    ]),
]

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
# Hop-by-hop or re-computed headers the proxy does not pass on.
DROPPED = {"host", "content-length", "transfer-encoding", "connection", "content-encoding",
           "keep-alive"}


@dataclass
class Call:
    hop: str  # "actions" or "api"
    path: str
    start: float
    end: float

    @property
    def ms(self) -> float:
        return (self.end - self.start) * 1000


class TimingProxy:
    """An ASGI app forwarding ``/webhook`` to the action server and anything
    else to the api, over kept-alive connections, recording each call."""

    def __init__(self, action_url: str, api_url: str) -> None:
        self.action_url = action_url
        self.api_url = api_url
        self.calls: list[Call] = []
        self._client: httpx.AsyncClient | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                else:
                    if self._client is not None:
                        await self._client.aclose()
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if self._client is None:
            self._client = httpx.AsyncClient(
                timeout=60, limits=httpx.Limits(max_keepalive_connections=50)
            )
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        path: str = scope["path"]
        hop = "actions" if path.startswith("/webhook") else "api"
        upstream = self.action_url if hop == "actions" else self.api_url
        query = scope.get("query_string", b"").decode()
        url = f"{upstream}{path}" + (f"?{query}" if query else "")
        headers = [(k.decode(), v.decode()) for k, v in scope["headers"]
                   if k.decode().lower() not in DROPPED]
        start = time.perf_counter()
        answer = await self._client.request(scope["method"], url, headers=headers, content=body)
        content = answer.content
        self.calls.append(Call(hop, path, start, time.perf_counter()))
        out = [(k.encode(), v.encode()) for k, v in answer.headers.items()
               if k.lower() not in DROPPED]
        out.append((b"content-length", str(len(content)).encode()))
        await send({"type": "http.response.start", "status": answer.status_code, "headers": out})
        await send({"type": "http.response.body", "body": content})


class ProxyThread:
    def __init__(self, app: TimingProxy, port: int) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                lifespan="on", timeout_keep_alive=30)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ProxyThread:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the timing proxy did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@dataclass
class Turn:
    conversation: str
    label: str
    total_ms: float
    timing: dict[str, float]
    calls: list[Call] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)

    def hop(self, name: str) -> list[Call]:
        return [c for c in self.calls if c.hop == name]


def server_timing(header: str) -> dict[str, float]:
    """``read;dur=12.3, rasa;dur=45.6`` as {"read": 12.3, "rasa": 45.6}."""
    found: dict[str, float] = {}
    for part in header.split(","):
        name, _, rest = part.strip().partition(";")
        for parameter in rest.split(";"):
            key, _, value = parameter.strip().partition("=")
            if key == "dur" and value:
                found[name] = float(value)
    return found


async def hold(
    client: httpx.AsyncClient, api_url: str, name: str, turns: list[tuple[str, str]],
    proxy: TimingProxy | None,
) -> list[Turn]:
    cookie = ""
    done: list[Turn] = []
    for label, message in turns:
        headers = {"Cookie": f"{COOKIE}={cookie}"} if cookie else {}
        seen = len(proxy.calls) if proxy else 0
        start = time.perf_counter()
        response = await client.post(
            f"{api_url}/api/v1/chat", json={"message": message}, headers=headers
        )
        total = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{name} / {label}: HTTP {response.status_code} {response.text}")
        cookie = cookie or response.cookies.get(COOKIE) or ""
        # Give a call that answered just before the response a moment to be recorded.
        await asyncio.sleep(0.01)
        calls = list(proxy.calls[seen:]) if proxy else []
        body = response.json()
        done.append(Turn(name, label, total, server_timing(response.headers.get(
            "Server-Timing", "")), calls, [m["text"] for m in body["messages"]]))
    return done


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def print_turns(rounds: list[list[Turn]], with_proxy: bool) -> None:
    print(f"{'conversation / turn':<42} {'total':>7} {'api':>6} {'rasa':>7}"
          + (f" {'actions':>12} {'->api':>12}" if with_proxy else ""))
    by_position: dict[tuple[str, int], list[Turn]] = defaultdict(list)
    order: list[tuple[str, int]] = []
    for turns in rounds:
        for index, turn in enumerate(turns):
            key = (turn.conversation, index)
            if key not in by_position:
                order.append(key)
            by_position[key].append(turn)
    for key in order:
        turns = by_position[key]
        first = turns[0]
        line = (f"{first.conversation + ' / ' + first.label:<42} "
                f"{median([t.total_ms for t in turns]):>7.1f} "
                f"{median([t.timing.get('read', 0) for t in turns]):>6.1f} "
                f"{median([t.timing.get('rasa', 0) for t in turns]):>7.1f}")
        if with_proxy:
            actions = [t.hop("actions") for t in turns]
            api = [t.hop("api") for t in turns]
            line += (f" {median([len(a) for a in actions]):>3.0f} x "
                     f"{median([sum(c.ms for c in a) for a in actions]):>6.1f}"
                     f" {median([len(a) for a in api]):>3.0f} x "
                     f"{median([sum(c.ms for c in a) for a in api]):>6.1f}")
        print(line)


def print_summary(everything: list[Turn], with_proxy: bool) -> None:
    print()
    print(f"all {len(everything)} turns, per turn (median; mean in brackets), ms:")

    def row(name: str, values: list[float]) -> None:
        print(f"  {name:<34} {median(values):>7.1f}  ({statistics.fmean(values):.1f})")

    row("total (client)", [t.total_ms for t in everything])
    row("api before Rasa (read)", [t.timing.get("read", 0) for t in everything])
    row("Rasa, actions included", [t.timing.get("rasa", 0) for t in everything])
    if not with_proxy:
        return
    row("action server calls (count)", [float(len(t.hop("actions"))) for t in everything])
    row("action server time", [sum(c.ms for c in t.hop("actions")) for t in everything])
    row("Rasa's own time (rasa - actions)",
        [t.timing.get("rasa", 0) - sum(c.ms for c in t.hop("actions")) for t in everything])
    row("action -> api calls (count)", [float(len(t.hop("api"))) for t in everything])
    row("action -> api time", [sum(c.ms for c in t.hop("api")) for t in everything])
    counts: Counter[str] = Counter()
    times: dict[str, list[float]] = defaultdict(list)
    for turn in everything:
        for call in turn.hop("api"):
            counts[call.path] += 1
            times[call.path].append(call.ms)
    print()
    print("action -> api calls by endpoint: calls per turn, median ms per call")
    for path, count in counts.most_common():
        print(f"  {path:<34} {count / len(everything):>5.2f}  {median(times[path]):>6.1f}")


async def run(api_url: str, proxy: TimingProxy | None, rounds: int) -> list[list[Turn]]:
    held: list[list[Turn]] = []
    # A cookie jar that keeps nothing: each conversation sends its own cookie.
    keep_nothing = http.cookiejar.CookieJar(
        policy=http.cookiejar.DefaultCookiePolicy(allowed_domains=[])
    )
    async with httpx.AsyncClient(timeout=60, cookies=keep_nothing) as client:
        for _ in range(rounds):
            turns: list[Turn] = []
            for name, conversation in CONVERSATIONS:
                turns += await hold(client, api_url, name, conversation, proxy)
            held.append(turns)
    return held


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="times each conversation is held")
    parser.add_argument("--show", action="store_true", help="print the bot's replies (round 1)")
    parser.add_argument("--no-proxy", action="store_true",
                        help="no timing proxy: totals and Server-Timing only")
    args = parser.parse_args()
    reason = bot_unavailable_reason()
    if reason:
        print(f"bench_turn_breakdown: cannot run: {reason}")
        return 1
    with tempfile.TemporaryDirectory(prefix="bench-turns-") as tmp:
        # The proxy must be up before the stack (Rasa's readiness check runs a
        # custom action), so the stack's ports are chosen here, in the order
        # running_stack asks for them: api, Rasa, action server.
        proxy_port, api_port, rasa_port, action_port = (free_port() for _ in range(4))
        chosen = iter([api_port, rasa_port, action_port])
        stack_support.free_port = lambda: next(chosen)
        api_url = f"http://127.0.0.1:{api_port}"
        proxy = None if args.no_proxy else TimingProxy(
            f"http://127.0.0.1:{action_port}", api_url
        )
        bot_env: dict[str, str] = {}
        if proxy is not None:
            bot_env = {"ACTION_ENDPOINT_URL": f"http://127.0.0.1:{proxy_port}/webhook",
                       "NAVIGATOR_API_URL": f"http://127.0.0.1:{proxy_port}"}
        print("starting the stack (api, action server, Rasa)", flush=True)
        with contextlib.ExitStack() as stop:
            if proxy is not None:
                stop.enter_context(ProxyThread(proxy, proxy_port))
            stack = stop.enter_context(
                running_stack(Path(tmp) / "stack", api_env=BENCH_LIMITS, bot_env=bot_env)
            )
            assert stack.api_url == api_url
            pids = {name: stack.processes[name].pid for name in ("api", "rasa", "actions")}
            held, cpu = _measure(api_url, proxy, args.rounds, pids)
    if args.show:
        for turn in held[0]:
            print(f"--- {turn.conversation} / {turn.label}")
            for text in turn.replies:
                print("   ", text.replace("\n", "\n    ")[:400])
        print()
    print(f"{args.rounds} rounds, one sender; medians over the rounds, ms")
    print_turns(held, proxy is not None)
    everything = [t for turns in held for t in turns]
    print_summary(everything, proxy is not None)
    print_cpu(cpu, len(everything))
    return 0


def _measure(
    api_url: str, proxy: TimingProxy | None, rounds: int, pids: dict[str, int]
) -> tuple[list[list[Turn]], dict[str, float]]:
    """The turns, and each process's CPU time over them (seconds)."""
    asyncio.run(run(api_url, proxy, 1))  # warm every code path once
    if proxy is not None:
        proxy.calls.clear()
    print(f"measuring: {rounds} rounds", flush=True)
    before = {name: tree_cpu_seconds(pid) for name, pid in pids.items()}
    held = asyncio.run(run(api_url, proxy, rounds))
    return held, {name: tree_cpu_seconds(pid) - before[name] for name, pid in pids.items()}


def print_cpu(cpu: dict[str, float], turns: int) -> None:
    """CPU time per turn: what the turns cost the machine, whatever else runs on it."""
    print()
    print("CPU time per turn (user + system, ms; independent of waiting for a core):")
    for name, seconds in cpu.items():
        print(f"  {name:<34} {seconds * 1000 / turns:>7.1f}")
    print(f"  {'all three':<34} {sum(cpu.values()) * 1000 / turns:>7.1f}")


if __name__ == "__main__":
    sys.exit(main())
