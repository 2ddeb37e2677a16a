"""The Open Referral UK view over HTTP validates against the UK profile schemas."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support.oruk_schemas import oruk_validators


def test_every_page_and_every_service_record_validates(client: TestClient) -> None:
    validate = oruk_validators()
    first = client.get("/openreferral/services", params={"per_page": 10})
    assert first.status_code == 200
    page = first.json()
    validate["page"](page)
    assert page["total_items"] >= 25 and page["size"] == 10
    seen: list[str] = []
    for number in range(1, page["total_pages"] + 1):
        body = client.get("/openreferral/services", params={"per_page": 10, "page": number}).json()
        validate["page"](body)
        for item in body["contents"]:
            validate["service_list"](item)
            record = client.get(f"/openreferral/services/{item['id']}")
            assert record.status_code == 200
            validate["service"](record.json())
            seen.append(item["id"])
    assert len(seen) == len(set(seen)) == page["total_items"]


def test_unknown_ids_and_bad_paging_get_clear_errors(client: TestClient) -> None:
    missing = client.get("/openreferral/services/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404
    bad = client.get("/openreferral/services", params={"page": 0})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "page"
