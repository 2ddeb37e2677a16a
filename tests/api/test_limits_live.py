"""The limits over real HTTP: the api under uvicorn (tests/support/stack.py,
without Rasa), with low limits set through its environment and loopback not
exempt, so the burst, the streamed bodies and the cookie are what a browser
or a script would meet."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session

from api.conversations import COOKIE_NAME
from knowledge.db import make_engine
from knowledge.staff.accounts import create_user
from tests.admin.support import PASSWORD, csrf_from
from tests.support.rate_windows import start_early_in_a_minute
from tests.support.stack import Stack, running_stack

LIMITS = {
    "RATE_LIMIT_EXEMPT": "",
    "RATE_LIMIT_CHAT": "4/minute",
    "BODY_LIMIT_IMPORT_BYTES": str(512 * 1024),
}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    workdir: Path = tmp_path_factory.mktemp("limits")
    with running_stack(workdir, with_bot=False, api_env=LIMITS) as running:
        yield running


def chunks(size: int, piece: int = 8192) -> Iterator[bytes]:
    sent = 0
    while sent < size:
        yield b"x" * min(piece, size - sent)
        sent += piece


def test_a_chat_burst_gets_429_with_retry_after(stack: Stack) -> None:
    start_early_in_a_minute()
    with httpx.Client(base_url=stack.api_url, timeout=30) as browser:
        first = browser.post("/api/v1/chat", json={"message": "4 month old, not bonding"})
        assert first.status_code == 503, "Rasa is not running: the direct contacts"
        cookie = first.headers["set-cookie"]
        assert cookie.startswith(f"{COOKIE_NAME}=")
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie
        assert "Path=/api/v1/chat" in cookie
        for _ in range(3):
            assert browser.post("/api/v1/chat", json={"message": "hello"}).status_code == 503
        refused = browser.post("/api/v1/chat", json={"message": "hello"})
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["content-type"] == "application/json"
    assert refused.json()["errors"] == []
    assert "at most 4 per minute" in refused.json()["detail"]
    assert httpx.get(f"{stack.api_url}/api/v1/concerns").status_code == 200, "its own limit"


def test_oversized_bodies_get_413_declared_or_streamed(stack: Stack) -> None:
    url = stack.api_url
    declared = httpx.post(f"{url}/api/v1/parse", content=b"x" * 40_000,
                          headers={"content-type": "application/json"})
    assert declared.status_code == 413
    assert declared.json()["detail"].endswith("at most 32 KB.")
    streamed = httpx.post(f"{url}/api/v1/recommendations", content=chunks(40_000),
                          headers={"content-type": "application/json"})
    assert streamed.request.headers.get("transfer-encoding") == "chunked"
    assert streamed.status_code == 413
    form = httpx.post(f"{url}/admin/login", content=chunks(300_000),
                      headers={"content-type": "application/x-www-form-urlencoded"})
    assert form.status_code == 413
    assert "256 KB" in form.json()["detail"]
    # Declared too large: refused before the sign-in is even checked.
    upload = httpx.post(f"{url}/admin/import", content=b"x" * 600_000,
                        headers={"content-type": "multipart/form-data; boundary=b"})
    assert upload.status_code == 413
    assert "512 KB" in upload.json()["detail"]
    assert httpx.get(f"{url}/healthz").status_code == 200


def multipart_upload(token: str, size: int) -> Iterator[bytes]:
    """A browser's import form, streamed: the CSRF field, then a file of ``size`` bytes."""
    yield (f'--b\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
           '--b\r\nContent-Disposition: form-data; name="files"; filename="content.zip"\r\n'
           "Content-Type: application/zip\r\n\r\n").encode()
    yield from chunks(size)
    yield b"\r\n--b--\r\n"


def test_a_signed_in_editors_streamed_upload_is_capped(stack: Stack) -> None:
    engine = make_engine(f"sqlite:///{stack.workdir / 'nav.db'}")
    with Session(engine) as session:
        create_user(session, "editor@lmm.example.nhs.uk", "Editor", "editor", PASSWORD)
    engine.dispose()
    with httpx.Client(base_url=stack.api_url, timeout=30) as browser:
        login = browser.get("/admin/login").text
        signed_in = browser.post("/admin/login", data={
            "email": "editor@lmm.example.nhs.uk", "password": PASSWORD,
            "csrf_token": csrf_from(login)})
        assert signed_in.status_code == 303, signed_in.text[-500:]
        token = csrf_from(browser.get("/admin/transfer").text)
        form = {"content-type": "multipart/form-data; boundary=b"}
        over = browser.post("/admin/import", content=multipart_upload(token, 600_000),
                            headers=form)
        assert over.request.headers.get("transfer-encoding") == "chunked"
        assert over.status_code == 413
        assert "512 KB" in over.json()["detail"]
        under = browser.post("/admin/import", content=multipart_upload(token, 300_000),
                             headers=form)
        assert under.status_code == 400, "over the forms' 256 KB, under the import's cap"
        assert "not a valid zip file" in under.text
