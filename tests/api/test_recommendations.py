"""POST /api/v1/recommendations through the real app and a real database."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import make_client

URL = "/api/v1/recommendations"


def recommend(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post(URL, json=body)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def service_ids(data: dict[str, Any]) -> list[str]:
    return [s["id"] for s in data["services"]]


def test_a_persistent_bonding_difficulty_with_consent_is_a_referral_to_lmm(
    client: TestClient,
) -> None:
    data = recommend(
        client,
        description="Mum has been struggling to bond with her baby for the last three months, "
        "very flat with him, happy to be referred",
        age="4 months",
        postcode="BD3 9LF",
        consent_to_referral=True,
    )
    assert data["tier"] == "lmm_referral"
    assert data["lmm_eligible"] is True
    assert "lmm-clinical" in service_ids(data)
    assert data["postcode"]["normalised"] == "BD3 9", "a full postcode is cut to its sector"
    assert data["age"]["stage"] == "postnatal" and data["age"]["months"] == 4
    assert data["trace"], "the rules that decided must be shown"
    assert data["knowledge_version"] >= 1
    lmm = next(s for s in data["services"] if s["id"] == "lmm-clinical")
    assert lmm["remit"]["does"] and lmm["remit"]["does_not"]


def test_an_early_worry_without_consent_is_a_consultation(client: TestClient) -> None:
    data = recommend(
        client,
        description="HV a bit worried mum isn't bonding, only noticed this week, "
        "mum not keen on a referral",
        age="6 weeks",
        postcode="BD5 0",
        consent_to_referral=False,
    )
    assert data["tier"] == "lmm_consultation"
    assert "lmm-consultation" in service_ids(data)


def test_a_red_flag_wins_over_everything(client: TestClient) -> None:
    data = recommend(
        client,
        description="lovely bond, no concerns really, "
        "but there is a bruise on the 6 week old's cheek",
        postcode="BD3 9",
    )
    assert data["tier"] == "urgent"
    assert any(c["red_flag"] for c in data["concerns"])
    assert "childrens-social-care" in service_ids(data)


def test_a_family_outside_bradford_is_never_sent_to_lmm(client: TestClient) -> None:
    data = recommend(
        client,
        description="mum can't bond with baby",
        age="3 months",
        postcode="LS6 2AB",
        consent_to_referral=True,
    )
    assert data["tier"] == "signpost"
    assert data["lmm_eligible"] is False
    assert not any(s.startswith("lmm-") for s in service_ids(data))
    assert "leeds-la" in service_ids(data)


def test_a_child_over_two_is_signposted_elsewhere(client: TestClient) -> None:
    data = recommend(client, description="not bonding", age="26 months", postcode="BD5 0AA")
    assert data["tier"] == "signpost"
    assert data["lmm_eligible"] is False
    assert not any(s.startswith("lmm-") for s in service_ids(data))


def test_a_concern_outside_lmms_remit_is_signposted(client: TestClient) -> None:
    data = recommend(
        client, description="struggling with breastfeeding", age="2 weeks", postcode="BD8"
    )
    assert data["tier"] == "signpost"


def test_missing_facts_are_named(client: TestClient) -> None:
    data = recommend(client, description="mum finding it hard to bond")
    assert set(data["missing"]) >= {"age", "postcode"}
    assert data["lmm_eligible"] is None


def test_concern_codes_are_accepted(client: TestClient) -> None:
    codes = {c["code"] for c in client.get("/api/v1/concerns").json()}
    assert codes
    data = recommend(client, concerns=[sorted(codes)[0]], age="3 months", postcode="BD5")
    assert data["concerns"][0]["code"] == sorted(codes)[0]


@pytest.mark.parametrize(
    ("body", "field", "hint"),
    [
        ({"age": "banana"}, "age", "weeks"),
        ({"postcode": "not a postcode"}, "postcode", "postcode"),
        ({"concerns": ["no_such_concern"]}, "concerns", "/api/v1/concerns"),
        ({"description": "x" * 5001}, "description", "5000"),
        ({"age": 6}, "age", "text"),
        ({"concerns": "bonding"}, "concerns", "list"),
        ({"consent_to_referral": "perhaps"}, "consent_to_referral", "true or false"),
        ({"consent_to_referral": "yes"}, "consent_to_referral", "true or false"),
        ({"consent_to_referral": 1}, "consent_to_referral", "true or false"),
        ({"consent_to_refferal": True}, "consent_to_refferal", "not a field"),
    ],
)
def test_bad_input_names_the_field_and_what_is_accepted(
    client: TestClient, body: dict[str, Any], field: str, hint: str
) -> None:
    response = client.post(URL, json=body)
    assert response.status_code == 422, response.text
    data = response.json()
    assert data["errors"][0]["field"] == field
    assert hint.lower() in data["errors"][0]["message"].lower()
    assert "Traceback" not in response.text


def test_malformed_json_is_a_clear_422(client: TestClient) -> None:
    response = client.post(
        URL, content=b'{"age": "6 weeks",', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert "JSON" in response.json()["detail"]


def test_a_body_that_is_not_an_object_is_refused(client: TestClient) -> None:
    response = client.post(URL, json=["6 weeks"])
    assert response.status_code == 422
    assert response.json()["errors"]


def test_services_checked_long_ago_are_flagged_as_stale() -> None:
    body = {"description": "mum can't bond", "age": "3 months", "postcode": "BD5 0AA"}
    with make_client(stale_after_days=1) as strict:
        flagged = strict.post(URL, json=body).json()["services"]
    with make_client(stale_after_days=3650) as relaxed:
        fresh = relaxed.post(URL, json=body).json()["services"]
    assert flagged and all(s["stale"] for s in flagged), "seed details are over a day old"
    assert fresh and not any(s["stale"] for s in fresh), "no seed detail is ten years old"
