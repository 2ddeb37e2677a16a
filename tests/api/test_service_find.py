"""The api's service search and the bot's (POST /api/v1/services/find) are one."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_the_search_and_the_bots_find_agree(client: TestClient) -> None:
    for words in ("home start", "what does home start do", "LMM consultation", "zumba"):
        searched = client.get("/api/v1/services", params={"q": words}).json()
        found = client.post("/api/v1/services/find", json={"text": words})
        assert found.status_code == 200
        assert [s["id"] for s in found.json()] == [s["id"] for s in searched]
    assert client.post("/api/v1/services/find", json={"text": "home start"}).json()[0]["id"] == (
        "home-start"
    )


def test_find_refuses_what_is_not_a_text(client: TestClient) -> None:
    assert client.post("/api/v1/services/find", json={"words": "home start"}).status_code == 422
