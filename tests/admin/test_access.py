"""Every admin route tried as anonymous, editor, publisher and admin; CSRF on
every state-changing form; session cookie flags. Throttled sign-in is in
test_throttling.py."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.admin import ADMIN_ROUTERS
from api.routers import ALL_ROUTERS
from knowledge.content.versions import current_draft
from knowledge.staff.accounts import find_user
from pathways.model import Knowledge
from tests.admin.support import PASSWORD, ROLES, email_for, engine_of, quick_session, sign_in

PUBLIC = {("GET", "/admin/login"), ("POST", "/admin/login"), ("GET", "/admin/static/admin.css")}

# (method, path) -> the least role that may use it. A new admin route without
# an entry here fails test_every_admin_route_is_in_the_table.
NEEDS: dict[tuple[str, str], str] = {
    ("POST", "/admin/logout"): "editor",
    ("POST", "/admin/logout-everywhere"): "editor",
    ("GET", "/admin/account"): "editor",
    ("POST", "/admin/account/password"): "editor",
    ("GET", "/admin"): "editor",
    ("GET", "/admin/draft"): "editor",
    ("POST", "/admin/draft/publish"): "publisher",
    ("POST", "/admin/draft/discard"): "publisher",
    ("GET", "/admin/versions"): "editor",
    ("GET", "/admin/versions/diff"): "editor",
    ("POST", "/admin/versions/{version_id}/rollback"): "publisher",
    ("GET", "/admin/preview"): "editor",
    ("POST", "/admin/preview"): "editor",
    ("GET", "/admin/usage"): "editor",
    ("GET", "/admin/usage.csv"): "editor",
    ("GET", "/admin/transfer"): "editor",
    ("GET", "/admin/export"): "editor",
    ("POST", "/admin/import"): "editor",
    ("GET", "/admin/users"): "admin",
    ("POST", "/admin/users"): "admin",
    ("POST", "/admin/users/{user_id}"): "admin",
    ("POST", "/admin/users/{user_id}/sign-out"): "admin",
    ("GET", "/admin/audit"): "admin",
    # two-step sign-in: a half-signed-in person reaches only these (test_two_step.py)
    ("GET", "/admin/two-step"): "editor",
    ("POST", "/admin/two-step"): "editor",
    ("POST", "/admin/two-step/enrol"): "editor",
    ("POST", "/admin/two-step/recovery-codes"): "editor",
    ("POST", "/admin/users/{user_id}/two-step/reset"): "admin",
}
for _kind in ("services", "concerns", "areas", "postcodes", "rules", "volunteer"):
    NEEDS |= {
        ("GET", f"/admin/{_kind}"): "editor",
        ("GET", f"/admin/{_kind}/new"): "editor",
        ("POST", f"/admin/{_kind}/new"): "editor",
        ("GET", f"/admin/{_kind}/{{key}}"): "editor",
        ("POST", f"/admin/{_kind}/{{key}}"): "editor",
        ("POST", f"/admin/{_kind}/{{key}}/delete"): "editor",
    }


# Importing replaces the shared draft, so while there is one it needs more.
NEEDS_WHILE_A_DRAFT = {("POST", "/admin/import"): "publisher"}


def has_draft(client: TestClient) -> bool:
    with Session(engine_of(client)) as session:
        return current_draft(session) is not None


def admin_routes() -> set[tuple[str, str]]:
    routes: set[tuple[str, str]] = set()
    for router in ADMIN_ROUTERS:
        for route in router.routes:
            assert isinstance(route, APIRoute)
            routes |= {(method, route.path) for method in route.methods if method != "HEAD"}
    return routes


def concrete(client: TestClient, path: str) -> str:
    """A real URL for a route pattern: existing keys, version 1, the editor's account."""
    knowledge: Knowledge = client.app.state.knowledge.get()  # type: ignore[attr-defined]
    keys = {
        "services": next(iter(knowledge.services)),
        "concerns": next(iter(knowledge.concerns)),
        "areas": next(iter(knowledge.areas)),
        "postcodes": next(iter(knowledge.postcodes)),
        "rules": knowledge.rules[0].id,
        "volunteer": knowledge.volunteer[0].id,
    }
    with Session(engine_of(client)) as session:
        editor = find_user(session, email_for("editor"))
        assert editor is not None
    parts = path.split("/")
    if "{key}" in path:
        path = path.replace("{key}", quote(keys[parts[2]]))
    path = path.replace("{version_id}", "1").replace("{user_id}", str(editor.id))
    return path + ("?a=1&b=1" if path == "/admin/versions/diff" else "")


def test_every_admin_route_is_in_the_table() -> None:
    assert all(router in ALL_ROUTERS for router in ADMIN_ROUTERS)
    assert admin_routes() - PUBLIC == set(NEEDS)
    assert all(path.startswith("/admin") for _, path in NEEDS)


def test_anonymous_visitors_are_sent_to_sign_in(admin_client: TestClient) -> None:
    for method, pattern in sorted(NEEDS):
        url = concrete(admin_client, pattern)
        response = admin_client.request(method, url, follow_redirects=False)
        assert response.status_code == 303, (method, url)
        assert response.headers["location"].startswith("/admin/login"), (method, url)
    assert admin_client.get("/admin/login").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_each_role_can_do_only_what_it_should(admin_client: TestClient, role: str) -> None:
    for method, pattern in sorted(NEEDS):
        needed = NEEDS[method, pattern]
        if (method, pattern) in NEEDS_WHILE_A_DRAFT and has_draft(admin_client):
            needed = NEEDS_WHILE_A_DRAFT[method, pattern]
        csrf = quick_session(admin_client, role)  # fresh: some routes sign out
        url = concrete(admin_client, pattern)
        data = {"csrf_token": csrf} if method == "POST" else None
        response = admin_client.request(method, url, data=data, follow_redirects=False)
        allowed = ROLES.index(role) >= ROLES.index(needed)
        if allowed:
            assert response.status_code not in (401, 403, 500), (method, url, response.text[:300])
            assert not response.headers.get("location", "").startswith("/admin/login") or (
                pattern in ("/admin/logout", "/admin/logout-everywhere")
            ), (method, url)
        else:
            assert response.status_code == 403, (method, url)
            assert f"This needs the {needed} role" in response.text


def test_state_changing_forms_without_the_csrf_token_are_refused(admin_client: TestClient) -> None:
    posts = sorted(pattern for method, pattern in NEEDS if method == "POST")
    for pattern in posts:
        url = concrete(admin_client, pattern)
        for token in (None, "forged-token"):
            quick_session(admin_client, "admin")
            data = {"csrf_token": token} if token else {}
            response = admin_client.post(url, data=data, follow_redirects=False)
            assert response.status_code == 403, url
            assert "This form has expired" in response.text
            assert "nothing was changed" in response.text
    versions = admin_client.get("/healthz").json()["knowledge_version"]
    assert versions == 1, "a forged rollback must not publish anything"


def test_sign_in_needs_its_own_csrf_token(admin_client: TestClient) -> None:
    response = admin_client.post(
        "/admin/login", data={"email": email_for("admin"), "password": PASSWORD},
        follow_redirects=False,
    )
    assert response.status_code == 403


def test_session_cookie_flags_and_rotation(admin_client: TestClient) -> None:
    response = sign_in(admin_client, "editor")
    assert response.status_code == 303 and response.headers["location"] == "/admin"
    cookie = response.headers["set-cookie"]
    assert "navigator_admin=" in cookie
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/admin" in cookie
    assert "Secure" not in cookie, "plain http in tests: a Secure cookie would never be sent"

    planted = TestClient(admin_client.app, cookies={"navigator_admin": "chosen-by-an-attacker"})
    assert planted.get("/admin", follow_redirects=False).status_code == 303
    issued = sign_in(planted, "editor").headers["set-cookie"].split(";")[0]
    assert issued.startswith("navigator_admin=") and "chosen-by-an-attacker" not in issued, (
        "sign-in issues a new session token"
    )

    https = TestClient(admin_client.app, base_url="https://testserver")
    secure = sign_in(https, "editor")
    assert "Secure" in secure.headers["set-cookie"]


def test_sign_out_everywhere_ends_every_browser(admin_client: TestClient) -> None:
    laptop = TestClient(admin_client.app)
    phone = TestClient(admin_client.app)
    sign_in(laptop, "editor")
    sign_in(phone, "editor")
    assert phone.get("/admin").status_code == 200
    token = laptop.get("/admin/account").text.split('name="csrf_token" value="')[1].split('"')[0]
    laptop.post("/admin/logout-everywhere", data={"csrf_token": token})
    assert phone.get("/admin", follow_redirects=False).status_code == 303
    assert laptop.get("/admin", follow_redirects=False).status_code == 303
