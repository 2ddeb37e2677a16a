"""The api docs work offline, and every response carries the security headers."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_docs_are_served_from_local_assets_with_examples(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page.text
    assert "cdn." not in page.text, "the docs must not depend on a CDN"
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    schema = client.get("/openapi.json").json()
    body = schema["paths"]["/api/v1/recommendations"]["post"]["requestBody"]
    assert body["content"]["application/json"]["examples"], "the docs show worked examples"


def test_pages_and_api_carry_a_strict_content_security_policy(client: TestClient) -> None:
    for path in ("/", "/healthz", "/api/v1/services"):
        headers = client.get(path).headers
        assert "script-src 'self';" in headers["content-security-policy"], path
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
