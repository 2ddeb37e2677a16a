"""The admin's edit and publish flow over real HTTP, against an api process
(tests/faults): a staff account and its session are made directly in the
database (as tests/admin/support.quick_session does), then the pages and
forms are used as a browser would."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import httpx
from sqlmodel import Session

from knowledge.content.edit import get_entry
from knowledge.db import make_engine
from knowledge.staff.accounts import create_user, find_user, start_session
from tests.admin.support import PASSWORD, csrf_from, form_for

REVISION = re.compile(r'name="revision" value="(\d+)"')


class AdminBrowser:
    """A signed-in staff member (``role``) using the admin at ``base_url``."""

    def __init__(self, base_url: str, database_url: str, role: str = "admin") -> None:
        self.engine = make_engine(database_url)
        email = f"faults-{role}@lmm.example.nhs.uk"
        with Session(self.engine) as session:
            user = find_user(session, email) or create_user(
                session, email, f"Fault test {role}", role, PASSWORD
            )
            token = start_session(session, user)
        self.client = httpx.Client(base_url=base_url, timeout=180, follow_redirects=True)
        self.client.cookies.set("navigator_admin", token, path="/admin")

    def close(self) -> None:
        self.client.close()
        self.engine.dispose()

    def document(self, kind: str, key: str) -> dict[str, Any]:
        """The entry as the draft (or, with no draft change, the published version) holds it."""
        with Session(self.engine) as session:
            entry = get_entry(session, kind, key)
            assert entry is not None
            document: dict[str, Any] = entry.document
            return document

    def edit_form(self, kind: str, key: str) -> dict[str, Any]:
        """Open the edit page and read back what it would submit."""
        page = self.client.get(f"/admin/{kind}/{quote(key)}")
        assert page.status_code == 200, page.text[:300]
        revision = REVISION.search(page.text)
        assert revision
        return {**form_for(kind, self.document(kind, key)), "revision": revision.group(1),
                "csrf_token": csrf_from(page.text)}

    def save(self, kind: str, key: str, form: dict[str, Any]) -> httpx.Response:
        return self.client.post(f"/admin/{kind}/{quote(key)}", data=form)

    def publish(self, note: str) -> httpx.Response:
        token = csrf_from(self.client.get("/admin/draft").text)
        return self.client.post("/admin/draft/publish", data={"csrf_token": token, "note": note})
