"""The volunteers' eligibility page at /eligibility: the stage of pregnancy or
the baby's age and the postcode, POSTed (never in a URL), answered yes, no or
"cannot tell yet" with the reasons; a bad value is a 400 page that says what
is accepted."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from api.security_headers import STRICT_CSP
from tests.conftest import make_client

URL = "/eligibility"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with make_client() as test_client:
        yield test_client


def text_of(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def verdict(page: str) -> str | None:
    found = re.search(r'data-verdict="([a-z_]+)"', page)
    return found.group(1) if found else None


def check(client: TestClient, **fields: str) -> tuple[int, str]:
    response = client.post(URL, data=fields)
    assert response.headers["cache-control"] == "no-store"
    return response.status_code, response.text


def test_the_empty_form(client: TestClient) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    page = text_of(response.text)
    assert "Can Little Minds Matter see this family?" in page
    assert 'method="post"' in response.text
    for label in ("Weeks pregnant", "Or the due date", "Or the baby's age in whole months",
                  "Or the baby's date of birth", "The family's postcode"):
        assert label in page
    assert verdict(response.text) is None
    assert "<textarea" not in response.text
    assert response.headers["content-security-policy"] == STRICT_CSP


def test_a_baby_in_bradford_is_a_yes(client: TestClient) -> None:
    status, page = check(client, age_months="4", postcode="bd3 9qz")
    assert status == 200
    assert verdict(page) == "yes"
    text = text_of(page)
    assert "Yes: Little Minds Matter can see this family" in text
    assert "4 months old is within LMM's range" in text
    assert "BD3 9 is in Bradford District" in text
    assert "tell the family's health visitor" in text
    answer = page.split('data-role="answer"')[1].split("</form>")[0].split("<form")[0]
    assert "9QZ" not in answer.upper(), "the answer shows only the sector"


def test_a_pregnancy_by_weeks_or_due_date_in_bradford_is_a_yes(client: TestClient) -> None:
    assert verdict(check(client, weeks_pregnant="28", postcode="BD5 7")[1]) == "yes"
    due = (date.today() + timedelta(weeks=10)).isoformat()
    status, page = check(client, due_date=due, postcode="bd5 7")
    assert status == 200 and verdict(page) == "yes"
    assert "pregnant" in text_of(page)


def test_a_two_year_old_or_a_family_outside_bradford_is_a_no(client: TestClient) -> None:
    status, page = check(client, age_months="24", postcode="BD3 9LF")
    assert status == 200 and verdict(page) == "no"
    assert "outside LMM's range" in text_of(page)
    born = (date.today() - timedelta(days=400)).isoformat()
    status, page = check(client, date_of_birth=born, postcode="LS6 2AB")
    assert status == 200 and verdict(page) == "no"
    text = text_of(page)
    assert "is outside Bradford District" in text
    assert "service directory" in text


def test_a_split_district_or_a_missing_field_cannot_be_told(client: TestClient) -> None:
    status, page = check(client, age_months="3", postcode="BD20")
    assert status == 200 and verdict(page) == "cannot_tell"
    text = text_of(page)
    assert "Cannot tell yet" in text
    assert "A full postcode would settle whether LMM can help" in text
    status, page = check(client, age_months="3")
    assert status == 200 and verdict(page) == "cannot_tell"
    assert "Postcode not known yet" in text_of(page)


@pytest.mark.parametrize(("fields", "message"), [
    ({"weeks_pregnant": "50", "postcode": "BD3"}, "Weeks pregnant must be a whole number from 1 "
     "to 42."),
    ({"weeks_pregnant": "about twenty"}, "Weeks pregnant must be a whole number"),
    ({"age_months": "-1"}, "whole number of months from 0 to 216"),
    ({"due_date": "12/03/2027"}, "Give the date as day, month and year, for example 2027-03-12."),
    ({"date_of_birth": "2999-01-01"}, "is in the future"),
    ({"due_date": "2020-01-01"}, "has passed"),
    ({"weeks_pregnant": "20", "age_months": "3"}, "Give only one of"),
    ({"postcode": "not a postcode"}, "postcode"),
    ({"postcode": "B" * 30}, "A postcode is at most 20 characters."),
    ({}, "Give the pregnancy (weeks pregnant or the due date) or the baby's age"),
    ({"age_months": "3", "description": "mum is Jane"}, "The form takes only"),
])
def test_bad_input_is_a_400_page_saying_what_is_accepted(
    client: TestClient, fields: dict[str, str], message: str
) -> None:
    status, page = check(client, **fields)
    assert status == 400
    text = text_of(page)
    assert "There is a problem" in text
    assert message in text
    assert verdict(page) is None
    assert "<title>Error:" in page


def test_the_postcode_never_goes_in_the_url(client: TestClient) -> None:
    page = client.get(URL).text
    form = re.search(r"<form[^>]*>", page)
    assert form and 'method="post"' in form.group(0)
    # A GET with a postcode in the query string is only the empty form.
    response = client.get(URL, params={"postcode": "BD3 9QZ", "age_months": "4"})
    assert verdict(response.text) is None and "BD3 9QZ" not in response.text


def test_every_page_links_to_the_eligibility_check(client: TestClient) -> None:
    for path in ("/services", "/eligibility"):
        assert 'href="/eligibility"' in client.get(path).text
