"""Chat benchmark: turn latency through POST /api/v1/chat at 1 and 10
concurrent conversations, and the whole stack's resident memory.

Starts the real stack (api, action server, trained Rasa) on free ports with
tests/support/stack.py, holds realistic conversations (a one-message case, a
form answered over several turns, an eligibility check, a service question, a
red flag) and prints p50/p95 per concurrency level. Targets: p95 <= 1 s at 10
conversations on 2 cores; the stack <= 2 GB RSS. Prints figures; not a test.

Run: .venv/bin/python bench/bench_chat.py [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.stack import (
    BENCH_LIMITS,
    bot_unavailable_reason,
    running_stack,
    tree_rss_bytes,
)

CONVERSATIONS: list[list[str]] = [
    ["Mum of a 4 month old in BD3 9 can't bond with him, happy to be referred", "since birth"],
    ["HV here, baby is 6 wks and mum is really low", "bd39lf", "about 2 months", "yes"],
    ["is this family eligible for little minds matter?", "14 months", "BD7 2"],
    ["what does home-start do?", "how do I book a consultation"],
    ["8 week old in BD3", "there's a bruise on his cheek and he isn't rolling yet"],
    ["26 month old in BD8, parents worried about bonding"],
]


async def conversation(url: str, turns: list[str]) -> list[float]:
    """One conversation: a client of its own, whose cookie holds the
    conversation the server issues on the first turn."""
    timings = []
    async with httpx.AsyncClient(timeout=60) as client:
        for message in turns:
            start = time.perf_counter()
            response = await client.post(url, json={"message": message})
            timings.append(time.perf_counter() - start)
            if response.status_code != 200:
                raise RuntimeError(f"{response.status_code}: {response.text[:300]}")
    return timings


async def run_level(api_url: str, concurrency: int, rounds: int) -> list[float]:
    url = f"{api_url}/api/v1/chat"
    timings: list[float] = []
    for round_number in range(rounds):
        batch = [
            CONVERSATIONS[(round_number * concurrency + i) % len(CONVERSATIONS)]
            for i in range(concurrency)
        ]
        results = await asyncio.gather(*(conversation(url, t) for t in batch))
        for result in results:
            timings.extend(result)
    return timings


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6, help="conversation batches per level")
    args = parser.parse_args()
    reason = bot_unavailable_reason()
    if reason:
        print(f"bench_chat: cannot run: {reason}")
        return 1
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_stack(Path(tmp), api_env=BENCH_LIMITS) as stack,
    ):
        asyncio.run(run_level(stack.api_url, 2, 1))  # warm up every code path
        print(f"{'conversations':>13} {'turns':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for concurrency in (1, 10):
            timings = asyncio.run(run_level(stack.api_url, concurrency, args.rounds))
            print(
                f"{concurrency:>13} {len(timings):>6} "
                f"{statistics.median(timings) * 1000:>8.0f} "
                f"{percentile(timings, 0.95) * 1000:>8.0f} {max(timings) * 1000:>8.0f}"
            )
        rss = {name: tree_rss_bytes(p.pid) for name, p in stack.processes.items()}
        for name, size in rss.items():
            print(f"RSS {name:>8}: {size / 2**20:7.0f} MiB")
        print(f"RSS    total: {sum(rss.values()) / 2**20:7.0f} MiB (target <= 2048 MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
