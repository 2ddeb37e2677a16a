"""The version rules that keep published content trustworthy, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from knowledge.content.tables import ServiceRow
from knowledge.content.versions import (
    DRAFT,
    PUBLISHED,
    VersionError,
    create_version,
    current_draft,
    ensure_seeded,
    get_or_create_draft,
    latest_published,
    list_versions,
    load_knowledge,
    publish_draft,
    rollback_to,
    version_documents,
)
from tests.knowledge.small_content import small_content


def publish_small(session: Session) -> int:
    version = create_version(session, small_content(), status=PUBLISHED, by="test")
    assert version.id is not None
    return version.id


def test_documents_round_trip_through_the_database(session: Session) -> None:
    version_id = publish_small(session)
    assert version_documents(session, version_id)["services"][0]["name"] == (
        "Little Minds Matter: work with families"
    )
    knowledge = load_knowledge(session, version_id)
    assert knowledge.version == version_id
    assert knowledge.services["lmm-clinical"].ages.to_months == 24
    assert knowledge.rules[0].examples[0].tier == "lmm_consultation"


def test_invalid_content_is_refused_before_anything_is_written(session: Session) -> None:
    content = small_content()
    content["services"][0]["circle"] = "outer"
    with pytest.raises(ValidationError):
        create_version(session, content, status=PUBLISHED, by="test")
    assert list_versions(session) == []


def test_edits_go_to_a_draft_and_publish_as_a_new_higher_version(session: Session) -> None:
    first = publish_small(session)
    draft = get_or_create_draft(session, by="editor")
    assert get_or_create_draft(session, by="someone else").id == draft.id  # one shared draft
    row = session.exec(
        select(ServiceRow).where(ServiceRow.version_id == draft.id, ServiceRow.id == "lmm-clinical")
    ).one()
    row.does = ["Video Interaction Guidance"]
    session.add(row)
    session.commit()

    assert load_knowledge(session, first).services["lmm-clinical"].does == (
        "Parent-infant relationship therapy",
    ), "the published version must not change while the draft is edited"
    published = publish_draft(session, by="publisher", note="VIG")
    assert published.id is not None and published.id > first
    assert current_draft(session) is None
    assert load_knowledge(session, published.id).services["lmm-clinical"].does == (
        "Video Interaction Guidance",
    )
    latest = latest_published(session)
    assert latest is not None and latest.published_by == "publisher"


def test_rollback_publishes_a_copy_of_an_old_version(session: Session) -> None:
    first = publish_small(session)
    get_or_create_draft(session, by="editor")
    changed = small_content()
    changed["services"][0]["name"] = "Renamed service"
    second = create_version(session, changed, status=PUBLISHED, by="test")
    assert second.id is not None
    rolled = rollback_to(session, first, by="publisher")
    assert rolled.id is not None and rolled.id > second.id
    assert load_knowledge(session, rolled.id).services["lmm-clinical"].name == (
        "Little Minds Matter: work with families"
    )
    assert "Rollback to version" in rolled.note


def test_nothing_to_publish_or_roll_back_is_an_error(session: Session) -> None:
    with pytest.raises(VersionError):
        publish_draft(session, by="p", note="")
    with pytest.raises(VersionError):
        rollback_to(session, 999, by="p")
    with pytest.raises(VersionError):
        get_or_create_draft(session, by="e")


def test_seeding_publishes_the_seed_once(session: Session) -> None:
    first = ensure_seeded(session)
    again = ensure_seeded(session)
    assert first.id == again.id
    assert len(list_versions(session)) == 1
    assert first.id is not None
    knowledge = load_knowledge(session, first.id)
    assert len(knowledge.services) >= 25


def test_the_database_allows_only_one_draft(db_engine: Engine) -> None:
    """Two editors starting the first draft at once share one draft."""
    with Session(db_engine) as first, Session(db_engine) as second:
        publish_small(first)
        assert current_draft(second) is None  # both saw no draft...
        mine = get_or_create_draft(first, by="editor one")
        # ...so the second creates one too, as if it had raced the first.
        documents = version_documents(second, mine.based_on or 0)
        with pytest.raises(IntegrityError):
            create_version(second, documents, status=DRAFT, by="editor two")
        second.rollback()
        theirs = get_or_create_draft(second, by="editor two")
        assert theirs.id == mine.id


def test_the_volunteer_route_is_versioned_content(session: Session) -> None:
    """Seeded with the reviewed file, edited in the draft, published as a new
    version: the volunteer route is content like the rules."""
    from knowledge.content.edit import save_entry
    from knowledge.content.seed_files import load_seed

    seeded = ensure_seeded(session)
    assert seeded.id is not None
    assert load_knowledge(session, seeded.id).volunteer == load_seed().volunteer
    step = next(d for d in version_documents(session, seeded.id)["volunteer"]
                if d["id"] == "V-002")
    changed = {**step, "next_steps": [*step["next_steps"], "Note the family's own words."]}
    save_entry(session, "volunteer", changed, by="editor", key="V-002", expected_revision=1)
    published = publish_draft(session, by="publisher", note="volunteer wording")
    assert published.id is not None
    after = {s.id: s for s in load_knowledge(session, published.id).volunteer}
    assert after["V-002"].next_steps[-1] == "Note the family's own words."
    before = {s.id: s for s in load_knowledge(session, seeded.id).volunteer}
    assert "Note the family's own words." not in before["V-002"].next_steps


def test_migrating_gives_every_existing_version_the_route_it_answered_with(
    db_engine: Engine,
) -> None:
    """Before the route was versioned, every version answered volunteers from
    the seed file (when it had the rules and services the route names): the
    migration that adds the table keeps exactly that."""
    from alembic import command

    from knowledge.content.seed_files import load_seed
    from knowledge.db import alembic_config, migrate

    with Session(db_engine) as session:
        seeded = ensure_seeded(session).id
        small = publish_small(session)
    config = alembic_config()
    with db_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0005")
    migrate(db_engine)
    with Session(db_engine) as session:
        assert seeded is not None
        assert load_knowledge(session, seeded).volunteer == load_seed().volunteer
        assert load_knowledge(session, small).volunteer == ()
        assert version_documents(session, small)["volunteer"] == []
