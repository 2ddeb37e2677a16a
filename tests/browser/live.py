"""Start the real api (uvicorn, api.main:app) in a subprocess for the browser.

The browser needs a real HTTP server; TestClient does not listen on a port.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.support.stack import SHARED_READING

PROJECT_ROOT = Path(__file__).resolve().parents[2]
AXE_JS = PROJECT_ROOT / "node_modules/axe-core/axe.min.js"


@dataclass(frozen=True)
class LiveServer:
    url: str
    log: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text()[-3000:]
            raise RuntimeError(f"the api exited with {process.returncode}:\n{tail}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    tail = log.read_text()[-3000:]
    raise RuntimeError(f"the api did not answer {url}/healthz in {timeout}s:\n{tail}")


@contextmanager
def start_api(data_dir: Path, rasa_url: str, timeout: float = 60) -> Iterator[LiveServer]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = data_dir / "api.log"
    env = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        **SHARED_READING,
        "DATABASE_URL": "",
        "RASA_URL": rasa_url,
        "ENVIRONMENT": "test",
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    command = [sys.executable, "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--log-level", "warning", "--no-server-header"]
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
        try:
            wait_until_up(url, process, log, timeout)
            yield LiveServer(url=url, log=log)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def open_recording_requests(page: Any, server: LiveServer, path: str) -> list[str]:
    """Open ``path`` and wait until the network is idle; the list fills with
    every URL the page requests (to show nothing leaves the server)."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(server.url + path)
    page.wait_for_load_state("networkidle")
    return requests
