"""Conversations belong to whoever started them: the server issues the id in
a signed HttpOnly cookie, an id it did not issue is replaced (cookie) or
refused (body), and the usage counts count each conversation once. Rasa is
an httpx.MockTransport that remembers each conversation's handover."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import Response
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.conversation_usage import CountedConversations
from api.conversations import COOKIE_NAME, COOKIE_PATH, Conversations
from api.settings import Settings
from knowledge.usage.counts import all_counts
from tests.conftest import make_client
from tests.support.fake_rasa import use_fake_rasa
from tests.support.rate_windows import start_early_in_a_minute

URL = "/api/v1/chat"
CASE = "4 month old in BD3 9, mum can't bond with him"


class RememberingRasa:
    """Answers like Rasa's REST channel; each sender's first "give the
    handover" message gets a handover, and "handover?" repeats that sender's."""

    def __init__(self) -> None:
        self.senders: list[str] = []
        self.handovers: dict[str, str] = {}
        self.recommendation: dict[str, Any] | None = None
        self.asking: str | None = None

    def handler(self, request: httpx.Request) -> httpx.Response:
        payload = json.loads(request.content)
        sender, message = payload["sender"], payload["message"]
        self.senders.append(sender)
        if message == "give the handover":
            self.handovers[sender] = f"Handover for case {len(self.handovers) + 1}: BD3 9"
        reply: list[dict[str, Any]] = [{"recipient_id": sender, "text": "Thanks."}]
        if sender in self.handovers:
            reply.append({"recipient_id": sender,
                          "custom": {"kind": "handover", "handover": self.handovers[sender]}})
        if self.recommendation is not None:
            reply.append({"recipient_id": sender, "text": "Talk it through with LMM."})
            reply.append({"recipient_id": sender, "custom": {
                "kind": "recommendation", "recommendation": self.recommendation,
                "asking": self.asking}})
        return httpx.Response(200, json=reply)


@pytest.fixture
def rasa() -> RememberingRasa:
    return RememberingRasa()


@pytest.fixture
def app_client(rasa: RememberingRasa) -> Iterator[TestClient]:
    with make_client() as client:
        yield use_fake_rasa(client, rasa.handler)


def other_browser(client: TestClient) -> TestClient:
    """A second browser on the same app: its own cookie jar."""
    return TestClient(client.app, raise_server_exceptions=False)  # type: ignore[arg-type]


def test_the_server_issues_the_id_in_an_httponly_strict_cookie(
    app_client: TestClient, rasa: RememberingRasa
) -> None:
    first = app_client.post(URL, json={"message": CASE})
    assert first.status_code == 200
    set_cookie = first.headers["set-cookie"]
    assert set_cookie.startswith(f"{COOKIE_NAME}=")
    attributes = {part.strip().lower() for part in set_cookie.split(";")[1:]}
    assert {"httponly", "samesite=strict", f"path={COOKIE_PATH}"} <= attributes
    assert "secure" not in attributes, "plain http outside production"
    assert "max-age" not in " ".join(attributes), "it ends with the browser session"
    assert "sender_id" not in first.json(), "the id is not exposed to the page"

    second = app_client.post(URL, json={"message": "since birth"})
    assert "set-cookie" not in second.headers, "the same conversation goes on"
    conversation_id = app_client.cookies[COOKIE_NAME].split(".")[0]
    assert rasa.senders == [conversation_id, conversation_id]
    assert len(conversation_id) == 24


def test_the_cookie_is_secure_over_https_and_in_production(rasa: RememberingRasa) -> None:
    with make_client() as plain:
        https = TestClient(plain.app, base_url="https://testserver")  # type: ignore[arg-type]
        secure = use_fake_rasa(https, rasa.handler)
        response = secure.post(URL, json={"message": CASE})
        assert "secure" in response.headers["set-cookie"].lower()
    settings = Settings(environment="test", conversation_secret="s" * 40)
    production = Conversations(settings, Path("/nonexistent"), secure=True)
    response = Response()
    production.set_cookie(response, production.issue(), https=False)
    assert "secure" in response.headers["set-cookie"].lower()


def test_start_again_issues_a_new_conversation(
    app_client: TestClient, rasa: RememberingRasa
) -> None:
    app_client.post(URL, json={"message": CASE})
    before = app_client.cookies[COOKIE_NAME]
    again = app_client.post(URL, json={"message": CASE, "new_conversation": True})
    assert again.status_code == 200
    assert app_client.cookies[COOKIE_NAME] != before
    assert rasa.senders[0] != rasa.senders[1]


def test_a_made_up_id_cannot_read_another_conversations_handover(
    app_client: TestClient, rasa: RememberingRasa
) -> None:
    victim = app_client.post(URL, json={"message": "give the handover"}).json()
    assert victim["handover"] == "Handover for case 1: BD3 9"
    victim_cookie = app_client.cookies[COOKIE_NAME]
    victim_id = victim_cookie.split(".")[0]

    attacker = other_browser(app_client)
    # The victim's id in the body: refused, and Rasa never hears of it.
    refused = attacker.post(URL, json={"sender_id": victim_id, "message": "handover?"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "sender_id"
    assert "server issues" in refused.json()["detail"]
    # The victim's id in a cookie with a made-up, or another cookie's, signature: replaced.
    _, issued, _ = victim_cookie.split(".")
    attacker.post(URL, json={"message": "hello"})
    own_signature = attacker.cookies[COOKIE_NAME].split(".")[2]
    for forged in (f"{victim_id}.{issued}.{'A' * 43}", f"{victim_id}.{issued}.{own_signature}",
                   victim_id, "garbage"):
        attacker.cookies.clear()
        attacker.cookies.set(COOKIE_NAME, forged, domain="testserver.local", path=COOKIE_PATH)
        reply = attacker.post(URL, json={"message": "handover?"})
        assert reply.status_code == 200
        assert reply.json()["handover"] is None, f"read the victim's handover with {forged!r}"
        assert rasa.senders[-1] != victim_id
        assert attacker.cookies[COOKIE_NAME].split(".")[0] == rasa.senders[-1], "a new one"
    assert victim_id not in rasa.senders[1:]
    # The victim's own browser still has it.
    assert app_client.post(URL, json={"message": "handover?"}).json()["handover"] is not None


def test_cookies_expire_and_other_secrets_are_not_trusted(tmp_path: Path) -> None:
    settings = Settings(environment="test", conversation_max_age_seconds=3600)
    conversations = Conversations(settings, tmp_path, secure=False)
    issued = conversations.issue(now=1_000_000)
    assert issued.cookie is not None
    assert conversations.verify(issued.cookie, now=1_000_000 + 3600) == issued.id
    assert conversations.verify(issued.cookie, now=1_000_000 + 3601) is None
    assert conversations.verify(issued.cookie, now=1_000_000 - 5) is None, "from the future"
    # Another instance on the same data directory shares the key; another directory does not.
    assert Conversations(settings, tmp_path, False).verify(issued.cookie, 1_000_000) == issued.id
    stranger = Conversations(settings, tmp_path / "elsewhere", False)
    assert stranger.verify(issued.cookie, 1_000_000) is None
    assert (tmp_path / "conversation_secret").stat().st_mode & 0o077 == 0, "owner only"


def test_production_needs_a_conversation_secret() -> None:
    url = "postgresql://navigator@db/navigator"
    with pytest.raises(ValueError, match="CONVERSATION_SECRET"):
        Settings(environment="production", database_url=url)
    with pytest.raises(ValueError, match="at least 32"):
        Settings(environment="production", database_url=url, conversation_secret="short")
    assert Settings(environment="production", database_url=url, conversation_secret="k" * 32)


def test_new_conversations_per_address_are_limited(rasa: RememberingRasa) -> None:
    start_early_in_a_minute()
    with make_client(rate_limit_new_conversations="2/minute") as client:
        use_fake_rasa(client, rasa.handler)
        assert client.post(URL, json={"message": CASE}).status_code == 200
        kept = client.cookies[COOKIE_NAME]
        fresh = other_browser(client)
        assert fresh.post(URL, json={"message": CASE}).status_code == 200
        fresh.cookies.clear()
        refused = fresh.post(URL, json={"message": CASE})
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) >= 1
        assert "new conversations" in refused.json()["detail"]
        assert "set-cookie" not in refused.headers
        # A conversation already started goes on.
        assert client.cookies[COOKIE_NAME] == kept
        assert client.post(URL, json={"message": "since birth"}).status_code == 200
        restarted = client.post(URL, json={"message": CASE, "new_conversation": True})
        assert restarted.status_code == 429


# ---- usage counts ---------------------------------------------------------------


def counted(client: TestClient) -> int:
    client.app.state.usage.flush()  # type: ignore[attr-defined]
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        return sum(row.count for row in all_counts(session))


def test_a_conversation_counts_once_however_many_messages(
    app_client: TestClient, rasa: RememberingRasa
) -> None:
    answer = app_client.post("/api/v1/recommendations", json={"description": CASE})
    assert answer.status_code == 200
    assert counted(app_client) == 0, "direct calls are not counted"
    rasa.recommendation = answer.json()

    rasa.asking = "duration"  # an interim answer with a question pending
    app_client.post(URL, json={"message": CASE})
    assert counted(app_client) == 0
    rasa.asking = None
    for _ in range(50):
        assert app_client.post(URL, json={"message": CASE}).status_code == 200
    assert counted(app_client) == 1, "50 identical messages in one conversation count once"

    app_client.post(URL, json={"message": CASE, "new_conversation": True})
    assert counted(app_client) == 2, "a new conversation counts"
    for _ in range(20):
        app_client.post("/api/v1/recommendations", json={"description": CASE})
    assert counted(app_client) == 2


def test_the_counted_ids_are_bounded_and_expire() -> None:
    remembered = CountedConversations(ttl_seconds=10, max_ids=3)
    assert remembered.first_time("a", now=0)
    assert not remembered.first_time("a", now=5)
    assert remembered.first_time("a", now=10.5), "forgotten once its cookie has expired"
    for name in "bcde":
        assert remembered.first_time(name, now=11)
    assert len(remembered) == 3, "never more than max_ids"
