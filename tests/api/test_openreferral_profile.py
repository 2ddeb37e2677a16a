"""Every path the Open Referral UK profile names, served under /openreferral.

The profile's own openapi.json (vendored in knowledge/content/oruk_profile/)
lists the paths; each answer here validates against that path's 200 schema
there, and the filters and paging do what a directory's user would notice.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.errors import ErrorBody
from knowledge.content.oruk import (
    CIRCLES,
    CONCERNS,
    PROFILE_OPENAPI_URL,
    service_id_for,
    taxonomy_id_for,
    taxonomy_term_id_for,
)
from tests.conftest import make_client
from tests.support.oruk_schemas import PAGE_KEYS, VENDORED, Validate, oruk_validators

PREFIX = "/openreferral"
PROFILE_PATHS = list(json.loads((VENDORED / "openapi.json").read_text(encoding="utf-8"))["paths"])


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """One app for the module: every test only reads."""
    with make_client() as test_client:
        yield test_client


@pytest.fixture(scope="module")
def validators() -> dict[str, Validate]:
    return oruk_validators()


def get_ok(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(PREFIX + path, params=params)
    assert response.status_code == 200, (path, params, response.text)
    return response.json()


def every_record(client: TestClient, path: str, **params: Any) -> list[dict[str, Any]]:
    """Walk a listing's pages (3 to a page) and return every record on them."""
    records: list[dict[str, Any]] = []
    number = 1
    while True:
        page = get_ok(client, path, page=number, per_page=3, **params)
        assert set(page) == PAGE_KEYS
        records += page["contents"]
        if page["last_page"]:
            assert page["total_items"] == len(records)
            return records
        number += 1


def test_the_app_serves_every_path_the_profile_names(client: TestClient) -> None:
    served = set(client.get("/openapi.json").json()["paths"])
    # the profile's {id} templates, as the app spells them
    assert {PREFIX + path for path in PROFILE_PATHS} <= served
    assert len(PROFILE_PATHS) == 9  # the profile at the vendored commit


def concrete(client: TestClient, path: str) -> str:
    """The profile path with its {id} filled by the first record of its listing."""
    if "{id}" not in path:
        return path
    listing = get_ok(client, path.replace("/{id}", ""), per_page=1)
    if listing["empty"]:
        return ""
    return path.replace("{id}", listing["contents"][0]["id"])


@pytest.mark.parametrize("path", PROFILE_PATHS)
def test_each_profile_path_answers_what_its_schema_in_the_profile_says(
    client: TestClient, validators: dict[str, Validate], path: str
) -> None:
    url = concrete(client, path)
    if not url:  # service_at_locations: none exist, so there is no id to fetch
        assert path == "/service_at_locations/{id}"
        return
    body = get_ok(client, url)
    validators[path](body)  # a listing's schema is the profile's Page with its records
    if "{id}" not in path and path != "/":
        assert set(body) == PAGE_KEYS
        assert body["page_number"] == 1 and body["first_page"] is True


def test_the_root_says_the_hsds_version_and_where_the_profile_is(client: TestClient) -> None:
    body = get_ok(client, "/")
    assert body["version"] == "3.0"
    assert body["openapi_url"] == PROFILE_OPENAPI_URL
    assert body["openapi_url"].endswith("/openapi.json")
    assert body["profile"].startswith("https://") and "uk-profile" in body["profile"]


def test_taxonomies_hold_the_concerns_with_their_groups_and_the_circles(
    client: TestClient, validators: dict[str, Validate]
) -> None:
    taxonomies = every_record(client, "/taxonomies")
    assert [t["id"] for t in taxonomies] == [taxonomy_id_for(CONCERNS), taxonomy_id_for(CIRCLES)]
    concerns = get_ok(client, f"/taxonomies/{taxonomy_id_for(CONCERNS)}")
    validators["/taxonomies/{id}"](concerns)
    by_name = {term["name"]: term for term in concerns["taxonomy_terms"]}
    assert {"Red flags", "Risk factors", "Other concerns"} <= set(by_name)
    other = by_name["Other concerns"]["id"]
    assert by_name["Difficulty bonding with the baby"]["parent_id"] == other
    assert by_name["Baby seriously unwell"]["parent_id"] == by_name["Red flags"]["id"]
    assert by_name["Loss or bereavement"]["parent_id"] == by_name["Risk factors"]["id"]
    circles = get_ok(client, f"/taxonomies/{taxonomy_id_for(CIRCLES)}")
    assert {term["code"] for term in circles["taxonomy_terms"]} == {
        "core", "universal", "risk_factor"
    }

    terms = every_record(client, "/taxonomy_terms")
    assert len(terms) == len({term["id"] for term in terms})
    assert len(terms) == len(concerns["taxonomy_terms"]) + len(circles["taxonomy_terms"])
    for term in terms:
        one = get_ok(client, f"/taxonomy_terms/{term['id']}")
        validators["/taxonomy_terms/{id}"](one)
        assert one == term


def test_a_service_carries_its_concerns_and_its_circle(client: TestClient) -> None:
    record = get_ok(client, f"/services/{service_id_for('lmm-clinical')}")
    carried = {a["taxonomy_term"]["name"]: a for a in record["attributes"]}
    assert "Difficulty bonding with the baby" in carried
    bonding = carried["Difficulty bonding with the baby"]
    assert bonding["link_id"] == record["id"]
    assert bonding["taxonomy_term_id"] == taxonomy_term_id_for(CONCERNS, "bonding")
    assert "Core: infant mental health" in carried
    assert "Housing or homelessness" not in carried
    # the list holds one-to-one fields only, as the profile's service_list.json does
    listed = get_ok(client, "/services", search="Little Minds Matter")["contents"]
    assert listed and all("attributes" not in item for item in listed)


def ids(records: list[dict[str, Any]]) -> set[str]:
    return {record["id"] for record in records}


def test_search_finds_a_service_by_a_word_in_its_description(client: TestClient) -> None:
    everything = ids(every_record(client, "/services"))
    found = ids(every_record(client, "/services", search="BREASTFEEDING"))
    assert service_id_for("infant-feeding") in found  # the word is in its description
    assert found < everything
    # every word must appear: adding one that no service has finds nothing
    assert every_record(client, "/services", search="breastfeeding zebra") == []
    nothing = get_ok(client, "/services", search="zebra crossing")
    assert nothing["empty"] is True and nothing["total_items"] == 0


def test_age_filters_follow_the_profile_in_years(client: TestClient) -> None:
    health_visiting = service_id_for("health-visiting")
    record = get_ok(client, f"/services/{health_visiting}")
    assert (record["minimum_age"], record["maximum_age"]) == (0, 5)

    # maximum_age=2: services for children up to 2 at most; health visiting (to 5) is out
    up_to_two = every_record(client, "/services", maximum_age=2)
    assert service_id_for("lmm-clinical") in ids(up_to_two)
    assert health_visiting not in ids(up_to_two)
    assert service_id_for("gp") not in ids(up_to_two)  # no upper age limit
    assert all(r["maximum_age"] <= 2 for r in up_to_two)
    # minimum_age=1: services that start at a year or more; from-birth services are out
    from_one = every_record(client, "/services", minimum_age=1)
    assert service_id_for("incredible-years-toddler") in ids(from_one)
    assert health_visiting not in ids(from_one)
    assert all(r["minimum_age"] >= 1 for r in from_one)
    both = every_record(client, "/services", minimum_age=1, maximum_age=2.5)
    assert ids(both) < ids(from_one)


def test_taxonomy_filters_find_the_services_that_carry_the_terms(client: TestClient) -> None:
    bonding = every_record(client, "/services",
                           taxonomy_term_id=taxonomy_term_id_for(CONCERNS, "bonding"))
    assert service_id_for("lmm-clinical") in {r["id"] for r in bonding}
    assert service_id_for("emergency-999") not in {r["id"] for r in bonding}
    # a group term finds the services of the concerns under it
    red_flags = every_record(client, "/services",
                             taxonomy_term_id=taxonomy_term_id_for(CONCERNS, "group/red_flag"))
    assert service_id_for("emergency-999") in {r["id"] for r in red_flags}
    core = every_record(client, "/services", taxonomy_term_id=taxonomy_term_id_for(CIRCLES, "core"))
    assert service_id_for("lmm-clinical") in {r["id"] for r in core}
    assert service_id_for("gp") not in {r["id"] for r in core}
    # every service has a circle; not every service is listed by a concern
    everything = every_record(client, "/services")
    assert len(every_record(client, "/services", taxonomy_id=taxonomy_id_for(CIRCLES))) == len(
        everything
    )
    assert every_record(client, "/services", taxonomy_term_id="not-a-term") == []
    assert every_record(client, "/services",
                        taxonomy_term_id="00000000-0000-0000-0000-000000000000") == []


def test_paging_splits_a_filtered_listing_into_pages(client: TestClient) -> None:
    first = get_ok(client, "/services", per_page=2, maximum_age=2)
    assert first["size"] == 2 and first["first_page"] and not first["last_page"]
    last = get_ok(client, "/services", per_page=2, maximum_age=2, page=first["total_pages"])
    assert last["last_page"] and not last["first_page"]
    past = get_ok(client, "/services", per_page=2, maximum_age=2, page=first["total_pages"] + 1)
    assert past["empty"] and past["contents"] == [] and past["total_items"] == first["total_items"]
    places = get_ok(client, "/service_at_locations")
    assert places["empty"] and places["total_items"] == 0


@pytest.mark.parametrize(
    "path",
    ["/services/{id}", "/taxonomies/{id}", "/taxonomy_terms/{id}", "/service_at_locations/{id}"],
)
@pytest.mark.parametrize("given", ["00000000-0000-0000-0000-000000000000", "not-an-id"])
def test_an_unknown_id_is_a_404_with_the_error_body(
    client: TestClient, path: str, given: str
) -> None:
    response = client.get(PREFIX + path.replace("{id}", given))
    assert response.status_code == 404
    body = ErrorBody.model_validate(response.json(), strict=True)
    assert body.errors[0].field == "id" and given in body.detail


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/services", {"minimum_age": "two"}, "minimum_age"),
        ("/services", {"maximum_age": "-1"}, "maximum_age"),
        ("/services", {"minimum_age": "nan"}, "minimum_age"),
        ("/services", {"per_page": "500"}, "per_page"),
        ("/taxonomies", {"page": "0"}, "page"),
        ("/taxonomy_terms", {"per_page": "x"}, "per_page"),
        ("/service_at_locations", {"search": "x" * 201}, "search"),
    ],
)
def test_bad_query_parameters_are_a_422_naming_the_field(
    client: TestClient, path: str, params: dict[str, str], field: str
) -> None:
    response = client.get(PREFIX + path, params=params)
    assert response.status_code == 422
    body = ErrorBody.model_validate(response.json(), strict=True)
    assert body.errors[0].field == field
    assert re.match(rf"{field} must be", body.detail), body.detail


def all_ids(client: TestClient) -> list[str]:
    return [
        record["id"]
        for path in ("/services", "/taxonomies", "/taxonomy_terms")
        for record in every_record(client, path)
    ]


def test_ids_are_the_same_after_a_restart(client: TestClient) -> None:
    before = all_ids(client)
    with make_client() as restarted:  # a new app and a new database
        assert all_ids(restarted) == before
    # and derived from fixed names, so a code change cannot move them unnoticed
    assert taxonomy_id_for(CONCERNS) == "52f00d58-dad2-5190-9b0c-89abc278ec20"
