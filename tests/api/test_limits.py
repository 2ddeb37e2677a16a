"""Per-address rate limits (429 with Retry-After) and request body limits
(413 before parsing), on the real app in process; tests/api/test_limits_live.py
does the same over real HTTP through uvicorn."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.body_limit import BodyLimitMiddleware, BodyLimits, limit_for
from api.limits import RateLimits, category
from api.settings import Settings
from tests.admin.support import add_staff, form_token, quick_session
from tests.conftest import make_client
from tests.support.rate_windows import start_early_in_a_minute

PARSE = "/api/v1/parse"


def assert_too_many(response: Any) -> None:
    assert response.status_code == 429
    retry_after = int(response.headers["Retry-After"])
    assert 1 <= retry_after <= 60
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert body["errors"] == []
    assert "Try again in" in body["detail"]


def test_a_burst_gets_429_with_retry_after_and_other_limits_are_separate() -> None:
    start_early_in_a_minute()
    with make_client(rate_limit_parse="5/minute", rate_limit_api="3/minute") as client:
        for _ in range(5):
            assert client.post(PARSE, json={"text": "4 month old"}).status_code == 200
        refused = client.post(PARSE, json={"text": "4 month old"})
        assert_too_many(refused)
        assert "at most 5 per minute" in refused.json()["detail"]
        assert refused.headers["content-type"] == "application/json"
        assert refused.headers["X-Content-Type-Options"] == "nosniff", "security headers too"
        # Another endpoint has its own count; pages and health checks have none.
        assert client.post("/api/v1/recommendations", json={"age": "4 months"}).status_code == 200
        for _ in range(3):
            assert client.get("/api/v1/concerns").status_code == 200
        assert_too_many(client.get("/openreferral/services"))
        assert client.get("/healthz").status_code == 200
        assert client.get("/").status_code == 200


def test_exempt_addresses_are_never_limited() -> None:
    with make_client(rate_limit_parse="2/minute", rate_limit_exempt="testclient") as client:
        for _ in range(5):
            assert client.post(PARSE, json={"text": "hello"}).status_code == 200


def test_exempt_networks_cover_every_address_in_them() -> None:
    """An action server on Kubernetes changes address with every pod: its
    range can be exempted, and nothing outside the range is."""
    exempt = Settings(environment="test",
                      rate_limit_exempt="127.0.0.1, 10.42.0.0/16,fd00:abcd::/32"
                      ).rate_limit_exempt_addresses()
    assert "127.0.0.1" in exempt and "10.42.7.19" in exempt and "fd00:abcd::5" in exempt
    assert "10.43.0.1" not in exempt and "127.0.0.2" not in exempt
    assert "fd00:abce::5" not in exempt and "testclient" not in exempt
    with pytest.raises(ValueError, match="not a network: write addresses and networks"):
        Settings(environment="test", rate_limit_exempt="10.42.0.0/33")


def test_a_client_in_an_exempt_network_is_never_limited() -> None:
    limits = RateLimits(Settings(environment="test", rate_limit_parse="2/minute",
                                 rate_limit_exempt="10.42.0.0/16"))
    start_early_in_a_minute(5)

    async def refusals(address: str) -> int:
        return sum([await limits.refusal("parse", address) is not None for _ in range(5)])

    assert asyncio.run(refusals("10.42.200.3")) == 0
    assert asyncio.run(refusals("10.43.0.3")) == 3


def test_the_defaults_are_generous_and_every_public_path_has_a_limit() -> None:
    settings = Settings(environment="test")
    for value in (settings.rate_limit_chat, settings.rate_limit_parse,
                  settings.rate_limit_recommendations, settings.rate_limit_postcodes):
        assert int(value.split("/")[0]) >= 300, "a shared NHS address never meets them"
    assert category("/api/v1/chat") == "chat"
    assert category("/api/v1/postcodes/BD3%209LF") == "postcodes"
    assert category("/api/v1/postcodes") == "postcodes"
    assert category("/api/v1/services/lmm") == "api"
    assert category("/openreferral/services") == "api"
    for unlimited in ("/", "/healthz", "/static/chat.js", "/admin/login", "/docs"):
        assert category(unlimited) is None


def test_bad_limit_settings_are_refused_at_start() -> None:
    with pytest.raises(ValueError, match="not a rate limit"):
        Settings(environment="test", rate_limit_chat="lots")
    with pytest.raises(ValueError, match="RATE_LIMIT_STORAGE_URL"):
        Settings(environment="test", rate_limit_storage_url="mongodb://x")


# ---- request bodies -------------------------------------------------------------


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with make_client() as test_client:
        yield test_client


def assert_too_large(response: Any, says: str) -> None:
    assert response.status_code == 413, response.text[:300]
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert f"at most {says}" in body["detail"]


def test_per_path_limits() -> None:
    limits = Settings(environment="test")
    chosen = BodyLimits(limits.body_limit_api_bytes, limits.body_limit_admin_bytes,
                        limits.body_limit_import_bytes)
    assert limit_for("/api/v1/chat", chosen) == 32 * 1024
    assert limit_for("/api/v1/recommendations", chosen) == 32 * 1024
    assert limit_for("/admin/services/lmm", chosen) == 256 * 1024
    assert limit_for("/admin/import", chosen) == 5 * 1024 * 1024
    # The largest valid description (5,000 characters, 4 bytes each in UTF-8) fits.
    assert len(('{"description": "' + "😀" * 5000 + '"}').encode()) < limits.body_limit_api_bytes


@pytest.mark.parametrize("path", ["/api/v1/chat", PARSE, "/api/v1/recommendations"])
def test_an_oversized_json_body_gets_413(client: TestClient, path: str) -> None:
    body = '{"message": "' + "x" * 40_000 + '"}'
    response = client.post(path, content=body, headers={"content-type": "application/json"})
    assert_too_large(response, "32 KB")


def test_a_chunked_body_is_counted_as_it_streams(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(40):
            yield b"x" * 1024
        yield b'"}'

    response = client.post(PARSE, content=chunks(), headers={"content-type": "application/json"})
    assert "content-length" not in response.request.headers
    assert_too_large(response, "32 KB")
    assert client.post(PARSE, json={"text": "4 month old"}).status_code == 200


def test_an_oversized_admin_form_gets_413(client: TestClient) -> None:
    response = client.post(
        "/admin/login", data={"email": "a@example.nhs.uk", "password": "x" * 300_000}
    )
    assert_too_large(response, "256 KB")


def test_the_import_upload_has_its_own_larger_cap() -> None:
    with make_client() as client:
        add_staff(client)
        quick_session(client, "editor")
        token = form_token(client, "/admin/transfer")
        big = client.post(
            "/admin/import", data={"csrf_token": token},
            files={"files": ("content.zip", b"\0" * (5 * 1024 * 1024 + 1), "application/zip")},
        )
        assert_too_large(big, "5 MB")
        # Over the admin forms' limit but under the import's: read, and refused as no zip.
        small = client.post(
            "/admin/import", data={"csrf_token": token},
            files={"files": ("content.zip", b"\0" * (300 * 1024), "application/zip")},
        )
        assert small.status_code == 400 and "not a valid zip file" in small.text


def test_a_streamed_body_past_the_limit_stops_being_read() -> None:
    """The middleware on its own: the app reads chunk by chunk and gets a 413
    after the first chunk past the limit, and no more chunks are taken."""
    taken: list[int] = []
    sent: list[dict[str, Any]] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            taken.append(len(message.get("body", b"")))
            if not message.get("more_body"):
                break

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"x" * 1000, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    middleware = BodyLimitMiddleware(app, BodyLimits(2500, 2500, 2500))
    scope = {"type": "http", "path": "/api/v1/parse", "headers": []}
    asyncio.run(middleware(scope, receive, send))
    assert taken == [1000, 1000], "the third chunk (past 2,500 bytes) never reached the app"
    assert sent[0]["status"] == 413


# ---- shared storage -------------------------------------------------------------


def test_instances_share_counts_in_redis() -> None:
    """Two instances on one Redis refuse together (skipped when no Redis runs
    on 127.0.0.1:6379: the storage is optional)."""
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()
    except redis.RedisError as error:
        pytest.skip(f"no Redis on 127.0.0.1:6379: {error}")
    settings = Settings(environment="test", rate_limit_storage_url=url, rate_limit_parse="3/minute")
    first, second = RateLimits(settings), RateLimits(settings)
    start_early_in_a_minute(5)

    async def burst() -> list[bool]:
        refused = []
        for limits in (first, second, first, second):
            refused.append(await limits.refusal("parse", "192.0.2.7") is not None)
        return refused

    assert asyncio.run(burst()) == [False, False, False, True]


def test_a_storage_that_is_down_lets_requests_through(caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings(environment="test", rate_limit_parse="1/minute",
                        rate_limit_storage_url="redis://127.0.0.1:9/0")
    limits = RateLimits(settings)

    async def twice() -> list[object]:
        return [await limits.refusal("parse", "192.0.2.8") for _ in range(2)]

    assert asyncio.run(twice()) == [None, None]
    assert "rate limit storage unavailable" in caplog.text
