"""An LMM staff member changes a service's remit in the browser, previews it,
publishes it, and practitioners get the new remit at once; every admin page
passes axe-core with no serious or critical violations."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.browser.admin_support import AdminServer, admin_server, current_code
from tests.browser.chat_page import serious_axe_violations

pytestmark = pytest.mark.browser
__all__ = ["admin_server"]

CASE = {"description": "Mum finds it hard to bond with her baby, low mood for two months",
        "age": "4 months", "postcode": "BD5 0AA", "consent_to_referral": True}
NEW_REMIT = "Weekly parent and baby video feedback sessions"


def sign_in(page: Any, server: AdminServer) -> None:
    page.goto(f"{server.url}/admin")
    assert "/admin/login" in page.url, "signed-out visitors are sent to sign in"
    page.get_by_label("Email address").fill(server.email)
    page.get_by_label("Password", exact=True).fill(server.password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code", exact=True).fill(current_code(server))  # two-step sign-in
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{server.url}/admin")


def test_edit_preview_publish_and_see_it_live(page: Any, admin_server: AdminServer) -> None:
    url = admin_server.url
    before = httpx.post(f"{url}/api/v1/recommendations", json=CASE, timeout=30).json()
    service_id = before["services"][0]["id"]
    sign_in(page, admin_server)

    page.goto(f"{url}/admin/services/{quote(service_id)}")
    remit = page.get_by_label("What the service does", exact=True)
    remit.fill(remit.input_value() + "\n" + NEW_REMIT)
    page.get_by_role("button", name="Save to draft").click()
    page.get_by_text("Saved to the draft").wait_for()

    page.goto(f"{url}/admin/preview")
    page.get_by_label("What is the situation?").fill(CASE["description"])
    page.get_by_label("Baby's age (optional)").fill(CASE["age"])
    page.get_by_label("Postcode (optional)").fill(CASE["postcode"])
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Try this case").click()
    draft_card = page.locator("section", has_text="Draft (based on version 1)")
    published_card = page.locator("section", has_text="Published version 1")
    assert NEW_REMIT in draft_card.inner_text()
    assert NEW_REMIT not in published_card.inner_text()

    assert NEW_REMIT not in str(httpx.get(f"{url}/api/v1/services/{service_id}").json())
    page.goto(f"{url}/admin/draft")
    assert NEW_REMIT in page.inner_text("main")
    page.get_by_label("What changed, in a sentence (optional)").fill("New video feedback group")
    # Publishing reads the whole labelled corpus with the draft first: the
    # page says it takes up to two minutes.
    page.get_by_role("button", name="Publish the draft").click(timeout=180_000)
    page.get_by_text("is published and live").wait_for(timeout=180_000)

    service = httpx.get(f"{url}/api/v1/services/{service_id}").json()
    assert NEW_REMIT in service["remit"]["does"]
    after = httpx.post(f"{url}/api/v1/recommendations", json=CASE, timeout=30).json()
    listed = next(s for s in after["services"] if s["id"] == service_id)
    assert NEW_REMIT in listed["remit"]["does"]
    assert after["knowledge_version"] > 1


def test_the_volunteer_route_is_edited_and_tried_as_a_volunteer(
    page: Any, admin_server: AdminServer
) -> None:
    """What a volunteer is told is content LMM staff keep true: edited in the
    browser and tried as a volunteer before anyone publishes it."""
    url = admin_server.url
    added = "Write down what the parent said, in their own words, for the health visitor."
    sign_in(page, admin_server)
    page.goto(f"{url}/admin/volunteer")
    page.get_by_role("link", name="V-001").click()
    steps = page.get_by_label("Next steps", exact=True)
    steps.fill(steps.input_value() + "\n" + added)
    page.get_by_role("button", name="Save to draft").click()
    page.get_by_text("Saved to the draft").wait_for()

    page.goto(f"{url}/admin/preview")
    page.get_by_label("What is the situation?").fill("mum low and not bonding with her baby")
    page.get_by_label("Baby's age (optional)").fill("3 months")
    page.get_by_label("Postcode (optional)").fill("BD3 9LF")
    page.get_by_label("A volunteer").check()
    page.get_by_role("button", name="Try this case").click()
    draft_card = page.locator("section", has_text="Draft (based on version")
    published_card = page.locator("section", has_text="Published version")
    assert added in draft_card.inner_text()
    assert "Tier: signpost" in draft_card.inner_text(), "a volunteer is not sent to LMM"
    assert added not in published_card.inner_text()
    assert page.get_by_label("A volunteer").is_checked(), "the form keeps who is asking"


ADMIN_PAGES = [
    "/admin", "/admin/services", "/admin/concerns", "/admin/areas", "/admin/postcodes",
    "/admin/rules", "/admin/volunteer", "/admin/services/new", "/admin/draft", "/admin/preview",
    "/admin/versions", "/admin/usage", "/admin/transfer", "/admin/account",
]


def test_admin_pages_have_no_serious_accessibility_problems(
    page: Any, admin_server: AdminServer
) -> None:
    url = admin_server.url
    page.goto(f"{url}/admin/login")
    problems = {"/admin/login": serious_axe_violations(page)}
    sign_in(page, admin_server)
    pages = list(ADMIN_PAGES)
    for kind in ("services", "concerns", "areas", "postcodes", "rules", "volunteer"):
        page.goto(f"{url}/admin/{kind}")
        href = page.locator("main table a").first.get_attribute("href")
        assert href
        pages.append(href)
    pages.append("/admin/versions/diff?a=1&b=1")
    for path in pages:
        page.goto(f"{url}{path}")
        problems[path] = serious_axe_violations(page)

    page.goto(f"{url}/admin/services/new")
    page.get_by_role("button", name="Save to draft").click()
    problems["/admin/services/new (errors)"] = serious_axe_violations(page)
    page.goto(f"{url}/admin/preview")
    page.get_by_label("What is the situation?").fill(CASE["description"])
    page.get_by_role("button", name="Try this case").click()
    problems["/admin/preview (results)"] = serious_axe_violations(page)
    page.get_by_label("A volunteer").check()
    page.get_by_role("button", name="Try this case").click()
    problems["/admin/preview (as a volunteer)"] = serious_axe_violations(page)
    assert {path: found for path, found in problems.items() if found} == {}
