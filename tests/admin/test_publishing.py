"""Publishing with checks, switching every instance at once, history, rollback, audit."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from knowledge.content.versions import version_documents
from knowledge.staff.tables import AuditEntry
from tests.admin.conftest import ClientFactory
from tests.admin.support import (
    add_staff,
    edit_form,
    engine_of,
    form_token,
    knowledge_of,
    publish,
    quick_session,
)


def _change_remit(client: TestClient, service_id: str, text: str) -> None:
    form = edit_form(client, "services", service_id)
    form["does"] = text
    response = client.post(f"/admin/services/{service_id}", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text[:500]


def _version(client: TestClient) -> int:
    version: int = client.get("/healthz").json()["knowledge_version"]
    return version


def test_publish_is_refused_when_a_rule_example_fails(admin_client: TestClient) -> None:
    rule = knowledge_of(admin_client).rules[0]
    quick_session(admin_client, "publisher")
    form = edit_form(admin_client, "rules", rule.id)
    examples = yaml.safe_load(form["examples"])
    wrong = next(t for t in ("urgent", "signpost") if t != examples[0]["tier"])
    examples[0]["tier"] = wrong
    form["examples"] = yaml.safe_dump(examples)
    assert admin_client.post(f"/admin/rules/{rule.id}", data=form,
                             follow_redirects=False).status_code == 303
    refused = publish(admin_client)
    assert refused.status_code == 422
    assert "Publishing was refused" in refused.text
    assert f"{rule.id} / {examples[0]['name']}" in refused.text, "the failing example is named"
    assert _version(admin_client) == 1, "nothing was published"
    assert "Publish the draft" in admin_client.get("/admin/draft").text, "the draft is kept"


def test_publish_is_refused_when_a_worked_case_fails(
    app_factory: ClientFactory, tmp_path: Path
) -> None:
    cases = tmp_path / "worked_cases.yaml"
    cases.write_text(yaml.safe_dump([{
        "name": "a red flag is always urgent", "description": "baby has a bruise, not mobile",
        "age": "6 weeks", "tier": "urgent",
    }, {
        "name": "an impossible expectation", "description": "nothing to worry about",
        "tier": "urgent",
    }]))
    client = app_factory(worked_cases_path=cases)
    add_staff(client)
    quick_session(client, "publisher")
    service_id = next(iter(knowledge_of(client).services))
    _change_remit(client, service_id, "Something new")
    refused = publish(client)
    assert refused.status_code == 422
    assert "an impossible expectation" in refused.text
    assert _version(client) == 1


def test_every_instance_serves_a_publish_without_restarting(app_factory: ClientFactory) -> None:
    first = app_factory(knowledge_refresh_seconds=0.5)
    second = app_factory(knowledge_refresh_seconds=0.5)
    add_staff(first)
    service_id = next(iter(knowledge_of(first).services))
    assert second.get(f"/api/v1/services/{service_id}").status_code == 200
    quick_session(first, "publisher")
    _change_remit(first, service_id, "Published on the first instance")
    published = publish(first)
    assert published.status_code == 303, published.text[-4000:]
    assert first.get(f"/api/v1/services/{service_id}").json()["remit"]["does"] == [
        "Published on the first instance"
    ], "the publishing instance switches at once"
    deadline = time.monotonic() + 3
    seen: list[str] = []
    while time.monotonic() < deadline:
        seen = second.get(f"/api/v1/services/{service_id}").json()["remit"]["does"]
        if seen == ["Published on the first instance"]:
            break
        time.sleep(0.1)
    assert seen == ["Published on the first instance"], "the other instance polls and switches"
    assert _version(second) == _version(first) > 1


def test_history_diff_and_rollback(admin_client: TestClient) -> None:
    service_id = next(iter(knowledge_of(admin_client).services))
    original = admin_client.get(f"/api/v1/services/{service_id}").json()["remit"]["does"]
    quick_session(admin_client, "publisher")
    _change_remit(admin_client, service_id, "A remit that turned out wrong")
    assert publish(admin_client, "The wrong remit").status_code == 303
    wrong_version = _version(admin_client)

    diff = admin_client.get(f"/admin/versions/diff?a=1&b={wrong_version}").text
    assert f"Service {service_id}: changed" in diff
    assert "+ A remit that turned out wrong" in diff

    token = form_token(admin_client, "/admin/versions")
    rolled = admin_client.post("/admin/versions/1/rollback", data={"csrf_token": token},
                               follow_redirects=False)
    assert rolled.status_code == 303
    rolled_back = _version(admin_client)
    assert rolled_back > wrong_version, "a rollback is a new version"
    assert admin_client.get(f"/api/v1/services/{service_id}").json()["remit"]["does"] == original
    history = admin_client.get("/admin/versions").text
    assert "Rollback to version 1" in history and "The wrong remit" in history

    with Session(engine_of(admin_client)) as session:
        wrong = version_documents(session, wrong_version)["services"]
        assert any(s["does"] == ["A remit that turned out wrong"] for s in wrong), (
            "published versions never change"
        )
        actions = [e.action for e in session.exec(select(AuditEntry))]
    assert {"edit", "publish", "rollback"} <= set(actions)
    audit = admin_client.get("/admin/audit")
    assert audit.status_code == 403, "publishers do not see the audit log"
    quick_session(admin_client, "admin")
    audit = admin_client.get("/admin/audit")
    assert f"rollback: version/{rolled_back}" in audit.text
    assert f"publish: version/{wrong_version}" in audit.text


def test_discarding_a_draft_leaves_the_published_version(admin_client: TestClient) -> None:
    service_id = next(iter(knowledge_of(admin_client).services))
    quick_session(admin_client, "publisher")
    _change_remit(admin_client, service_id, "Not wanted after all")
    token = form_token(admin_client, "/admin/draft")
    discarded = admin_client.post("/admin/draft/discard", data={"csrf_token": token})
    assert "The draft was discarded" in discarded.text
    assert "Not wanted after all" not in admin_client.get(f"/admin/services/{service_id}").text
    assert _version(admin_client) == 1


def test_the_dashboard_lists_services_due_a_check(app_factory: ClientFactory) -> None:
    client = app_factory(stale_after_days=1)
    add_staff(client)
    quick_session(client, "editor")
    knowledge = knowledge_of(client)
    page = client.get("/admin").text
    assert "Services due a check" in page
    for service in knowledge.services.values():
        assert service.name.replace("'", "&#39;") in page
    fresh = app_factory(stale_after_days=100_000)
    quick_session(fresh, "editor")
    assert "Every service was checked in the last 100000 days" in fresh.get("/admin").text


def test_publish_is_refused_when_a_phrase_edit_loses_a_red_flag(
    admin_client: TestClient,
) -> None:
    """Content edits to phrases can break reading as easily as code: the whole
    corpus is read with the draft, and a red flag it would lose refuses it."""
    quick_session(admin_client, "publisher")
    form = edit_form(admin_client, "concerns", "strangulation")
    form["phrases"] = "strangled with a dog lead in a bathtub"  # every real phrase gone
    saved = admin_client.post("/admin/concerns/strangulation", data=form,
                              follow_redirects=False)
    assert saved.status_code == 303, saved.text[:500]
    refused = publish(admin_client)
    assert refused.status_code == 422
    assert "red flag(s) in the" in refused.text
    assert "the published version catches" in refused.text
    assert 'id="reading-figures"' in refused.text, "the draft's and published figures shown"
    assert _version(admin_client) == 1


def test_the_draft_page_shows_the_reading_figures(admin_client: TestClient) -> None:
    quick_session(admin_client, "publisher")
    service_id = next(iter(knowledge_of(admin_client).services))
    _change_remit(admin_client, service_id, "Groups on Tuesdays")
    page = admin_client.get("/admin/draft?check=1")
    assert page.status_code == 200
    assert "How the navigator reads the labelled corpus" in page.text
    assert "Published, dev" in page.text
    published = publish(admin_client)
    assert published.status_code == 303, "a remit edit reads the corpus as before"


def test_publish_is_refused_when_prose_holds_a_phone_number(admin_client: TestClient) -> None:
    """Numbers live only in the service records' contact fields: one typed into
    a remit would not change when the record does."""
    quick_session(admin_client, "publisher")
    form = edit_form(admin_client, "concerns", "strangulation")
    form["guidance"] = "Phone the front door on 01274 123456 straight away."
    saved = admin_client.post("/admin/concerns/strangulation", data=form,
                              follow_redirects=False)
    assert saved.status_code == 303, saved.text[:500]
    refused = publish(admin_client)
    assert refused.status_code == 422
    assert ("Concern strangulation guidance has a phone number written in it (01274 123456)"
            in refused.text)
    assert _version(admin_client) == 1


def test_publish_is_refused_when_a_contact_placeholder_names_nothing(
    admin_client: TestClient,
) -> None:
    quick_session(admin_client, "publisher")
    _change_remit(admin_client, "first-response", "Call {phone:no-such-service} now")
    refused = publish(admin_client)
    assert refused.status_code == 422
    assert ("Service first-response does refers to {phone:no-such-service}: there is no "
            "service no-such-service." in refused.text)
    assert _version(admin_client) == 1


def _small_corpus(tmp_path: Path) -> Path:
    """Four labelled items: enough to fit a similarity layer in a second."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "items.yaml").write_text(yaml.safe_dump([
        {"text": text, "concerns": concerns, "red_flag": red, "tier": tier, "kind": kind,
         "split": split, "age": "3 months", "postcode": "BD3 9LF"}
        for text, concerns, red, tier, kind, split in [
            ("mum says she wants to end it all", ["suicidal_thoughts"], True, "urgent",
             "red_flag", "train"),
            ("mum finding it hard to bond with him", ["bonding"], False, "lmm_consultation",
             "ordinary", "train"),
            ("she has been thinking of killing herself", ["suicidal_thoughts"], True, "urgent",
             "red_flag", "dev"),
            ("not feeling close to the baby at all", ["bonding"], False, "lmm_consultation",
             "ordinary", "dev"),
        ]
    ]))
    return corpus


def _versions_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The version each corpus reading is made with, in order, from now on."""
    from knowledge.content import publish as publishing

    read: list[int] = []
    real = publishing.evaluate
    monkeypatch.setattr(publishing, "evaluate", lambda items, knowledge, today, reader: (
        read.append(knowledge.version), real(items, knowledge, today, reader))[1])
    return read


def _wait_for_following() -> None:
    import threading

    from api.served_reading import THREAD_NAME

    for thread in threading.enumerate():
        if thread.name == THREAD_NAME:
            thread.join(timeout=120)


def test_the_published_version_is_read_at_start_up_so_a_publish_reads_only_the_draft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Reading the corpus with the published version takes about a minute: it
    is done in the background after start-up, so the first publish check
    only reads the draft."""
    from knowledge.content import publish as publishing
    from knowledge.content.reading_corpus import load_corpus
    from tests.conftest import FIXED_TODAY, make_client

    corpus = _small_corpus(tmp_path)
    read = _versions_read(monkeypatch)
    with make_client(reading_corpus_dir=corpus, reading_prewarm=True) as client:
        _wait_for_following()
        published = client.app.state.knowledge.get()  # type: ignore[attr-defined]
    assert read == [published.version, published.version], "both splits, at start-up"
    draft = published.model_copy(update={"version": published.version + 1, "volunteer": ()})
    check, _ = publishing.check_reading(draft, published, load_corpus(corpus), FIXED_TODAY,
                                        corpus)
    assert read[2:] == [draft.version, draft.version], "only the draft read at publish"
    assert check.published_dev is not None and check.draft_dev.red_flag_recall == 1.0


def test_a_version_published_elsewhere_is_read_with_the_layer_its_check_approved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another instance publishes new phrases: this instance, once it picks
    the version up, reads with the similarity layer fitted for those phrases
    (the one the publish check measured), not the one it started with, and
    reads the corpus with it in the background."""
    from knowledge.content.edit import get_entry, save_entry
    from knowledge.content.reading_corpus import fitted_reader
    from knowledge.content.versions import publish_draft
    from pathways import reading
    from tests.conftest import make_client

    corpus = _small_corpus(tmp_path)
    read = _versions_read(monkeypatch)
    with make_client(reading_corpus_dir=corpus, reading_prewarm=True,
                     knowledge_refresh_seconds=0) as client:
        _wait_for_following()
        first = client.app.state.knowledge.get()  # type: ignore[attr-defined]
        started_with = reading._default_reader
        assert started_with is not None and started_with is fitted_reader(first, corpus)

        with Session(engine_of(client)) as session:
            entry = get_entry(session, "concerns", "bonding")
            assert entry is not None
            phrases = [*entry.document["phrases"], "not feeling close to the baby"]
            save_entry(session, "concerns", {**entry.document, "phrases": phrases},
                       by="editor@example.org", key="bonding",
                       expected_revision=entry.revision)
            publish_draft(session, "editor@example.org", "a bonding phrase")

        assert _version(client) > first.version
        _wait_for_following()
        now = client.app.state.knowledge.get()  # type: ignore[attr-defined]
        serving = reading._default_reader
    assert now.version > first.version
    assert serving is not started_with, "the new phrases' layer, not the start-up one"
    assert serving is fitted_reader(now, corpus)
    assert read[-2:] == [now.version, now.version], "the corpus read with the new version"
