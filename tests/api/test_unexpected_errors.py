"""An unexpected error answers a plain 500 and logs where it happened, never
the exception's message, which may quote what a practitioner typed."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from tests.conftest import make_client

TYPED = "Mrs Khan 07700 900123 flat 2"


def test_a_500_logs_the_place_and_type_but_not_the_message(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def fails() -> None:
        raise ValueError(f"could not read {TYPED!r}")

    with make_client() as client:
        assert isinstance(client, TestClient)
        client.app.add_api_route("/test-only/fails", fails)  # type: ignore[attr-defined]
        with caplog.at_level(logging.ERROR, logger="navigator"):
            response = client.get("/test-only/fails")
    assert response.status_code == 500
    assert TYPED not in response.text
    logged = caplog.text  # formatted as a log handler would write it, traceback included
    assert "ValueError" in logged and "/test-only/fails" in logged
    assert "fails" in logged, "the traceback's frames are kept for the operator"
    assert TYPED not in logged and "Khan" not in logged
