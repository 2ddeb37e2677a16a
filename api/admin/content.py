"""List, add, edit and remove content entries in the draft: one router per kind.

``content_router("services", …)`` gives ``/admin/services`` (list),
``/admin/services/new`` and ``/admin/services/{key}`` (edit), and
``/admin/services/{key}/delete``. Each save states the revision it was based
on; when someone else saved first, the form comes back with the editor's own
values intact, the differences from the saved version and a clear message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError

from api.admin.bad_input import form_int
from api.admin.forms import field_specs, form_values, parse_form, validation_errors
from api.admin.pages import AdminRoute, redirect, render
from api.admin.security import AdminPageError, CsrfEditorDep, EditorDep
from api.deps import SessionDep
from knowledge.content.diff import diff_entry
from knowledge.content.edit import (
    MODELS,
    SINGULAR,
    EditConflict,
    EditError,
    Entry,
    delete_entry,
    get_entry,
    list_entries,
    save_entry,
)
from knowledge.content.tables import CONTENT_KEYS
from knowledge.content.versions import row_to_document
from knowledge.staff import audit

Describe = Callable[[Entry], dict[str, str]]
"""Extra columns shown in a kind's list, e.g. a service's name and last check."""

# How a list's entries are counted when the title does not say it ("4 volunteer steps").
COUNTED = {"volunteer": "volunteer steps"}

NOTICES = {
    "saved": "Saved to the draft. Publish the draft to make it live.",
    "added": "Added to the draft. Publish the draft to make it live.",
    "deleted": "Removed from the draft. Publish the draft to make it live.",
}


def content_router(kind: str, title: str, describe: Describe) -> APIRouter:
    router = APIRouter(
        prefix=f"/admin/{kind}", tags=["admin"], include_in_schema=False, route_class=AdminRoute
    )
    specs = field_specs(MODELS[kind])
    key_name = CONTENT_KEYS[kind]
    singular = SINGULAR[kind]

    def form_page(
        request: Request,
        *,
        key: str | None,
        values: dict[str, Any],
        revision: int | None,
        errors: dict[str, str] | None = None,
        conflict: str = "",
        conflict_changes: Any = (),
        status_code: int = 200,
    ) -> Response:
        return render(
            request,
            "admin/edit.html",
            {
                "title": f"Edit {singular} {key}" if key else f"Add a {singular}",
                "kind": kind, "kind_title": title, "singular": singular, "key": key,
                "key_name": key_name, "specs": specs, "values": values, "revision": revision,
                "errors": errors or {}, "conflict": conflict, "conflict_changes": conflict_changes,
            },
            status_code=status_code,
        )

    @router.get("")
    def list_page(request: Request, session: SessionDep, _: EditorDep, done: str = "") -> Response:
        entries = list_entries(session, kind)
        rows = [(entry, describe(entry)) for entry in entries]
        columns = list(rows[0][1].keys()) if rows else []
        return render(
            request,
            "admin/list.html",
            {"title": title, "kind": kind, "singular": singular, "rows": rows,
             "counted": singular if len(rows) == 1 else COUNTED.get(kind, title.lower()),
             "columns": columns, "key_name": key_name, "notice": NOTICES.get(done, "")},
        )

    @router.get("/new")
    def new_page(request: Request, _: EditorDep) -> Response:
        return form_page(request, key=None, values=form_values(specs, {}), revision=None)

    async def _submitted(request: Request) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
        form = await request.form()
        parsed = parse_form(specs, form.get, form.getlist)
        return parsed.document, parsed.values, parsed.errors

    @router.post("/new")
    async def create(request: Request, session: SessionDep, current: CsrfEditorDep) -> Response:
        document, values, errors = await _submitted(request)
        if not errors:
            try:
                entry = save_entry(session, kind, document, by=current.user.email)
            except ValidationError as exc:
                errors = validation_errors(specs, exc)
            except EditError as exc:
                errors = {key_name: str(exc)}
            else:
                audit.record(session, current.user.email, "edit", f"{kind}/{entry.key}",
                                   "added to the draft")
                return redirect(f"/admin/{kind}?done=added")
        return form_page(request, key=None, values=values, revision=None, errors=errors,
                         status_code=400)

    @router.get("/{key}")
    def edit_page(request: Request, session: SessionDep, _: EditorDep, key: str) -> Response:
        entry = get_entry(session, kind, key)
        if entry is None:
            raise AdminPageError(404, f"No such {singular}", f"There is no {singular} {key}.")
        return form_page(request, key=key, values=form_values(specs, entry.document),
                         revision=entry.revision)

    @router.post("/{key}")
    async def update(
        request: Request, session: SessionDep, current: CsrfEditorDep, key: str
    ) -> Response:
        document, values, errors = await _submitted(request)
        revision = form_int((await request.form()).get("revision"), "revision")
        if errors:
            return form_page(request, key=key, values=values, revision=revision, errors=errors,
                             status_code=400)
        try:
            save_entry(session, kind, document, by=current.user.email, key=key,
                       expected_revision=revision)
        except ValidationError as exc:
            errors = validation_errors(specs, exc)
        except EditError as exc:
            errors = {key_name: str(exc)}
        except EditConflict as exc:
            saved = row_to_document(exc.current) if exc.current is not None else {}
            changes = diff_entry(saved, document)
            return form_page(
                request, key=key, values=values,
                revision=exc.current.revision if exc.current is not None else None,
                conflict=str(exc), conflict_changes=changes, status_code=409,
            )
        else:
            audit.record(session, current.user.email, "edit", f"{kind}/{key}",
                               "changed in the draft")
            return redirect(f"/admin/{kind}?done=saved")
        return form_page(request, key=key, values=values, revision=revision, errors=errors,
                         status_code=400)

    @router.post("/{key}/delete")
    async def delete(
        request: Request, session: SessionDep, current: CsrfEditorDep, key: str
    ) -> Response:
        revision = form_int((await request.form()).get("revision"), "revision")
        try:
            delete_entry(session, kind, key, by=current.user.email,
                         expected_revision=-1 if revision is None else revision)
        except EditConflict as exc:
            raise AdminPageError(409, f"The {singular} was not removed", str(exc).replace(
                "; they are still in the form below", "")) from exc
        audit.record(session, current.user.email, "edit", f"{kind}/{key}",
                           "removed from the draft")
        return redirect(f"/admin/{kind}?done=deleted")

    return router
