"""The draft (what would change, publish, discard) and the history of
published versions (who published them and when, diffs, rollback).

Publishing and rolling back switch this instance's engine at once
(``holder.refresh()``); every other instance picks the new version up on its
next poll, within ``KNOWLEDGE_REFRESH_SECONDS``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from api.admin.bad_input import DbId, VersionQuery
from api.admin.pages import AdminRoute, redirect, render
from api.admin.security import AdminPageError, CsrfPublisherDep, EditorDep
from api.deps import KnowledgeHolderDep, SessionDep, SettingsDep, TodayDep
from knowledge.content.diff import diff_documents
from knowledge.content.edit import SINGULAR
from knowledge.content.publish import PublishRefused, check_draft, publish_checked
from knowledge.content.tables import ContentVersion
from knowledge.content.versions import (
    PUBLISHED,
    VersionError,
    current_draft,
    discard_draft,
    latest_published,
    list_versions,
    rollback_to,
    version_documents,
)
from knowledge.staff import audit

router = APIRouter(prefix="/admin", tags=["admin"], include_in_schema=False, route_class=AdminRoute)

NOTICES = {
    "discarded": "The draft was discarded. The published version is unchanged.",
}


def _published(session: SessionDep, version_id: int) -> ContentVersion:
    version = session.get(ContentVersion, version_id)
    if version is None or version.status != PUBLISHED:
        raise AdminPageError(404, "No such version", f"There is no published version {version_id}.")
    return version


@router.get("/draft")
def draft_page(
    request: Request, session: SessionDep, _: EditorDep, settings: SettingsDep, today: TodayDep,
    done: str = "", check: bool = False,
) -> Response:
    draft = current_draft(session)
    base = latest_published(session)
    changes = []
    if draft is not None and draft.id is not None and base is not None and base.id is not None:
        changes = diff_documents(
            version_documents(session, base.id), version_documents(session, draft.id)
        )
    result = (
        check_draft(session, today, settings.worked_cases_path, settings.reading_corpus_dir)
        if check and draft else None
    )
    return render(
        request,
        "admin/draft.html",
        {"title": "Draft", "draft": draft, "base": base, "changes": changes,
         "labels": SINGULAR, "check": result, "notice": NOTICES.get(done, "")},
    )


@router.post("/draft/publish")
def publish(
    request: Request,
    session: SessionDep,
    current: CsrfPublisherDep,
    holder: KnowledgeHolderDep,
    settings: SettingsDep,
    today: TodayDep,
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    try:
        version, check = publish_checked(
            session, current.user.email, note.strip(), today, settings.worked_cases_path,
            settings.reading_corpus_dir,
        )
    except PublishRefused as refused:
        audit.record(session, current.user.email, "publish_refused", "draft",
                           f"{len(refused.check.failures)} check(s) failed")
        draft = current_draft(session)
        return render(
            request, "admin/draft.html",
            {"title": "Draft", "draft": draft, "base": latest_published(session),
             "changes": [], "labels": SINGULAR, "check": refused.check, "refused": True},
            status_code=422,
        )
    except VersionError as exc:
        raise AdminPageError(409, "Nothing to publish", str(exc)) from exc
    holder.refresh()
    audit.record(session, current.user.email, "publish", f"version/{version.id}",
                       f"{check.examples_checked} rule examples and {check.cases_checked} worked "
                       f"cases passed. {version.note}")
    return redirect(f"/admin/versions?done=published&version={version.id}")


@router.post("/draft/discard")
def discard(request: Request, session: SessionDep, current: CsrfPublisherDep) -> Response:
    draft = current_draft(session)
    if draft is None:
        raise AdminPageError(409, "Nothing to discard", "There is no draft.")
    discard_draft(session)
    audit.record(session, current.user.email, "discard_draft", f"version/{draft.id}")
    return redirect("/admin/draft?done=discarded")


@router.get("/versions")
def history(
    request: Request, session: SessionDep, _: EditorDep, done: str = "", version: int = 0
) -> Response:
    notices = {
        "published": f"Version {version} is published and live.",
        "rolled_back": f"Version {version} is published and live.",
    }
    versions = [v for v in list_versions(session) if v.status == PUBLISHED]
    return render(
        request, "admin/versions.html",
        {"title": "History", "versions": versions,
         "latest": versions[0].id if versions else None, "notice": notices.get(done, "")},
    )


@router.get("/versions/diff")
def diff_page(
    request: Request, session: SessionDep, _: EditorDep, a: VersionQuery, b: VersionQuery
) -> Response:
    before, after = _published(session, a), _published(session, b)
    assert before.id is not None and after.id is not None  # noqa: S101 - stored versions
    changes = diff_documents(
        version_documents(session, before.id), version_documents(session, after.id)
    )
    return render(
        request, "admin/diff.html",
        {"title": f"Changes from version {a} to version {b}", "changes": changes,
         "labels": SINGULAR, "a": a, "b": b},
    )


@router.post("/versions/{version_id}/rollback")
def rollback(
    request: Request,
    session: SessionDep,
    current: CsrfPublisherDep,
    holder: KnowledgeHolderDep,
    version_id: DbId,
) -> Response:
    _published(session, version_id)
    try:
        version = rollback_to(session, version_id, current.user.email)
    except VersionError as exc:
        raise AdminPageError(409, "Could not roll back", str(exc)) from exc
    holder.refresh()
    audit.record(session, current.user.email, "rollback", f"version/{version.id}",
                       f"copy of version {version_id}")
    return redirect(f"/admin/versions?done=rolled_back&version={version.id}")
