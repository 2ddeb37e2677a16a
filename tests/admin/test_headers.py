"""Security headers on every kind of response, error pages and static files
included (api/security_headers.py, api/errors.py); HSTS in production only."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from api.security_headers import HEADERS, HSTS, STRICT_CSP
from knowledge.staff import throttle
from tests.admin.support import quick_session, sign_in


def assert_secured(response: Any, where: str) -> None:
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, (where, name, dict(response.headers))
    assert response.headers.get("content-security-policy") == STRICT_CSP, where
    assert "server" not in response.headers, where


def every_kind_of_response(client: TestClient) -> dict[str, Any]:
    def boom() -> None:
        raise RuntimeError("a bug")

    client.app.add_api_route("/test-only/boom", boom)  # type: ignore[attr-defined]
    responses = {
        "page": client.get("/"),
        "api": client.get("/api/v1/concerns"),
        "static": client.get("/static/chat.css"),
        "admin css": client.get("/admin/static/admin.css"),
        "admin page": client.get("/admin/login"),
        "404": client.get("/no-such-page"),
        "404 static": client.get("/static/no-such-file.css"),
        "405": client.delete("/api/v1/concerns"),
        "422": client.post("/api/v1/recommendations", json={"age": []}),
        "413": client.post("/api/v1/recommendations", content=b"x" * 5_000_000,
                           headers={"content-type": "application/json"}),
        "500": client.get("/test-only/boom"),
    }
    quick_session(client, "admin")
    responses["admin 400"] = client.get("/admin/export?version=²")
    responses["admin 403"] = client.post("/admin/logout", data={"csrf_token": "forged"})
    client.cookies.clear()
    for _ in range(throttle.PAIR_FREE_FAILURES):
        sign_in(client, "editor", password="not the password")
    responses["429"] = sign_in(client, "editor", password="not the password")
    return responses


def test_every_response_carries_the_security_headers(admin_client: TestClient) -> None:
    responses = every_kind_of_response(admin_client)
    statuses = {name: r.status_code for name, r in responses.items()}
    assert statuses == {
        "page": 200, "api": 200, "static": 200, "admin css": 200, "admin page": 200,
        "404": 404, "404 static": 404, "405": 405, "422": 422, "413": 413, "500": 500,
        "admin 400": 400, "admin 403": 403, "429": 429,
    }
    for name, response in responses.items():
        assert_secured(response, name)
        assert "strict-transport-security" not in response.headers, "not outside production"
    assert "a bug" not in responses["500"].text


def test_production_adds_hsts_everywhere(admin_client: TestClient) -> None:
    app = admin_client.app
    app.state.settings = app.state.settings.model_copy(  # type: ignore[attr-defined]
        update={"environment": "production"}
    )
    for name, response in every_kind_of_response(admin_client).items():
        assert_secured(response, name)
        assert response.headers.get("strict-transport-security") == HSTS, name
