"""POST /api/v1/chat keeps personal details in: Rasa gets only the redacted
text and a reading with no personal detail, the engine still reads the
original (age, sector, red flags), and neither the answer nor the api's logs
carry what was typed. Rasa is an httpx.MockTransport here; tests/e2e/
test_privacy.py does the same through the real stack."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.conftest import make_client
from tests.support.fake_rasa import use_fake_rasa

URL = "/api/v1/chat"
MESSAGE = (
    "Mrs Sarah Khan, DOB 03/04/2026, NHS 943 476 5919, 14 Oak Road BD3 9LF, "
    "07700 900123, sarah.khan@example.com: mum can't bond with her baby"
)
DETAILS = ["Sarah", "Khan", "03/04/2026", "3 April", "943 476 5919", "Oak Road", "9LF",
           "07700", "900123", "example.com"]
RED_FLAG = "Mrs Khan 07700 900123 says dad shook the baby, born 3/4/2026, BD3 9LF"


class FakeRasa:
    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.received: list[dict[str, Any]] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.received.append(json.loads(request.content))
        return httpx.Response(self.status, json=[{"recipient_id": "x", "text": "Thanks."}])


def client_for(rasa: FakeRasa) -> Iterator[TestClient]:
    with make_client() as client:
        use_fake_rasa(client, rasa.handler)
        yield client


@pytest.fixture
def rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def chat_client(rasa: FakeRasa) -> Iterator[TestClient]:
    yield from client_for(rasa)


def assert_none_of(text: str, details: list[str]) -> None:
    found = [d for d in details if d.lower() in text.lower()]
    assert not found, f"{found} in {text}"


def test_rasa_gets_only_redacted_text_and_a_reading_without_details(
    chat_client: TestClient, rasa: FakeRasa
) -> None:
    response = chat_client.post(URL, json={"message": MESSAGE})
    assert response.status_code == 200
    (sent,) = rasa.received
    assert sent["message"] == (
        "Mrs [name], DOB [date], NHS [NHS number], [address] BD3 9, "
        "[phone], [email]: mum can't bond with her baby"
    )
    assert_none_of(json.dumps(sent), DETAILS)
    reading = sent["metadata"]["navigator_parse"]
    # The engine read the original: the age from the date of birth, the sector.
    assert reading["age"]["months"] == 7 and reading["age"]["text"] == "7 months old"
    assert reading["postcode"]["normalised"] == "BD3 9"
    assert "bradford_district" in reading["postcode"]["areas"]
    assert [c["code"] for c in reading["concerns"]] == ["bonding"]
    assert_none_of(response.text, DETAILS)


def test_a_red_flag_is_read_from_the_original_and_answered_without_details(
    chat_client: TestClient, rasa: FakeRasa
) -> None:
    reply = chat_client.post(URL, json={"message": RED_FLAG}).json()
    assert reply["recommendation"]["tier"] == "urgent"
    assert reply["messages"][0]["kind"] == "urgent"
    assert_none_of(json.dumps(reply), DETAILS)
    assert_none_of(json.dumps(rasa.received), DETAILS)
    assert rasa.received[0]["metadata"]["navigator_parse"]["red_flag"] is True


def test_the_api_logs_no_message_text(caplog: pytest.LogCaptureFixture) -> None:
    down = FakeRasa(status=500)
    caplog.set_level(logging.DEBUG)
    for client in client_for(down):
        assert client.post(URL, json={"message": MESSAGE}).status_code == 503
        response = client.post(URL, json={"message": RED_FLAG})
        assert response.status_code == 503
        assert_none_of(response.text, DETAILS)
    assert caplog.records, "the outage is logged"
    assert_none_of("\n".join(r.getMessage() for r in caplog.records), DETAILS)
