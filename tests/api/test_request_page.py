"""POST /request: an answer as a one-page referral or consultation request,
filled from the engine's fields only, with lines for the family's details."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from pathways.presentation import postcode_sector
from tests.conftest import make_client

CASE = {
    "description": "Mrs Khan (07700 900123) can't bond with her 4 month old, it has been going "
    "on for 3 months and she agrees to a referral",
    "postcode": "BD3 9LF",
    "safety_check": "none_apply",
}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with make_client() as test_client:
        yield test_client


def request_fields(rec: dict[str, Any]) -> dict[str, list[str]]:
    """What the chat page's request form posts for an answer (api/static/chat/cards.js)."""
    fields = [("tier", rec["tier"])]
    if rec.get("age"):
        fields.append(("age", rec["age"]["text"]))
    sector = postcode_sector((rec.get("postcode") or {}).get("normalised"))
    if sector:
        fields.append(("postcode_sector", sector))
    fields += [("concern", c["code"]) for c in rec["concerns"]]
    if rec["lmm_eligible"] is not None:
        fields.append(("lmm_eligible", "yes" if rec["lmm_eligible"] else "no"))
    rule = next((s["rule"] for s in rec["trace"] if s["rule"].startswith("R-")), None)
    if rule:
        fields.append(("rule", rule))
    fields += [("primary" if s["role"] == "primary" else "also", s["id"]) for s in rec["services"]]
    fields += [("missing", m) for m in rec["missing"]]
    fields.append(("knowledge_version", str(rec["knowledge_version"])))
    form: dict[str, list[str]] = {}
    for name, value in fields:
        form.setdefault(name, []).append(value)
    return form


def answer(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post("/api/v1/recommendations", json=body)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_request_page_is_the_answer_ready_to_print(client: TestClient) -> None:
    rec = answer(client, **CASE)
    page = client.post("/request", data=request_fields(rec))
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    text = text_of(page.text)
    primary = next(s for s in rec["services"] if s["role"] == "primary")
    assert rec["presentation"]["tier_label"] in text
    assert f"How to refer to {primary['name']}" in text
    assert "4 months old" in text
    assert "BD3 9" in text
    assert "Difficulty bonding" in text
    # Lines for the practitioner to write the family's details by hand.
    for blank in ("Parent or carer name(s)", "Address and full postcode", "GP practice"):
        assert blank in text
    # The same handover summary as the chat answer, built by the same function.
    assert rec["presentation"]["handover"] in page.text.replace("&#39;", "'").replace(
        "&amp;", "&")


def test_nothing_typed_reaches_the_request_page(client: TestClient) -> None:
    rec = answer(client, **CASE)
    page = client.post("/request", data=request_fields(rec))
    for typed in ("Khan", "07700", "900123", "BD3 9LF", "can't bond with her"):
        assert typed not in page.text


def test_forged_fields_are_checked_against_the_knowledge(client: TestClient) -> None:
    page = client.post("/request", data={  # type: ignore[arg-type]
        "tier": "lmm_referral",
        "age": "Baby Ayesha Khan",
        "postcode_sector": "BD3 9LF",
        "concern": ["bonding", "<script>alert(1)</script>"],
        "primary": ["lmm-clinical", "07700 900123"],
        "rule": "Mrs Khan",
        "missing": ["consent_to_referral", "her name"],
    })
    assert page.status_code == 200
    for forged in ("Ayesha", "Khan", "9LF", "<script>", "07700", "her name"):
        assert forged not in page.text
    text = text_of(page.text)
    assert "Postcode area BD3 9" in text
    assert "Age or stage Not given" in text
    assert "whether the family agrees to a referral" in text


def test_a_request_without_an_answer_says_where_to_get_one(client: TestClient) -> None:
    refused = client.post("/request", data={"tier": "whatever"})
    assert refused.status_code == 400
    assert "did not come from a navigator answer" in refused.text
    help_page = client.get("/request")
    assert help_page.status_code == 200
    assert 'href="/"' in help_page.text


def test_the_chat_page_posts_the_request_never_in_a_url(client: TestClient) -> None:
    html = client.get("/").text
    form = re.search(r'<form[^>]*data-role="request"[^>]*>', html)
    assert form is not None
    assert 'method="post"' in form.group(0)
    assert 'action="/request"' in form.group(0)
