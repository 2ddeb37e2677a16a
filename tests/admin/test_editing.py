"""Editing content through the admin forms: drafts, validation messages, and
two editors changing the same service at once."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.testclient import TestClient

from tests.admin.support import (
    edit_form,
    email_for,
    knowledge_of,
    publish,
    quick_session,
    sign_in,
)


def test_an_edit_is_drafted_then_live_once_published(admin_client: TestClient) -> None:
    service_id = next(iter(knowledge_of(admin_client).services))
    before = admin_client.get(f"/api/v1/services/{service_id}").json()
    sign_in(admin_client, "editor")
    form = edit_form(admin_client, "services", service_id)
    form["does"] = form["does"] + "\nGroup sessions for dads, every Tuesday"
    saved = admin_client.post(f"/admin/services/{service_id}", data=form, follow_redirects=False)
    assert saved.status_code == 303
    assert "Saved to the draft" in admin_client.get(saved.headers["location"]).text

    assert admin_client.get(f"/api/v1/services/{service_id}").json() == before, (
        "a draft is not live"
    )
    draft = admin_client.get("/admin/draft").text
    assert "+ Group sessions for dads, every Tuesday" in draft
    assert "A publisher reviews and publishes the draft" in draft, "editors cannot publish"

    quick_session(admin_client, "publisher")
    published = publish(admin_client, "Dads' group")
    assert published.status_code == 303
    remit = admin_client.get(f"/api/v1/services/{service_id}").json()["remit"]["does"]
    assert remit[-1] == "Group sessions for dads, every Tuesday", "served at once"
    history = admin_client.get("/admin/versions").text
    assert email_for("publisher") in history and "Dads&#39; group" in history


def test_invalid_content_is_explained_next_to_the_field(admin_client: TestClient) -> None:
    service_id = next(iter(knowledge_of(admin_client).services))
    quick_session(admin_client, "editor")
    form = edit_form(admin_client, "services", service_id)
    form["does"] = "  \n"
    form["last_verified"] = "last Tuesday"
    form["ages.to_months"] = "two"
    response = admin_client.post(f"/admin/services/{service_id}", data=form)
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "must be a whole number" in response.text
    form["ages.to_months"] = "24"
    response = admin_client.post(f"/admin/services/{service_id}", data=form)
    assert response.status_code == 400
    assert "What the service does needs at least one entry." in response.text
    assert "must be a date, like 2026-01-31" in response.text
    assert 'href="#f-does"' in response.text and 'id="f-does"' in response.text
    assert admin_client.get("/admin/draft").text.count("There is no draft") == 1


def test_the_second_of_two_editors_is_told_and_nothing_is_lost(admin_client: TestClient) -> None:
    service_id = next(iter(knowledge_of(admin_client).services))
    first = TestClient(admin_client.app)
    second = TestClient(admin_client.app)
    sign_in(first, "editor")
    sign_in(second, "publisher")
    first_form = edit_form(first, "services", service_id)
    second_form = edit_form(second, "services", service_id)

    first_form["eligibility"] = "First editor's eligibility wording."
    assert first.post(f"/admin/services/{service_id}", data=first_form,
                      follow_redirects=False).status_code == 303
    second_form["summary"] = "Second editor's summary."
    clash = second.post(f"/admin/services/{service_id}", data=second_form)
    assert clash.status_code == 409
    assert f"{email_for('editor')} changed the service {service_id}" in clash.text
    assert "Your changes have not been saved" in clash.text
    assert "Second editor&#39;s summary." in clash.text, "their own edit is still in the form"
    assert "eligibility" in clash.text and "summary" in clash.text, "differences are listed"

    saved = first.get(f"/admin/services/{quote(service_id)}").text
    assert "First editor&#39;s eligibility wording." in saved, "the first edit was kept"

    retry = edit_form(second, "services", service_id)
    retry["summary"] = "Second editor's summary."
    assert second.post(f"/admin/services/{service_id}", data=retry,
                       follow_redirects=False).status_code == 303
    both = second.get(f"/admin/services/{quote(service_id)}").text
    assert "First editor&#39;s eligibility wording." in both
    assert "Second editor&#39;s summary." in both


def test_adding_and_removing_entries(admin_client: TestClient) -> None:
    quick_session(admin_client, "editor")
    token = edit_form(admin_client, "services", next(iter(knowledge_of(admin_client).services)))
    data = {
        "csrf_token": token["csrf_token"], "id": "dads-matter", "name": "Dads Matter",
        "provider": "A Bradford charity", "circle": "universal", "summary": "Support for dads.",
        "does": "Peer support for fathers", "eligibility": "Dads in Bradford District.",
        "areas": "bradford_district", "referrers": ["professional", "self"],
        "how_to_refer": "Self-referral online.", "last_verified": "2026-11-01",
        "ages.pregnancy": "on", "ages.postnatal": "on", "ages.from_months": "0",
    }
    created = admin_client.post("/admin/services/new", data=data, follow_redirects=False)
    assert created.status_code == 303, created.text[:2000]
    assert "Dads Matter" in admin_client.get("/admin/services").text
    duplicate = admin_client.post("/admin/services/new", data=data)
    assert duplicate.status_code == 400 and "There is already a service dads-matter" in (
        duplicate.text
    )
    form = edit_form(admin_client, "services", "dads-matter")
    removed = admin_client.post(
        "/admin/services/dads-matter/delete",
        data={"csrf_token": form["csrf_token"], "revision": form["revision"]},
        follow_redirects=False,
    )
    assert removed.status_code == 303
    assert admin_client.get("/admin/services/dads-matter").status_code == 404


def test_staff_edit_the_volunteer_route_and_try_it_as_a_volunteer(
    admin_client: TestClient,
) -> None:
    """The volunteer route is content LMM staff keep true: listed, edited in
    the draft with the same form as the rules, and tried as a volunteer
    before anyone publishes it."""
    csrf = quick_session(admin_client, "editor")
    listing = admin_client.get("/admin/volunteer")
    assert listing.status_code == 200
    assert "V-001" in listing.text and "lmm_referral, lmm_consultation" in listing.text
    form = edit_form(admin_client, "volunteer", "V-001")
    added = "Write down what the parent said, in their own words, for the health visitor."
    form["next_steps"] = form["next_steps"] + "\n" + added
    saved = admin_client.post("/admin/volunteer/V-001", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text[:500]
    assert f"+ {added}" in admin_client.get("/admin/draft").text

    case = {"description": "mum low and not bonding with her baby", "age": "3 months",
            "postcode": "BD3 9LF", "csrf_token": csrf}
    as_volunteer = admin_client.post("/admin/preview", data={**case, "asker": "volunteer"})
    assert as_volunteer.status_code == 200
    draft_card, published_card = as_volunteer.text.split("Published version")[-2:]
    assert added in draft_card and added not in published_card
    assert "Tier: signpost" in draft_card, "a volunteer is not sent to LMM"
    as_professional = admin_client.post("/admin/preview", data=case)
    assert added not in as_professional.text
    assert "Tier: lmm_consultation" in as_professional.text


def test_try_a_case_offers_every_kind_of_asker_the_api_takes(admin_client: TestClient) -> None:
    """Staff can try a case as anyone the chat and the api answer, each
    choice kept when the page comes back."""
    from typing import get_args

    from api.admin.preview import ASKER_LABELS
    from pathways.contract import Asker

    assert set(ASKER_LABELS) == set(get_args(Asker))
    csrf = quick_session(admin_client, "editor")
    page = admin_client.get("/admin/preview").text
    for asker, label in ASKER_LABELS.items():
        assert f'value="{asker}"' in page and label in page
    tried = admin_client.post("/admin/preview", data={
        "description": "mum low and not bonding with her baby", "age": "3 months",
        "postcode": "BD3 9LF", "asker": "lmm_staff", "csrf_token": csrf})
    assert tried.status_code == 200
    assert 'value="lmm_staff" checked' in tried.text
    assert "Tier: lmm_consultation" in tried.text


def test_a_volunteer_step_that_breaks_the_form_is_explained(admin_client: TestClient) -> None:
    quick_session(admin_client, "editor")
    form = edit_form(admin_client, "volunteer", "V-002")
    form["applies_to"] = []
    response = admin_client.post("/admin/volunteer/V-002", data=form)
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "Applies when a professional would get needs at least one entry." in response.text
