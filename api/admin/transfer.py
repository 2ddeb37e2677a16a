"""Import and export the content as the seed YAML files (a zip of six files).

Importing replaces the whole shared draft, so while a draft exists only a
publisher (who may discard drafts anyway) can import; an editor can import
when there is no draft to lose.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.datastructures import UploadFile

from api.admin.bad_input import OptionalVersionQuery
from api.admin.pages import AdminRoute, redirect, render
from api.admin.security import AdminPageError, CsrfEditorDep, EditorDep
from api.deps import SessionDep
from knowledge.content.seed_files import FILES
from knowledge.content.tables import ContentVersion
from knowledge.content.transfer import (
    ImportError_,
    documents_from_files,
    export_zip,
    files_from_upload,
    import_into_draft,
)
from knowledge.content.versions import VersionError, current_draft, latest_published, list_versions
from knowledge.staff import audit
from knowledge.staff.accounts import role_at_least

router = APIRouter(prefix="/admin", tags=["admin"], include_in_schema=False, route_class=AdminRoute)


def _page(request: Request, session: SessionDep, problems: list[str], status_code: int = 200,
          notice: str = "") -> Response:
    return render(
        request, "admin/transfer.html",
        {"title": "Import and export", "versions": list_versions(session),
         "problems": problems, "draft": current_draft(session), "notice": notice},
        status_code=status_code,
    )


@router.get("/transfer")
def transfer_page(request: Request, session: SessionDep, _: EditorDep, done: str = "") -> Response:
    notice = "Imported into the draft. Review it, then publish." if done == "imported" else ""
    return _page(request, session, [], notice=notice)


@router.get("/export")
def export(session: SessionDep, _: EditorDep, version: OptionalVersionQuery = None) -> Response:
    target = session.get(ContentVersion, version) if version else latest_published(session)
    if target is None or target.id is None:
        raise AdminPageError(404, "No such version", f"There is no version {version}.")
    name = f"navigator-content-{target.status}-{target.id}.zip"
    return Response(
        export_zip(session, target.id),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"',
                 "Cache-Control": "no-store"},
    )


@router.post("/import")
async def import_content(
    request: Request, session: SessionDep, current: CsrfEditorDep
) -> Response:
    draft = current_draft(session)
    if draft is not None and not role_at_least(current.user.role, "publisher"):
        raise AdminPageError(
            403,
            "Only a publisher can import while there is a draft",
            f"This needs the publisher role while there is a draft: importing replaces the "
            f"whole draft (version {draft.id}), with the changes other staff may have saved in "
            "it. Ask a publisher to import, or to publish or discard the draft first.",
        )
    form = await request.form()
    uploads = [u for u in form.getlist("files") if isinstance(u, UploadFile) and u.filename]
    if not uploads:
        return _page(request, session, ["Choose a .zip of the seed files, or the six .yaml "
                                        "files, to import."], status_code=400)
    if len(uploads) > len(FILES):
        return _page(request, session, [f"Choose at most {len(FILES)} files: one .zip of the "
                                        "seed files, or the six .yaml files."], status_code=400)
    files: dict[str, bytes] = {}
    try:
        for upload in uploads:
            files.update(files_from_upload(upload.filename or "", await upload.read()))
        documents = documents_from_files(files)
        draft = import_into_draft(session, documents, current.user.email,
                                  ", ".join(u.filename or "" for u in uploads))
    except ImportError_ as exc:
        return _page(request, session, exc.problems, status_code=400)
    except VersionError as exc:
        return _page(request, session, [str(exc)], status_code=409)
    audit.record(session, current.user.email, "import", f"version/{draft.id}",
                       draft.note)
    return redirect("/admin/transfer?done=imported")
