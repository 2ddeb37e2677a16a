"""POST /api/v1/chat: the proxy's contract, its own red-flag screening and its
503 when Rasa is down. Rasa itself is replaced by an httpx.MockTransport that
answers like Rasa's REST channel (tests/e2e talk to the real trained bot)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.conversations import COOKIE_NAME
from tests.conftest import make_client
from tests.support.fake_rasa import use_fake_rasa
from tests.support.stack import free_port

URL = "/api/v1/chat"


def conversation_id(client: TestClient) -> str:
    """The server-issued id in the client's conversation cookie."""
    return client.cookies[COOKIE_NAME].split(".")[0]


class FakeRasa:
    def __init__(self) -> None:
        self.reply: list[dict[str, Any]] = []
        self.received: list[dict[str, Any]] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/webhooks/rest/webhook"
        self.received.append(json.loads(request.content))
        return httpx.Response(200, json=self.reply)


@pytest.fixture
def rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def chat_client(rasa: FakeRasa) -> Iterator[TestClient]:
    with make_client() as client:
        use_fake_rasa(client, rasa.handler)
        yield client


def test_bot_messages_become_the_chat_contract(chat_client: TestClient, rasa: FakeRasa) -> None:
    recommendation = {"tier": "lmm_consultation", "headline": "Talk it through with LMM."}
    rasa.reply = [
        {"recipient_id": "abc", "text": "So far: consultation."},
        {"recipient_id": "abc", "custom": {"kind": "recommendation"}},
        {"recipient_id": "abc", "text": "LMM consultation: how to book."},
        {"recipient_id": "abc",
         "custom": {"kind": "recommendation", "recommendation": recommendation}},
        {"recipient_id": "abc", "text": "Handover summary", "buttons": [
            {"title": "Start again", "payload": "/start_again"}]},
        {"recipient_id": "abc", "custom": {"kind": "handover", "handover": "Handover summary"}},
        {"recipient_id": "abc", "text": "How long has this been going on?",
         "buttons": [{"title": "I don't know", "payload": "/dont_know"}]},
        {"recipient_id": "abc", "custom": {"asking": "duration"}},
    ]
    response = chat_client.post(URL, json={"message": "6 week old, low mood"})
    assert response.status_code == 200
    assert response.json() == {
        "messages": [
            {"text": "So far: consultation.", "buttons": [], "kind": "recommendation"},
            {"text": "LMM consultation: how to book.", "buttons": [], "kind": "recommendation"},
            {"text": "Handover summary", "buttons": [
                {"title": "Start again", "payload": "/start_again"}], "kind": "handover"},
            {"text": "How long has this been going on?",
             "buttons": [{"title": "I don't know", "payload": "/dont_know"}], "kind": "text"},
        ],
        "asking": "duration",
        "recommendation": recommendation,
        "handover": "Handover summary",
    }
    reading = chat_client.post("/api/v1/parse", json={"text": "6 week old, low mood"}).json()
    assert rasa.received == [{
        "sender": conversation_id(chat_client),
        "message": "6 week old, low mood",
        "metadata": {"navigator_parse": reading},
    }], "the bot gets the engine's reading of the message with it, so it need not ask again"
    assert reading["age"]["weeks"] == 6


def test_the_safety_check_is_asked_as_safety_check_with_its_three_answers(
    chat_client: TestClient, rasa: FakeRasa
) -> None:
    buttons = [{"title": "None of these", "payload": "/deny"},
               {"title": "Yes", "payload": "/affirm"},
               {"title": "Not sure", "payload": "/dont_know"}]
    rasa.reply = [
        {"recipient_id": "abc", "text": "Before I give my answer, a safety check.\n- Hurt?",
         "buttons": buttons},
        {"recipient_id": "abc", "custom": {"asking": "safety_check"}},
    ]
    response = chat_client.post(
        URL, json={"message": "4 month old in BD3 9, can't bond"})
    body = response.json()
    assert body["asking"] == "safety_check"
    assert body["recommendation"] is None
    assert body["messages"] == [{"text": "Before I give my answer, a safety check.\n- Hurt?",
                                 "buttons": buttons, "kind": "text"}]


def test_a_kind_only_marks_the_text_it_was_sent_with(
    chat_client: TestClient, rasa: FakeRasa
) -> None:
    rasa.reply = [
        {"recipient_id": "abc", "custom": {"kind": "recommendation"}},  # no text before it
        {"recipient_id": "abc", "text": "Hello."},
        {"recipient_id": "abc", "text": "What is the postcode?"},
        {"recipient_id": "abc", "custom": {"kind": "no-such-kind", "asking": "postcode"}},
        {"recipient_id": "abc", "custom": {"kind": "handover"}},  # follows a payload, not text
    ]
    response = chat_client.post(URL, json={"message": "hello"})
    assert [m["kind"] for m in response.json()["messages"]] == ["text", "text"]


def test_a_red_flag_the_bot_missed_still_gets_urgent_guidance(
    chat_client: TestClient, rasa: FakeRasa
) -> None:
    rasa.reply = [{"recipient_id": "abc", "text": "What is the family's postcode?"},
                  {"recipient_id": "abc", "custom": {"asking": "postcode"}}]
    response = chat_client.post(
        URL, json={"message": "there's a bruise on the 6 week old's cheek"}
    )
    body = response.json()
    assert response.status_code == 200
    assert body["recommendation"]["tier"] == "urgent"
    assert body["messages"][0]["text"].startswith("URGENT")
    assert body["messages"][0]["kind"] == "urgent"
    assert body["asking"] is None, "the question is withdrawn in favour of the emergency"


def test_rasa_down_answers_503_with_direct_contacts_and_urgent_guidance() -> None:
    with make_client(rasa_url=f"http://127.0.0.1:{free_port()}", rasa_timeout_seconds=2) as client:
        response = client.post(
            URL, json={"message": "mum told me she wants to kill herself"}
        )
        calm = client.post(URL, json={"message": "4 month old, not bonding"})
    assert response.status_code == 503
    body = response.json()
    text = "\n".join(m["text"] for m in body["messages"])
    assert "999" in text and "0800 952 1181" in text
    assert body["recommendation"]["tier"] == "urgent"
    assert body["detail"].startswith("The chatbot is not available")
    assert [m["kind"] for m in body["messages"]] == ["urgent", "contacts"]
    assert calm.status_code == 503
    assert calm.json()["recommendation"] is None
    assert "Little Minds Matter" in calm.json()["messages"][0]["text"]


def _front_door_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if "01274 435600" in line]


def test_the_uncertain_front_door_number_carries_its_caveat_and_note(
    chat_client: TestClient, rasa: FakeRasa
) -> None:
    """The urgent text and the contacts fallback never show the front door's
    unconfirmed number as certain: the caveat and what is unconfirmed follow it."""
    rasa.reply = [{"recipient_id": "abc", "text": "What is the family's postcode?"}]
    urgent = chat_client.post(URL, json={"message": "there's a bruise on the 6 week old's cheek"})
    urgent_lines = _front_door_lines(urgent.json()["messages"][0]["text"])
    with make_client(rasa_url=f"http://127.0.0.1:{free_port()}", rasa_timeout_seconds=2) as client:
        down = client.post(URL, json={"message": "4 month old, not bonding"})
    fallback_lines = _front_door_lines(down.json()["messages"][0]["text"])
    assert urgent_lines and fallback_lines
    for line in urgent_lines + fallback_lines:
        assert "01274 435600 (number to be confirmed). To be confirmed by LMM staff: which " \
               "front-door number to publish" in line, line
        assert "Emergency Duty Team on 01274 431010" in line, line


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        ({"sender_id": "abc", "message": "hi"}, "sender_id", "server issues"),
        ({"sender_id": "", "message": "hi"}, "sender_id", "no longer accepted"),
        ({"message": "x" * 2001}, "message", "at most 2000"),
        ({"message": "   "}, "message", "some text"),
        ({}, "message", "required"),
        ({"message": "hi", "new_conversation": "please"}, "new_conversation", "true or false"),
        ({"message": "hi", "name": "Jane"}, "name", "not a field"),
    ],
)
def test_bad_requests_get_a_422_naming_the_field(
    chat_client: TestClient, body: dict[str, Any], field: str, says: str
) -> None:
    response = chat_client.post(URL, json=body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors[0]["field"] == field
    assert says in errors[0]["message"]


def test_a_garbled_rasa_answer_is_treated_as_rasa_down() -> None:
    def garbled(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"not": "a list"})

    with make_client() as client:
        use_fake_rasa(client, garbled)
        response = client.post(URL, json={"message": "hello"})
    assert response.status_code == 503


def test_a_turn_says_where_its_time_went(chat_client: TestClient, rasa: FakeRasa) -> None:
    from threadpoolctl import threadpool_info

    rasa.reply = [{"recipient_id": "abc", "text": "Hello"}]
    response = chat_client.post(URL, json={"message": "4 month old, can't bond"})
    assert response.status_code == 200
    parts = dict(
        part.strip().split(";dur=") for part in response.headers["Server-Timing"].split(",")
    )
    assert set(parts) == {"read", "rasa"}, "the api's reading, then the wait for Rasa"
    assert all(float(ms) >= 0 for ms in parts.values())
    # The app's numerical libraries run on one thread (their pools spin on 2 cores).
    assert all(p["num_threads"] == 1 for p in threadpool_info() if p["user_api"] == "blas")
