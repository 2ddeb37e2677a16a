"""Only trusted proxies may say who the client is: the real uvicorn, started
the way scripts/run.sh and the Dockerfile start it, rewrites the client
address from X-Forwarded-For only for FORWARDED_ALLOW_IPS, and sends no
Server header. The address is read back from the audit log of a failed
sign-in (what throttling and the audit log use)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlmodel import Session, select

from knowledge.db import make_engine
from knowledge.staff.tables import AuditEntry
from tests.browser.admin_support import prepare_database
from tests.browser.live import PROJECT_ROOT, free_port, wait_until_up
from tests.support.stack import SHARED_READING

EMAIL = "publisher@lmm.example.nhs.uk"
FORGED = "203.0.113.9"
FLAGS = ["--proxy-headers", "--forwarded-allow-ips", "--no-server-header"]


@contextmanager
def uvicorn(data_dir: Path, trusted: str) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATA_DIR": str(data_dir), **SHARED_READING, "DATABASE_URL": "",
           "ENVIRONMENT": "test",
           "RASA_URL": "http://127.0.0.1:9", "PYTHONPATH": str(PROJECT_ROOT),
           "FORWARDED_ALLOW_IPS": trusted}
    command = [sys.executable, "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1",
               "--port", str(port), "--log-level", "warning", "--proxy-headers",
               "--forwarded-allow-ips", trusted, "--no-server-header"]
    log = data_dir / f"api-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
        try:
            wait_until_up(url, process, log, timeout=90)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def failed_sign_in_address(data_dir: Path, url: str) -> tuple[str, httpx.Response]:
    with httpx.Client(base_url=url) as client:
        page = client.get("/admin/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token
        answer = client.post("/admin/login", headers={"X-Forwarded-For": FORGED}, data={
            "email": EMAIL, "password": "not the password", "csrf_token": token.group(1),
        })
        assert answer.status_code == 400
    engine = make_engine(f"sqlite:///{data_dir / 'navigator.db'}")
    try:
        with Session(engine) as session:
            entry = session.exec(
                select(AuditEntry).where(AuditEntry.action == "sign_in_failed")
            ).one()
    finally:
        engine.dispose()
    return entry.address, page


def test_forwarded_for_is_believed_only_from_trusted_proxies(tmp_path: Path) -> None:
    untrusted = tmp_path / "untrusted"
    untrusted.mkdir()
    prepare_database(untrusted, EMAIL)
    with uvicorn(untrusted, trusted="192.0.2.1") as url:  # a load balancer elsewhere
        address, page = failed_sign_in_address(untrusted, url)
    assert address == "127.0.0.1", "a forged X-Forwarded-For from an untrusted client is ignored"
    assert "server" not in page.headers
    assert page.headers["x-content-type-options"] == "nosniff"

    behind_proxy = tmp_path / "trusted"
    behind_proxy.mkdir()
    prepare_database(behind_proxy, EMAIL)
    with uvicorn(behind_proxy, trusted="127.0.0.1") as url:  # we are the load balancer
        address, _ = failed_sign_in_address(behind_proxy, url)
    assert address == FORGED, "the trusted proxy's X-Forwarded-For gives the client"


def test_every_way_of_starting_the_api_passes_the_flags() -> None:
    run = (PROJECT_ROOT / "scripts/run.sh").read_text()
    docker = (PROJECT_ROOT / "Dockerfile").read_text()
    for flag in FLAGS:
        assert flag in run, flag
    assert '"${FORWARDED_ALLOW_IPS:-127.0.0.1}"' in run
    assert "ENV FORWARDED_ALLOW_IPS=127.0.0.1" in docker
    assert "set to your load balancer's address" in docker.lower()
    assert '"--proxy-headers"' in docker and '"--no-server-header"' in docker
    for helper in ("tests/support/stack.py", "tests/browser/live.py"):
        assert '"--no-server-header"' in (PROJECT_ROOT / helper).read_text(), helper


def test_nothing_in_the_api_reads_forwarded_headers_itself() -> None:
    """Only uvicorn may believe X-Forwarded-For: no header of that kind is
    named as a string anywhere in the code."""
    pattern = re.compile(r"""["'](x-forwarded[-a-z]*|x-real-ip|forwarded)["']""", re.IGNORECASE)
    for folder in ("api", "knowledge", "pathways"):
        for path in (PROJECT_ROOT / folder).rglob("*.py"):
            hits = pattern.findall(path.read_text(encoding="utf-8"))
            assert not hits, (path, hits)
