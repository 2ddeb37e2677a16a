"""The navigator's chat against a bare Rasa bot, side by side: what the
navigator costs on top of Rasa itself.

Builds a bare bot with `rasa init --no-prompt` (bot/.venv's Rasa 3.6, trained
in a temporary folder: about a minute) and serves it with the REST channel;
starts the `make run`-shaped navigator stack itself (api, action server,
trained Rasa, a fresh SQLite database: tests/support/stack.py), so nothing
needs to be running. Then the same async httpx loop, with no think time,
sends the same practitioner messages to both:

- 1 sender: turn p50, ratio navigator / bare (target <= 1.3x);
- 20 senders: turns per second, ratio navigator / bare (target >= 0.8x),
  and failed turns.

A turn refused with 503 or 429 (the api's back-pressure, with Retry-After) is
sent again after the Retry-After it names (at most 5 s), as the chat page
does, and counted apart: it is neither a turn done nor a failed turn. A
failed turn (any other answer than 200, or none) ends that conversation.

Run: .venv/bin/python bench/bench_bare_rasa.py [--turns 60] [--seconds 30]
Prints figures; not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import http.cookiejar
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.stack import (
    BENCH_LIMITS,
    RASA,
    bot_unavailable_reason,
    free_port,
    running_stack,
)

COOKIE = "navigator_conversation"
# Conversations of practitioner messages, sent as they are to both bots.
CONVERSATIONS: list[list[str]] = [
    # The navigator asks who is asking before an LMM answer: "HV here" answers it.
    ["Mum of a 4 month old in BD3 9 can't bond with him, happy to be referred", "/deny",
     "HV here", "since birth"],
    ["HV here, baby is 6 wks and mum is really low", "bd39lf", "/deny", "about 2 months"],
    ["is this family eligible for little minds matter?", "14 months", "BD7 2"],
    ["what does home-start do?", "how do I book a consultation"],
    ["26 month old in BD8, parents worried about bonding", "/deny"],
]

# A turn's outcome: the HTTP status (0: no answer) and, for a refusal, the
# seconds it asked the client to wait.
Outcome = tuple[int, float]
Sender = Callable[[httpx.AsyncClient, str], Awaitable[Outcome]]


def client(**kwargs: object) -> httpx.AsyncClient:
    """An async client whose cookie jar keeps nothing: one client carries many
    conversations, each sending its own cookie by hand, so no conversation
    picks up another's cookie from a shared jar."""
    keep_nothing = http.cookiejar.CookieJar(
        policy=http.cookiejar.DefaultCookiePolicy(allowed_domains=[])
    )
    return httpx.AsyncClient(timeout=60, cookies=keep_nothing, **kwargs)  # type: ignore[arg-type]
MAX_RETRY_AFTER = 5.0


@dataclass
class Measure:
    timings: list[float] = field(default_factory=list)
    failed: int = 0
    refused: int = 0
    seconds: float = 0.0

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.timings) * 1000 if self.timings else float("nan")

    @property
    def per_second(self) -> float:
        return len(self.timings) / self.seconds if self.seconds else 0.0


def navigator_sender(api_url: str) -> Callable[[], Sender]:
    """A new conversation per call: the cookie the api issues, sent back by hand."""

    def conversation() -> Sender:
        cookie: dict[str, str] = {}

        async def send(client: httpx.AsyncClient, message: str) -> Outcome:
            headers = {"Cookie": f"{COOKIE}={cookie['value']}"} if cookie else {}
            response = await client.post(
                f"{api_url}/api/v1/chat", json={"message": message}, headers=headers
            )
            if response.status_code in (429, 503):
                return response.status_code, float(response.headers.get("Retry-After") or 1)
            issued = response.cookies.get(COOKIE)
            if issued and not cookie:
                cookie["value"] = issued
            ok = response.status_code == 200 and bool(response.json().get("messages"))
            return (200 if ok else response.status_code or 1), 0.0

        return send

    return conversation


def bare_sender(rasa_url: str) -> Callable[[], Sender]:
    """A new conversation per call: a new sender id on Rasa's REST channel."""
    counter = iter(range(10**9))

    def conversation() -> Sender:
        sender = f"bench-{os.getpid()}-{next(counter)}"

        async def send(client: httpx.AsyncClient, message: str) -> Outcome:
            response = await client.post(
                f"{rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": message}
            )
            if response.status_code in (429, 503):
                return response.status_code, float(response.headers.get("Retry-After") or 1)
            ok = response.status_code == 200 and isinstance(response.json(), list)
            return (200 if ok else response.status_code or 1), 0.0

        return send

    return conversation


async def one_conversation(
    client: httpx.AsyncClient, new: Callable[[], Sender], turns: list[str], measure: Measure
) -> None:
    send = new()
    for message in turns:
        start = time.perf_counter()  # a refused turn's waits count in its time
        while True:
            try:
                status, retry_after = await send(client, message)
            except (httpx.HTTPError, ValueError):
                status, retry_after = 0, 0.0
            if status not in (429, 503):
                break
            measure.refused += 1
            await asyncio.sleep(min(retry_after, MAX_RETRY_AFTER))
        if status != 200:
            measure.failed += 1
            return
        measure.timings.append(time.perf_counter() - start)


async def one_sender(new: Callable[[], Sender], turns: int) -> Measure:
    measure = Measure()
    start = time.perf_counter()
    async with client() as http_client:
        index = 0
        while len(measure.timings) + measure.failed < turns:
            conversation = CONVERSATIONS[index % len(CONVERSATIONS)]
            await one_conversation(http_client, new, conversation, measure)
            index += 1
    measure.seconds = time.perf_counter() - start
    return measure


async def many_senders(new: Callable[[], Sender], senders: int, seconds: float) -> Measure:
    """``senders`` loops, each holding conversation after conversation, for
    ``seconds``; turns in flight at the end are finished and counted."""
    measure = Measure()
    deadline = time.perf_counter() + seconds

    async def loop(number: int, http_client: httpx.AsyncClient) -> None:
        index = number
        while time.perf_counter() < deadline:
            conversation = CONVERSATIONS[index % len(CONVERSATIONS)]
            await one_conversation(http_client, new, conversation, measure)
            index += 1

    start = time.perf_counter()
    limits = httpx.Limits(max_connections=senders * 2)
    async with client(limits=limits) as http_client:
        await asyncio.gather(*(loop(n, http_client) for n in range(senders)))
    measure.seconds = time.perf_counter() - start
    return measure


def build_bare_bot(folder: Path) -> None:
    print("building the bare bot: rasa init --no-prompt (trains it: about a minute)", flush=True)
    start = time.monotonic()
    subprocess.run(
        [str(RASA), "init", "--no-prompt", "--init-dir", str(folder)],
        cwd=folder.parent, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"},
        timeout=1800,
    )
    (folder / "credentials.yml").write_text("rest:\n")
    print(f"  trained in {time.monotonic() - start:.0f} s", flush=True)


def start_bare_bot(folder: Path, port: int) -> subprocess.Popen[bytes]:
    log = (folder / "rasa.log").open("wb")
    return subprocess.Popen(
        [str(RASA), "run", "--model", "models", "--credentials", "credentials.yml",
         "--interface", "127.0.0.1", "--port", str(port)],
        cwd=folder, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"},
    )


def wait_for_bare_bot(url: str, process: subprocess.Popen[bytes], folder: Path) -> None:
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError((folder / "rasa.log").read_text(errors="replace")[-3000:])
        try:
            response = httpx.post(
                f"{url}/webhooks/rest/webhook", json={"sender": "warmup", "message": "hi"},
                timeout=30,
            )
            if response.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise RuntimeError("the bare bot did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=60, help="turns for the 1-sender figure")
    parser.add_argument("--seconds", type=float, default=30, help="duration of the 20-sender run")
    parser.add_argument("--senders", type=int, default=20)
    args = parser.parse_args()
    reason = bot_unavailable_reason()
    if reason:
        print(f"bench_bare_rasa: cannot run: {reason}")
        return 1
    with tempfile.TemporaryDirectory(prefix="bench-bare-") as tmp:
        folder = Path(tmp) / "bare"
        folder.mkdir()
        build_bare_bot(folder)
        bare_url = f"http://127.0.0.1:{free_port()}"
        bare = start_bare_bot(folder, int(bare_url.rsplit(":", 1)[1]))
        try:
            print("starting the navigator stack (api, action server, Rasa)", flush=True)
            with running_stack(Path(tmp) / "stack", api_env=BENCH_LIMITS) as stack:
                wait_for_bare_bot(bare_url, bare, folder)
                nav = navigator_sender(stack.api_url)
                plain = bare_sender(bare_url)
                # Warm both: every code path once.
                asyncio.run(one_sender(nav, 12))
                asyncio.run(one_sender(plain, 12))
                print("measuring: 1 sender", flush=True)
                bare_one = asyncio.run(one_sender(plain, args.turns))
                nav_one = asyncio.run(one_sender(nav, args.turns))
                print(f"measuring: {args.senders} senders, {args.seconds:.0f} s each", flush=True)
                bare_many = asyncio.run(many_senders(plain, args.senders, args.seconds))
                nav_many = asyncio.run(many_senders(nav, args.senders, args.seconds))
        finally:
            bare.terminate()
            try:
                bare.wait(timeout=30)
            except subprocess.TimeoutExpired:
                bare.kill()
                bare.wait()
    p50_ratio = nav_one.p50_ms / bare_one.p50_ms
    throughput_ratio = nav_many.per_second / bare_many.per_second
    print()
    print(f"{'':<30} {'bare Rasa':>10} {'navigator':>10} {'ratio':>7} {'target':>8}")
    print(f"{'1 sender: turn p50 ms':<30} {bare_one.p50_ms:>10.0f} {nav_one.p50_ms:>10.0f} "
          f"{p50_ratio:>6.2f}x {'<= 1.3x':>8}")
    print(f"{f'{args.senders} senders: turns/s':<30} {bare_many.per_second:>10.1f} "
          f"{nav_many.per_second:>10.1f} {throughput_ratio:>6.2f}x {'>= 0.8x':>8}")
    print(f"{f'{args.senders} senders: turn p50 ms':<30} {bare_many.p50_ms:>10.0f} "
          f"{nav_many.p50_ms:>10.0f}")
    print(f"{'failed turns (1 / many)':<30} {f'{bare_one.failed} / {bare_many.failed}':>10} "
          f"{f'{nav_one.failed} / {nav_many.failed}':>10}")
    print(f"{'refused, sent again (1 / many)':<30} "
          f"{f'{bare_one.refused} / {bare_many.refused}':>10} "
          f"{f'{nav_one.refused} / {nav_many.refused}':>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
