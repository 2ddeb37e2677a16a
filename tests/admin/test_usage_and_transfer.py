"""Anonymous usage counts (and what is never stored), CSV, import and export."""

from __future__ import annotations

import csv
import io
import time
import zipfile
from pathlib import Path

import httpx
import yaml
from fastapi.testclient import TestClient
from sqlmodel import Session

from knowledge.content.seed_files import FILES, dump_documents
from knowledge.content.versions import PUBLISHED, create_version, version_documents
from knowledge.db import make_engine
from knowledge.usage.counts import all_counts
from tests.admin.support import (
    engine_of,
    form_token,
    get_published_or_draft,
    knowledge_of,
    quick_session,
)
from tests.conftest import make_client
from tests.support.fake_rasa import use_fake_rasa

DESCRIPTION = "Mum Zebedee-Smith can't bond with her baby and feels very low"


def chat_conversation(
    client: TestClient, query: dict[str, str], asking: str | None = None
) -> None:
    """A new chat conversation in which the bot (an httpx.MockTransport
    standing in for Rasa) gives the engine's answer to ``query``."""
    recommendation = client.post("/api/v1/recommendations", json=query).json()

    def rasa(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[
            {"text": "My answer."},
            {"custom": {"recommendation": recommendation, "asking": asking}},
        ])

    use_fake_rasa(client, rasa)
    response = client.post(
        "/api/v1/chat", json={"message": query["description"], "new_conversation": True}
    )
    assert response.status_code == 200


def test_conversations_are_counted_anonymously(admin_client: TestClient) -> None:
    body = {"description": DESCRIPTION, "age": "4 months", "postcode": "BD5 0AA"}
    for _ in range(2):
        chat_conversation(admin_client, body)
    chat_conversation(admin_client, body, asking="duration")  # an interim answer
    older = {"description": "not bonding", "age": "30 months", "postcode": "BD5 0AA"}
    chat_conversation(admin_client, older)

    with Session(engine_of(admin_client)) as session:
        assert all_counts(session) == [], "counts are batched, not written per request"
    admin_client.app.state.usage.flush()  # type: ignore[attr-defined]
    with Session(engine_of(admin_client)) as session:
        rows = all_counts(session)
    assert sum(r.count for r in rows) == 3, "interim answers and direct calls are not counted"
    assert sum(r.count for r in rows if r.outside_age) == 1

    quick_session(admin_client, "editor")
    exported = admin_client.get("/admin/usage.csv")
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(exported.text)))
    assert sum(int(r["count"]) for r in table) == 3
    assert {r["month"] for r in table} == {"2026-11"}
    stored = exported.text + repr([r.model_dump() for r in rows])
    assert "Zebedee" not in stored and "0AA" not in stored, "no text, no full postcodes"

    dashboard = admin_client.get("/admin").text
    assert "3 recommendations counted" in dashboard
    assert dashboard.count('role="img"') == 4, "a chart of each count"


def test_counts_reach_the_database_in_the_background(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nav.db'}"
    body = {"description": "not bonding", "age": "4 months", "postcode": "BD5 0AA"}
    with make_client(database_url=url, usage_flush_seconds=0.2) as client:
        chat_conversation(client, body)
        engine = engine_of(client)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with Session(engine) as session:
                if sum(r.count for r in all_counts(session)) == 1:
                    break
            time.sleep(0.1)
        else:
            raise AssertionError("the count was not written within 10 s")
        chat_conversation(client, body)
    with Session(make_engine(url)) as session:
        assert sum(r.count for r in all_counts(session)) == 2, "flushed at shut-down too"


def test_export_is_the_seed_yaml(admin_client: TestClient) -> None:
    quick_session(admin_client, "editor")
    response = admin_client.get("/admin/export?version=1")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    files = {name.split("/")[-1]: archive.read(name).decode() for name in archive.namelist()}
    assert set(files) == set(FILES.values())
    assert files == dump_documents(knowledge_of(admin_client))


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(f"seed/{name}", text)
    return buffer.getvalue()


def imported(client: TestClient, files: dict[str, str], token: str) -> None:
    """Upload ``files`` as a zip and check they were imported into the draft."""
    response = client.post(
        "/admin/import", data={"csrf_token": token},
        files={"files": ("content.zip", _zip(files), "application/zip")},
    )
    assert response.status_code == 200, response.text[-3000:]
    assert "Imported into the draft" in response.text


def test_import_replaces_the_draft_after_checking_every_entry(admin_client: TestClient) -> None:
    quick_session(admin_client, "publisher")  # the second import replaces a draft
    files = dump_documents(knowledge_of(admin_client))
    services = yaml.safe_load(files["services.yaml"])
    first_id = services[0]["id"]
    services[0]["name"] = "Renamed in a reviewed pull request"
    files["services.yaml"] = yaml.safe_dump(services, sort_keys=False)
    token = form_token(admin_client, "/admin/transfer")
    imported(admin_client, files, token)
    draft = admin_client.get("/admin/draft").text
    assert f"Service {first_id}: changed" in draft
    assert "Renamed in a reviewed pull request" in draft
    assert admin_client.get("/healthz").json()["knowledge_version"] == 1, "not live yet"

    del services[0]["does"]
    files["services.yaml"] = yaml.safe_dump(services, sort_keys=False)
    del files["rules.yaml"]
    bad = admin_client.post(
        "/admin/import", data={"csrf_token": token},
        files={"files": ("content.zip", _zip(files), "application/zip")},
    )
    assert bad.status_code == 400
    assert "The content was not imported" in bad.text
    assert f"services.yaml entry 1 ({first_id}): does: Field required" in bad.text
    assert "rules.yaml is missing" in bad.text
    not_zip = admin_client.post(
        "/admin/import", data={"csrf_token": token},
        files={"files": ("content.zip", b"not a zip", "application/zip")},
    )
    assert not_zip.status_code == 400 and "not a valid zip file" in not_zip.text


def test_an_export_without_the_volunteer_route_keeps_the_published_one(
    admin_client: TestClient,
) -> None:
    """Exports made before the volunteer route was versioned hold five files:
    importing one keeps the published route (here edited since the seed)
    instead of losing it or going back to the seed's."""
    with Session(engine_of(admin_client)) as session:
        documents = version_documents(session, 1)
        for step in documents["volunteer"]:
            if step["id"] == "V-002":
                step["next_steps"] = [*step["next_steps"], "Edited since the seed."]
        create_version(session, documents, status=PUBLISHED, by="test", based_on=1)
    quick_session(admin_client, "editor")
    files = dump_documents(knowledge_of(admin_client))
    del files["volunteer.yaml"]
    imported(admin_client, files, form_token(admin_client, "/admin/transfer"))
    draft_step = get_published_or_draft(admin_client, "volunteer", "V-002")
    assert draft_step["next_steps"][-1] == "Edited since the seed."
