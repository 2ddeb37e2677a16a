"""Who is asking, through the api: the ``asker`` field of POST /api/v1/recommendations."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

URL = "/api/v1/recommendations"
BONDING = {
    "description": "Mum has been struggling to bond with her baby for the last three months, "
    "very flat with him, happy to be referred",
    "age": "4 months", "postcode": "BD3 9LF", "consent_to_referral": True,
}


def post(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post(URL, json=body)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def test_a_volunteer_is_told_to_tell_the_health_visitor_not_to_refer_to_lmm(
    client: TestClient,
) -> None:
    professional = post(client, **BONDING, asker="health_visitor_or_midwife")
    volunteer = post(client, **BONDING, asker="volunteer")
    assert professional["tier"] == "lmm_referral"
    assert volunteer["tier"] == "signpost"
    assert volunteer["services"][0]["id"] == "health-visiting"
    assert not {"lmm-clinical", "lmm-consultation"} & {s["id"] for s in volunteer["services"]}
    steps = " ".join(volunteer["next_steps"])
    assert "designated safeguarding lead" in steps and "call 999" in steps
    assert any(t["rule"] == "V-001" and "volunteer" in t["outcome"] for t in volunteer["trace"])


def test_without_an_asker_the_answer_is_unchanged(client: TestClient) -> None:
    assert post(client, **BONDING)["tier"] == "lmm_referral"
    assert post(client, **BONDING, asker=None)["tier"] == "lmm_referral"


def test_a_red_flag_stays_urgent_for_a_volunteer(client: TestClient) -> None:
    data = post(client, description="bruise on the cheek of a 6 week old", postcode="BD5",
                asker="volunteer")
    assert data["tier"] == "urgent"
    assert data["next_steps"][0].startswith("Phone the children's social care front door now")
    assert "designated safeguarding lead" in " ".join(data["next_steps"])


def test_an_unknown_asker_is_refused_with_what_is_accepted(client: TestClient) -> None:
    response = client.post(URL, json={**BONDING, "asker": "social worker"})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail.startswith("asker:")
    for accepted in ("health_visitor_or_midwife", "other_professional", "volunteer", "lmm_staff"):
        assert accepted in detail


def test_the_asker_is_documented_in_the_openapi_schema(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    query = schema["components"]["schemas"]["Query"]["properties"]["asker"]
    assert "volunteer" in str(query)
