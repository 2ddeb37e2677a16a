"""Non-web admin rules on SQLite and PostgreSQL: passwords, sessions,
throttling, the append-only audit log, draft edits with revision checks, diffs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from knowledge.clock import utc_now
from knowledge.content.diff import diff_documents
from knowledge.content.edit import EditConflict, EditError, delete_entry, get_entry, save_entry
from knowledge.content.versions import (
    PUBLISHED,
    create_version,
    current_draft,
    latest_published,
    publish_draft,
    version_documents,
)
from knowledge.staff.accounts import (
    AccountError,
    authenticate,
    create_user,
    end_all_sessions,
    resume_session,
    start_session,
    throttled,
)
from knowledge.staff.audit import record
from knowledge.staff.passwords import check_password_rules, hash_password, verify_password
from knowledge.staff.tables import AdminSession, AuditEntry
from tests.knowledge.small_content import small_content

PASSWORD = "a long enough passphrase"


def test_passwords_are_hashed_with_argon2_and_checked() -> None:
    hashed = hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$")
    assert PASSWORD not in hashed
    assert verify_password(PASSWORD, hashed)
    assert not verify_password("a long enough passphrasE", hashed)
    assert not verify_password(PASSWORD, None)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1!", "at least 12 characters"),
        ("Password1234", "common passwords"),
        ("qwertyuiop123", "common passwords"),
        ("x" * 300, "at most 256"),
    ],
)
def test_weak_passwords_are_refused_with_the_rule_named(password: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_password_rules(password)


def test_new_accounts_need_a_valid_role_email_and_password(session: Session) -> None:
    with pytest.raises(AccountError, match="Role must be one of: editor, publisher, admin"):
        create_user(session, "a@example.org", "A", "superuser", PASSWORD)
    with pytest.raises(AccountError, match="email address"):
        create_user(session, "not-an-email", "A", "editor", PASSWORD)
    with pytest.raises(AccountError, match="12 characters"):
        create_user(session, "a@example.org", "A", "editor", "short")
    create_user(session, "A@Example.org", "A", "editor", PASSWORD)
    with pytest.raises(AccountError, match="already an account"):
        create_user(session, "a@example.org ", "A", "editor", PASSWORD)


def test_sessions_time_out_when_idle_or_old_and_end_everywhere(session: Session) -> None:
    user = create_user(session, "a@example.org", "A", "editor", PASSWORD)
    token = start_session(session, user)
    assert session.exec(select(AdminSession)).one().token_hash != token, "only a hash is stored"
    now = utc_now()
    assert resume_session(session, token, now) is not None
    assert resume_session(session, token, now + timedelta(minutes=31)) is None, "idle 30 minutes"
    assert resume_session(session, token, now) is None, "an expired session is gone for good"

    fresh = start_session(session, user)
    for minutes in range(25, 12 * 60, 25):  # active all day, never idle for long
        assert resume_session(session, fresh, now + timedelta(minutes=minutes)) is not None
    assert resume_session(session, fresh, now + timedelta(hours=12, minutes=10)) is None

    first, second = start_session(session, user), start_session(session, user)
    end_all_sessions(session, user)
    assert resume_session(session, first) is None
    assert resume_session(session, second) is None


def test_sign_in_is_slowed_per_account_and_address_and_per_address(session: Session) -> None:
    create_user(session, "a@example.org", "A", "editor", PASSWORD)
    for _ in range(5):
        assert not throttled(session, "a@example.org", "10.0.0.1")
        assert authenticate(session, "a@example.org", "wrong password!", "10.0.0.1") is None
    assert throttled(session, "A@example.org", "10.0.0.1"), "5 failures: the next must wait"
    assert not throttled(session, "a@example.org", "10.0.0.99"), "never locked elsewhere"
    assert authenticate(session, "a@example.org", PASSWORD, "10.0.0.99") is not None
    for i in range(20):
        authenticate(session, f"nobody{i}@example.org", "wrong password!", "10.0.0.2")
    assert throttled(session, "c@example.org", "10.0.0.2"), "20 failures slow the address"
    later = utc_now() + timedelta(seconds=2)
    assert not throttled(session, "a@example.org", "10.0.0.1", now=later)
    assert not throttled(session, "c@example.org", "10.0.0.2", now=later)


def test_the_audit_log_refuses_updates_and_deletes(session: Session) -> None:
    record(session, "a@example.org", "sign_in")
    for statement in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"):
            session.connection().execute(text(statement))
        session.rollback()
    assert session.exec(select(AuditEntry)).one().actor == "a@example.org"


def _publish_small(session: Session) -> int:
    version = create_version(session, small_content(), status=PUBLISHED, by="test")
    assert version.id is not None
    return version.id


def test_edits_go_into_a_draft_and_published_content_stays(session: Session) -> None:
    published = _publish_small(session)
    entry = get_entry(session, "services", "lmm-clinical")
    assert entry is not None and not entry.in_draft
    document = {**entry.document, "does": ["Parent-infant psychotherapy"]}
    saved = save_entry(session, "services", document, by="ed", key="lmm-clinical",
                       expected_revision=entry.revision)
    assert saved.in_draft and saved.revision == entry.revision + 1
    assert version_documents(session, published)["services"][0]["does"] == [
        "Parent-infant relationship therapy"
    ]
    draft = current_draft(session)
    assert draft is not None and draft.based_on == published


def test_a_second_editor_is_told_instead_of_overwriting(session: Session) -> None:
    _publish_small(session)
    opened = get_entry(session, "services", "lmm-clinical")
    assert opened is not None
    first = {**opened.document, "name": "Little Minds Matter (clinical)"}
    second = {**opened.document, "summary": "Changed by the second editor."}
    save_entry(session, "services", first, by="first@example.org", key="lmm-clinical",
               expected_revision=opened.revision)
    with pytest.raises(EditConflict, match=r"first@example\.org changed the service") as conflict:
        save_entry(session, "services", second, by="second@example.org", key="lmm-clinical",
                   expected_revision=opened.revision)
    assert conflict.value.current is not None
    kept = get_entry(session, "services", "lmm-clinical")
    assert kept is not None and kept.document["name"] == "Little Minds Matter (clinical)"
    assert kept.document["summary"] == opened.document["summary"]
    with pytest.raises(EditConflict):
        delete_entry(session, "services", "lmm-clinical", by="x", expected_revision=opened.revision)


def test_invalid_or_duplicate_entries_are_refused(session: Session) -> None:
    _publish_small(session)
    entry = get_entry(session, "services", "lmm-clinical")
    assert entry is not None
    with pytest.raises(ValidationError):
        save_entry(session, "services", {**entry.document, "does": []}, by="ed",
                   key="lmm-clinical", expected_revision=entry.revision)
    with pytest.raises(EditError, match="already a service lmm-clinical"):
        save_entry(session, "services", entry.document, by="ed")
    with pytest.raises(EditError, match="cannot be changed"):
        save_entry(session, "services", {**entry.document, "id": "renamed"}, by="ed",
                   key="lmm-clinical", expected_revision=entry.revision)


def test_the_diff_names_entries_and_fields(session: Session) -> None:
    first = _publish_small(session)
    entry = get_entry(session, "services", "lmm-clinical")
    assert entry is not None
    save_entry(session, "services", {**entry.document, "does": ["Therapy", "Consultation"]},
               by="ed", key="lmm-clinical", expected_revision=entry.revision)
    concern = get_entry(session, "concerns", "bonding")
    assert concern is not None
    delete_entry(session, "concerns", "bonding", by="ed", expected_revision=concern.revision)
    second = publish_draft(session, "pub", "two changes")
    assert second.id is not None and latest_published(session) is not None
    changes = diff_documents(
        version_documents(session, first), version_documents(session, second.id)
    )
    by_key = {(c.kind, c.key): c for c in changes}
    assert set(by_key) == {("services", "lmm-clinical"), ("concerns", "bonding")}
    assert by_key["concerns", "bonding"].change == "removed"
    does = by_key["services", "lmm-clinical"].fields[0]
    assert does.name == "does"
    assert does.added_items == ("Therapy", "Consultation")
    assert does.removed_items == ("Parent-infant relationship therapy",)
