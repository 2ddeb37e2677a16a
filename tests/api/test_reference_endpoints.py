"""Services, concerns, postcodes, parse and health endpoints."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_health_names_the_served_version(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["knowledge_version"] >= 1


def test_services_list_spells_out_each_remit(client: TestClient) -> None:
    services = client.get("/api/v1/services").json()
    assert len(services) >= 25
    for service in services:
        assert service["remit"]["does"], service["id"]
        assert service["last_verified"]
    assert all(s["status"] != "closed" for s in services)
    everything = client.get("/api/v1/services", params={"include_closed": True}).json()
    assert len(everything) > len(services)


def test_services_can_be_searched_by_name(client: TestClient) -> None:
    found = client.get("/api/v1/services", params={"q": "home start"}).json()
    assert [s["id"] for s in found] == ["home-start"]
    assert client.get("/api/v1/services", params={"q": "zzzz"}).json() == []


def test_one_service_and_an_unknown_one(client: TestClient) -> None:
    lmm = client.get("/api/v1/services/lmm-consultation")
    assert lmm.status_code == 200
    assert lmm.json()["circle"] == "core"
    missing = client.get("/api/v1/services/no-such-service")
    assert missing.status_code == 404
    assert "/api/v1/services" in missing.json()["detail"]


def test_concerns_include_red_flags(client: TestClient) -> None:
    concerns = client.get("/api/v1/concerns").json()
    assert any(c["red_flag"] for c in concerns)
    assert any(not c["red_flag"] for c in concerns)


def test_postcode_resolution_is_honest_about_certainty(client: TestClient) -> None:
    inside = client.post("/api/v1/postcodes", json={"postcode": "bd59aa"}).json()
    assert inside["normalised"] == "BD5 9"
    assert "bradford_district" in inside["areas"]
    assert inside["lmm_area"] is True
    leeds = client.post("/api/v1/postcodes", json={"postcode": "LS6"}).json()
    assert leeds["lmm_area"] is False
    split = client.post("/api/v1/postcodes", json={"postcode": "BD20"}).json()
    assert split["lmm_area"] is None and split["possible_areas"]
    bad = client.post("/api/v1/postcodes", json={"postcode": "banana"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "postcode"
    too_long = client.post("/api/v1/postcodes", json={"postcode": "x" * 21})
    assert too_long.status_code == 422


def test_no_postcode_in_a_url(client: TestClient) -> None:
    """The postcode goes in the body: the old path form is gone."""
    assert client.get("/api/v1/postcodes/BD3 9LF").status_code in (404, 405)
    assert client.get("/api/v1/postcodes", params={"postcode": "BD3 9LF"}).status_code == 405


def test_parse_finds_age_postcode_and_concerns_in_one_message(client: TestClient) -> None:
    data = client.post(
        "/api/v1/parse", json={"text": "Mum of a 4 month old in BD3 9LF can't bond with him"}
    ).json()
    assert data["age"]["months"] == 4
    assert data["postcode"]["normalised"] == "BD3 9"
    assert data["red_flag"] is False
    assert data["concerns"]
    urgent = client.post("/api/v1/parse", json={"text": "dad says he shook the baby"}).json()
    assert urgent["red_flag"] is True


def test_parse_reads_consent_to_a_referral(client: TestClient) -> None:
    def consent(text: str) -> bool | None:
        response = client.post("/api/v1/parse", json={"text": text})
        assert response.status_code == 200
        value: bool | None = response.json()["consent_to_referral"]
        return value

    assert consent("4 month old in BD3 9, mum happy to be referred") is True
    assert consent("not bonding, mum doesn't want a referral") is False
    assert consent("not bonding, not sure if she wants a referral") is None
    assert consent("mum can't bond with him") is None


def test_services_fill_contact_placeholders_and_note_uncertain_numbers(
    client: TestClient,
) -> None:
    crisis = client.get("/api/v1/services/first-response").json()
    assert crisis["how_to_refer"].startswith("Phone 0800 952 1181, any time.")
    services = client.get("/api/v1/services").json()
    assert "{phone:" not in str(services)
    front_door = client.get("/api/v1/services/childrens-social-care").json()
    assert front_door["contact"]["phone_uncertain"]
    assert front_door["contact"]["verification_note"].startswith("to be confirmed by LMM staff")
