"""The public OpenAPI document tells the truth, and schemathesis keeps it so.

The slow test starts the real api under uvicorn (tests/support/stack.py, a
fresh SQLite database, rate limits far above what the run sends, loopback not
exempt so the limiter still counts) with a stub Rasa, so ``POST /api/v1/chat``
answers as it does with a bot, and runs ``schemathesis run --checks all`` over
every operation in ``/openapi.json``: server errors, status codes, content
types, response bodies and headers against the document, schema-invalid data
refused, schema-valid data accepted (with the narrow exception for free text
the engine reads: tests/api/schemathesis.toml and schemathesis_hooks.py), and
more. A fixed seed and one worker make a run repeatable; nothing leaves the
machine. The fast tests check the document's error answers directly.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.errors import ErrorBody
from api.limits import category
from tests.conftest import make_client
from tests.support.stack import PROJECT_ROOT, running_stack

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
CONFIG = Path(__file__).with_name("schemathesis.toml")
MAX_EXAMPLES = 40
SEED = 20261127
ERROR_BODY_REF = "#/components/schemas/ErrorBody"

HIGH = "100000/minute"
API_ENV = {
    "RATE_LIMIT_EXEMPT": "192.0.2.1",  # a documentation address: loopback is counted
    "RATE_LIMIT_CHAT": HIGH,
    "RATE_LIMIT_PARSE": HIGH,
    "RATE_LIMIT_RECOMMENDATIONS": HIGH,
    "RATE_LIMIT_POSTCODES": HIGH,
    "RATE_LIMIT_API": HIGH,
    "RATE_LIMIT_NEW_CONVERSATIONS": HIGH,
    "ENVIRONMENT": "test",
}

# What Rasa's REST channel sends for the bot's first question: the text, then
# the custom payload naming the slot asked for.
RASA_REPLY = [
    {"recipient_id": "stub", "text": "How old is the baby, or how many weeks pregnant?"},
    {"recipient_id": "stub", "custom": {"asking": "age", "kind": "text"}},
]


class _StubRasa(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        body = json.dumps(RASA_REPLY).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def stub_rasa() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StubRasa)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """One app for the module's fast tests: they only read."""
    with make_client() as test_client:
        yield test_client


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


@pytest.mark.slow
def test_schemathesis_finds_nothing_wrong_with_the_public_api(tmp_path: Path) -> None:
    with stub_rasa() as rasa_url, running_stack(
        tmp_path / "stack", with_bot=False, api_env={**API_ENV, "RASA_URL": rasa_url}
    ) as stack:
        count = len(operations(httpx.get(f"{stack.api_url}/openapi.json", timeout=10).json()))
        run = subprocess.run(
            [
                str(SCHEMATHESIS), "--config-file", str(CONFIG),
                "run", f"{stack.api_url}/openapi.json",
                "--checks", "all",
                "--max-examples", str(MAX_EXAMPLES),
                "--seed", str(SEED),
                "--workers", "1",
                "--generation-database", "none",
                "--request-timeout", "30",
                "--no-color",
            ],
            cwd=tmp_path,
            env={
                **os.environ,
                "PYTHONPATH": str(PROJECT_ROOT),  # the hooks module
                "NO_PROXY": "127.0.0.1,localhost",
            },
            capture_output=True,
            text=True,
            timeout=300,
        )
    report = run.stdout[-12000:] + run.stderr[-3000:]
    assert run.returncode == 0, report
    assert f"Selected: {count}/{count}" in run.stdout, report
    assert f"Tested: {count}" in run.stdout, report


def test_every_error_answer_is_documented_with_the_error_body(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and "ValidationError" not in schemas
    assert set(schemas["ErrorBody"]["required"]) == {"detail", "errors"}
    for method, path, operation in operations(document):
        responses = operation["responses"]
        expected = {"413"}
        if "requestBody" in operation:
            expected |= {"400", "422"}
        if operation.get("parameters"):
            expected.add("422")
        if category(path) is not None:
            expected.add("429")
        assert expected <= set(responses), (method, path, sorted(responses))
        for status, response in responses.items():
            if status.startswith("4"):
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": ERROR_BODY_REF}, (method, path, status)
        if "429" in responses:
            assert responses["429"]["headers"]["Retry-After"]["required"] is True


def test_request_bodies_refuse_what_their_schemas_refuse(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    for method, path, operation in operations(document):
        if "requestBody" not in operation:
            continue
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        body_schema = schemas[ref.rsplit("/", 1)[-1]]
        assert body_schema.get("additionalProperties") is False, (method, path)
        extra = client.post(path, json={"not_a_field": 1})
        assert extra.status_code == 422, (path, extra.text)
        assert {"field": "not_a_field", "message": "not_a_field is not a field this endpoint "
                "accepts."} in extra.json()["errors"]


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/api/v1/recommendations", {"consent_to_referral": "yes"}, 422),
        ("/api/v1/recommendations", {"age": "banana"}, 422),
        ("/api/v1/services/no-such-service", None, 404),
        ("/openreferral/services?per_page=0", None, 422),
        ("/api/v1/parse", b'{"text": "\x80"}', 400),  # not UTF-8
    ],
)
def test_error_answers_match_the_documented_body(
    client: TestClient, path: str, body: Any, status: int
) -> None:
    if body is None:
        response = client.get(path)
    elif isinstance(body, bytes):
        response = client.post(path, content=body, headers={"content-type": "application/json"})
    else:
        response = client.post(path, json=body)
    assert response.status_code == status, response.text
    ErrorBody.model_validate(response.json(), strict=True)
