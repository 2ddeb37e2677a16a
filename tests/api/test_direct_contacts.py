"""GET /api/v1/contacts/direct: the contacts the bot keeps for when the api is
down, from the published content (so a corrected number reaches them)."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from knowledge.content.edit import get_entry, save_entry
from knowledge.content.versions import publish_draft
from tests.conftest import make_client


def test_the_direct_contacts_follow_the_published_service_records(tmp_path: Path) -> None:
    with make_client(f"sqlite:///{tmp_path / 'navigator.db'}",
                     knowledge_refresh_seconds=0) as client:
        first = client.get("/api/v1/contacts/direct").json()
        lines = first["text"].splitlines()
        assert any(line.startswith("- Emergency services (999)") for line in lines)
        front_door = next(line for line in lines if "Front Door" in line)
        assert "(number to be confirmed)" in front_door, "an uncertain number keeps its caveat"

        engine = client.app.state.engine  # type: ignore[attr-defined]
        with Session(engine) as session:
            entry = get_entry(session, "services", "first-response")
            assert entry is not None
            contact = {**entry.document["contact"], "phone": "0800 000 1234"}
            save_entry(session, "services", {**entry.document, "contact": contact},
                       by="editor@example.org", key="first-response",
                       expected_revision=entry.revision)
            publish_draft(session, "editor@example.org", "First Response's new number")

        after = client.get("/api/v1/contacts/direct").json()
        assert after["version"] > first["version"]
        assert "0800 000 1234" in after["text"] and "0800 952 1181" not in after["text"]
