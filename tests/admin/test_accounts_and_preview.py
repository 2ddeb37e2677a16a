"""Account management by admins, and the "try a case" panel's answers and errors."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from knowledge.staff.accounts import find_user
from knowledge.staff.tables import AuditEntry
from tests.admin.support import (
    PASSWORD,
    edit_form,
    email_for,
    engine_of,
    form_token,
    knowledge_of,
    quick_session,
    sign_in,
)


def test_admins_add_change_and_deactivate_accounts(admin_client: TestClient) -> None:
    quick_session(admin_client, "admin")
    token = form_token(admin_client, "/admin/users")
    weak = admin_client.post("/admin/users", data={
        "csrf_token": token, "email": "new@lmm.example.nhs.uk", "name": "New",
        "role": "editor", "password": "password1234",
    })
    assert weak.status_code == 400 and "list of common passwords" in weak.text
    added = admin_client.post("/admin/users", data={
        "csrf_token": token, "email": "new@lmm.example.nhs.uk", "name": "New",
        "role": "editor", "password": PASSWORD,
    }, follow_redirects=False)
    assert added.status_code == 303

    editor = TestClient(admin_client.app)
    assert sign_in(editor, "editor").status_code == 303
    with Session(engine_of(admin_client)) as session:
        user = find_user(session, email_for("editor"))
        assert user is not None
        user_id = user.id
    changed = admin_client.post(f"/admin/users/{user_id}", data={
        "csrf_token": token, "role": "editor", "active": "no",
    }, follow_redirects=False)
    assert changed.status_code == 303
    assert editor.get("/admin", follow_redirects=False).status_code == 303, "signed out at once"
    refused = sign_in(editor, "editor")
    assert refused.status_code == 400, "a deactivated account cannot sign in"
    with Session(engine_of(admin_client)) as session:
        entries = session.exec(select(AuditEntry)).all()
    assert {"account_created", "account_changed", "sign_in"} <= {e.action for e in entries}


def test_try_a_case_compares_the_draft_with_the_published_answer(
    admin_client: TestClient,
) -> None:
    quick_session(admin_client, "editor")
    token = form_token(admin_client, "/admin/preview")
    case = {"csrf_token": token, "description": "mum finds it hard to bond with her baby",
            "age": "4 months", "postcode": "BD5 0AA", "consent": "yes"}
    only_published = admin_client.post("/admin/preview", data=case)
    assert only_published.status_code == 200
    assert "There is no draft, so only the published answer is shown" in only_published.text

    service_id = next(iter(knowledge_of(admin_client).services))
    form = edit_form(admin_client, "services", service_id)
    form["name"] = "A name only the draft has"
    admin_client.post(f"/admin/services/{service_id}", data=form)
    both = admin_client.post("/admin/preview", data=case)
    assert "Draft (based on version 1)" in both.text and "Published version 1" in both.text
    assert both.text.count("Tier: ") == 2

    bad = admin_client.post("/admin/preview", data={**case, "age": "banana"})
    assert bad.status_code == 400
    assert "There is a problem" in bad.text and 'href="#f-age"' in bad.text
