"""The api's access log: method, path without query, status; no client
address, no query string, no message text (api/access_log.py)."""

from __future__ import annotations

import logging
import logging.config
import re
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from api.access_log import LOGGING, AccessLogWithoutQuery
from tests.support.stack import API_PYTHON, PROJECT_ROOT, free_port


def uvicorn_record(path: str) -> logging.LogRecord:
    """A record as uvicorn's httptools/h11 protocols make it."""
    return logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1,
        '%s - "%s %s HTTP/%s" %d', ("127.0.0.1:51234", "GET", path, "1.1", 200), None,
    )


def test_the_filter_keeps_method_path_and_status_only() -> None:
    record = uvicorn_record("/api/v1/services?q=Mrs%20Khan%2007700900123")
    assert AccessLogWithoutQuery().filter(record)
    assert record.getMessage() == "GET /api/v1/services 200"


def test_a_record_of_another_shape_loses_its_arguments() -> None:
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, "%s", ("Mrs Khan",), None
    )
    AccessLogWithoutQuery().filter(record)
    assert "Khan" not in record.getMessage()


def test_the_configuration_puts_the_filter_on_uvicorns_access_logger() -> None:
    assert LOGGING["loggers"]["uvicorn.access"]["filters"] == ["access_without_query"]
    logging.config.dictConfig(LOGGING)
    try:
        access = logging.getLogger("uvicorn.access")
        assert any(isinstance(f, AccessLogWithoutQuery) for f in access.filters)
    finally:
        logging.config.dictConfig({"version": 1, "disable_existing_loggers": False})


@pytest.mark.slow
def test_a_real_uvicorn_logs_no_query_or_client(tmp_path: Path) -> None:
    port = free_port()
    log_path = tmp_path / "api.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(API_PYTHON), "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1",
             "--port", str(port), "--log-config", "api/logging.json"],
            cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT,
            env={"DATABASE_URL": f"sqlite:///{tmp_path / 'nav.db'}", "PATH": "/usr/bin:/bin",
                 "PYTHONPATH": str(PROJECT_ROOT)},
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline and process.poll() is None, log_path.read_text()
            time.sleep(0.3)
        httpx.get(f"{base}/api/v1/services", params={"q": "Mrs Khan 07700900123"})
        httpx.post(f"{base}/api/v1/postcodes", json={"postcode": "BD3 9LF"})
    finally:
        process.terminate()
        process.wait(timeout=15)
    text = log_path.read_text()
    assert "GET /api/v1/services 200" in text
    assert "POST /api/v1/postcodes 200" in text
    for detail in ("Khan", "07700", "9LF", "q="):
        assert detail not in text, (detail, text)
    access = [line for line in text.splitlines() if "uvicorn.access" in line]
    assert access and all(
        re.search(r"uvicorn\.access: (GET|POST) /[\w/.-]* \d{3}$", line) for line in access
    ), access
