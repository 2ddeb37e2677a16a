"""Throughput of POST /api/v1/recommendations relative to GET /healthz.

Starts one uvicorn worker on a temporary SQLite database and drives it from
this process with a fixed number of concurrent httpx clients for a fixed time
per endpoint. Prints requests per second for each and their ratio (target:
recommendations >= 0.6 x healthz). Figures, not a pass/fail test.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
DURATION_SECONDS = 8.0
CONCURRENCY = 8
# Loopback is exempt from the rate limits by default; set high limits anyway,
# so the figures never depend on RATE_LIMIT_EXEMPT.
BENCH_LIMITS = {"RATE_LIMIT_RECOMMENDATIONS": "1000000/minute", "RATE_LIMIT_API": "1000000/minute"}
BODIES = [
    {
        "description": "Mum struggling to bond with her 4 month old for months, "
        "happy to be referred",
        "postcode": "BD3 9LF",
        "consent_to_referral": True,
    },
    {"description": "HV worried about low mood, baby 6 weeks", "postcode": "BD5 0AA"},
    {"description": "breastfeeding difficulties", "age": "2 weeks", "postcode": "BD8"},
    {"description": "bruise on a 6 week old baby's cheek", "postcode": "BD3"},
    {"description": "not bonding", "age": "3 months", "postcode": "LS6 2AB"},
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def drive(url: str, method: str, bodies: list[dict[str, object]] | None) -> float:
    deadline = time.perf_counter() + DURATION_SECONDS
    count = 0

    async def worker(offset: int) -> None:
        nonlocal count
        async with httpx.AsyncClient(timeout=10) as client:
            i = offset
            while time.perf_counter() < deadline:
                if bodies is None:
                    response = await client.get(url)
                else:
                    response = await client.post(url, json=bodies[i % len(bodies)])
                response.raise_for_status()
                count += 1
                i += 1

    start = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(CONCURRENCY)))
    return count / (time.perf_counter() - start)


def main() -> None:
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.db", "PYTHONPATH": str(ROOT),
               "DATA_DIR": tmp, **BENCH_LIMITS}
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "api.main:app",
                "--port",
                str(port),
                "--workers",
                "1",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(200):
                try:
                    if httpx.get(f"{base}/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            asyncio.run(drive(f"{base}/healthz", "GET", None))  # warm-up
            health = asyncio.run(drive(f"{base}/healthz", "GET", None))
            recommend = asyncio.run(drive(f"{base}/api/v1/recommendations", "POST", BODIES))
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(
        f"api: one uvicorn worker, {CONCURRENCY} concurrent clients, {DURATION_SECONDS:.0f} s each"
    )
    print(f"  GET  /healthz                  {health:8.0f} req/s")
    print(f"  POST /api/v1/recommendations   {recommend:8.0f} req/s")
    print(f"  ratio recommendations/healthz  {recommend / health:8.2f}   (target >= 0.60)")


if __name__ == "__main__":
    main()
