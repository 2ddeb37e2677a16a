"""The public service directory at /services: every service with its remit,
who it is for, how to refer, its contacts and caveats, searchable and
filtered with a plain GET form; one page per service."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from markupsafe import escape

from api.security_headers import STRICT_CSP
from pathways.contacts import PHONE_CAVEAT
from tests.conftest import make_client

SEED = Path(__file__).resolve().parents[2] / "knowledge/content/seed/services.yaml"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with make_client() as test_client:
        yield test_client


def seed_services() -> list[dict[str, Any]]:
    services: list[dict[str, Any]] = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    return services


def listed(html: str) -> list[str]:
    """The ids of the services the page lists, in order."""
    return re.findall(r'data-service-id="([^"]+)"', html)


def text_of(html: str) -> str:
    """The page's words, as a reader sees them."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_every_seed_service_is_listed(client: TestClient) -> None:
    seed = seed_services()
    page = client.get("/services")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    open_ids = {s["id"] for s in seed if s.get("status") != "closed"}
    assert set(listed(page.text)) == open_ids
    assert f"{len(open_ids)} services" in text_of(page.text)
    # Closed services are left out by default, like GET /api/v1/services, and
    # shown, marked closed, when asked for.
    everything = client.get("/services", params={"closed": "yes"})
    assert set(listed(everything.text)) == {s["id"] for s in seed}
    assert "This service is no longer running." in everything.text


def test_the_list_has_the_apis_text_for_each_service(client: TestClient) -> None:
    page = client.get("/services").text
    for service in client.get("/api/v1/services").json():
        assert str(escape(service["name"])) in page
        assert str(escape(service["how_to_refer"])) in page, service["id"]
        for item in service["remit"]["does"] + service["remit"]["does_not"]:
            assert str(escape(item)) in page, (service["id"], item)
        if service["contact"].get("phone"):
            assert str(escape(service["contact"]["phone"])) in page


def test_search_finds_a_service_by_a_word_of_its_description(client: TestClient) -> None:
    # "volunteers" is in Home-Start's description, not its name.
    page = client.get("/services", params={"q": "Volunteers"})
    ids = listed(page.text)
    assert "home-start" in ids
    assert "lmm-clinical" not in ids
    assert 'matching "Volunteers"' in text_of(page.text)
    assert 'value="Volunteers"' in page.text  # the form keeps what was searched


def test_concern_filter_narrows_to_the_concerns_services(client: TestClient) -> None:
    page = client.get("/services", params={"concern": "smoking"})
    assert listed(page.text) == ["stop-smoking"]
    words = text_of(page.text)
    assert "1 service " in words
    assert "Showing services for smoking." in words
    assert '<option value="smoking" selected>' in page.text


def test_age_filter_narrows_to_services_for_that_age(client: TestClient) -> None:
    pregnant = listed(client.get("/services", params={"age": "pregnant"}).text)
    assert "welcome-to-the-world" in pregnant  # pregnancy only
    assert "talking-together" not in pregnant  # 24 to 36 months
    toddler_page = client.get("/services", params={"age": "30"})
    toddler = listed(toddler_page.text)
    assert "talking-together" in toddler
    assert "welcome-to-the-world" not in toddler
    assert "midwifery-bradford" not in toddler  # until 1 month
    assert "for a baby aged 30 months" in text_of(toddler_page.text)


def test_area_filter_narrows_to_services_for_families_there(client: TestClient) -> None:
    page = client.get("/services", params={"area": "leeds"})
    ids = listed(page.text)
    assert "leeds-la" in ids
    assert "emergency-999" in ids  # national services cover every area
    assert "health-visiting" not in ids  # Bradford District only
    assert "for families in Leeds" in text_of(page.text)
    # A service for a part of Bradford District shows for the district, and a
    # district-wide service for a family in that part.
    district = listed(client.get("/services", params={"area": "bradford_district"}).text)
    part = listed(client.get("/services", params={"area": "bsb_area"}).text)
    assert "talking-together" in district and "talking-together" in part
    assert "health-visiting" in part
    assert "leeds-la" not in district


def test_filters_combine_and_an_empty_result_says_so(client: TestClient) -> None:
    page = client.get("/services", params={"concern": "housing", "area": "leeds"})
    assert page.status_code == 200
    assert listed(page.text) == []
    words = text_of(page.text)
    assert "No services match these filters" in words
    assert "clear the filters" in words
    assert 'href="/services"' in page.text


def test_service_page_shows_remit_referral_and_uncertain_contact(client: TestClient) -> None:
    api = client.get("/api/v1/services/maternity-assessment-centre").json()
    assert api["contact"]["phone_uncertain"] is True
    page = client.get("/services/maternity-assessment-centre")
    assert page.status_code == 200
    words = text_of(page.text)
    assert f"<h1>{escape(api['name'])}</h1>" in page.text
    assert "What it does" in words and "What it does not do" in words
    assert text_of(str(escape(api["remit"]["does"][0]))) in words
    assert "How to refer" in words
    assert text_of(str(escape(api["how_to_refer"]))) in words
    assert f"{api['contact']['phone']} {PHONE_CAVEAT}" in words
    # What exactly is unconfirmed, beside the number (sentence-cased as the chat shows it).
    note = text_of(str(escape(api["contact"]["verification_note"]))).rstrip(".")
    assert f"{PHONE_CAVEAT}. {note[:1].upper()}{note[1:]}" in words
    assert "Last checked 31 January 2026" in words
    # The engine's stale mark (tests pin today to 26 November 2026).
    assert "May be out of date" in words
    assert f'href="/api/v1/services/{api["id"]}"' in page.text
    assert 'href="/openreferral/services/' in page.text


def test_a_recently_checked_service_is_not_marked_out_of_date() -> None:
    with make_client(stale_after_days=3650) as fresh:
        words = text_of(fresh.get("/services/health-visiting").text)
    assert "Last checked" in words
    assert "May be out of date" not in words


def test_a_confirmed_number_has_no_caveat(client: TestClient) -> None:
    api = client.get("/api/v1/services/first-response").json()
    assert api["contact"]["phone"] and not api["contact"]["phone_uncertain"]
    words = text_of(client.get("/services/first-response").text)
    assert api["contact"]["phone"] in words
    assert f"{api['contact']['phone']} {PHONE_CAVEAT}" not in words


def test_unknown_service_is_a_404_page(client: TestClient) -> None:
    page = client.get("/services/no-such-service")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Service not found" in page.text
    assert 'href="/services"' in page.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"age": "abc"}, "Choose pregnancy or the baby&#39;s age in whole months"),
        ({"age": "-3"}, "Choose pregnancy or the baby&#39;s age in whole months"),
        ({"age": "\u00b2"}, "Choose pregnancy or the baby&#39;s age in whole months"),
        ({"age": "217"}, "Choose pregnancy or the baby&#39;s age in whole months"),
        ({"concern": "no_such_concern"}, "Choose a concern from the list."),
        ({"area": "mars"}, "Choose an area from the list."),
        ({"q": "x" * 101}, "Search words must be 100 characters or fewer."),
        ({"closed": "maybe"}, "Closed services are shown with"),
    ],
)
def test_bad_filter_value_is_a_400_with_a_message(
    client: TestClient, params: dict[str, str], message: str
) -> None:
    page = client.get("/services", params=params)
    assert page.status_code == 400
    assert page.headers["content-type"].startswith("text/html")
    assert "There is a problem with the filter" in page.text
    assert message in page.text
    assert listed(page.text) == []


def test_security_headers_and_no_inline_code(client: TestClient) -> None:
    for url in ("/services", "/services/lmm-clinical", "/services/nope", "/services?age=x"):
        page = client.get(url)
        assert page.headers["content-security-policy"] == STRICT_CSP, url
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["x-frame-options"] == "DENY"
        assert page.headers["referrer-policy"] == "no-referrer"
        assert "<style" not in page.text and " style=" not in page.text
        assert not re.search(r"<script(?![^>]*\bsrc=)", page.text), url
        assert not re.search(r"\son[a-z]+=", page.text), url


def test_directory_is_not_in_the_openapi_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/services" not in paths and "/services/{service_id}" not in paths


def test_chat_page_links_to_the_directory(client: TestClient) -> None:
    assert 'href="/services"' in client.get("/").text
