"""Import and export the whole content as the seed YAML files.

Export writes exactly what ``knowledge/content/seed/`` holds (one file per kind), so
content can be reviewed and kept in version control; import reads the same
files back into the draft, after checking every entry and naming the file,
entry and field of anything wrong.

Uploads are untrusted: a zip is read only as far as its limits allow (at most
``MAX_MEMBERS`` entries, ``MAX_FILE_BYTES`` a file and ``MAX_TOTAL_BYTES`` in
all, measured while decompressing rather than trusting the sizes the zip
claims), and YAML goes through :mod:`knowledge.content.safe_yaml`. Anything
unreadable is an :class:`ImportError_` naming the problem, never a crash.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import PurePosixPath
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from knowledge.content import safe_yaml
from knowledge.content.edit import MODELS
from knowledge.content.seed_files import FILES, OPTIONAL_FILES, dump_documents
from knowledge.content.tables import CONTENT_KEYS, ContentVersion
from knowledge.content.versions import (
    DRAFT,
    VersionError,
    create_version,
    discard_draft,
    latest_published,
    load_knowledge,
    version_documents,
)

MAX_FILE_BYTES = 5_000_000
MAX_TOTAL_BYTES = 15_000_000  # the six seed files are about 1 MB today
MAX_MEMBERS = 50  # entries in an uploaded zip, folders included
_ZIP_ERRORS = (
    zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError,
    NotImplementedError, RuntimeError,  # unsupported compression; encrypted members
)


class ImportError_(ValueError):  # trailing _: ImportError is a builtin
    """Content that cannot be imported; ``problems`` lists each, in plain words."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def export_zip(session: Session, version_id: int) -> bytes:
    texts = dump_documents(load_knowledge(session, version_id))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in texts.items():
            archive.writestr(f"seed/{name}", text)
    return buffer.getvalue()


def files_from_upload(filename: str, data: bytes) -> dict[str, bytes]:
    """File name → bytes, from a .zip of the seed files or one .yaml file."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportError_([f"{filename} is larger than {MAX_FILE_BYTES // 1_000_000} MB."])
    if not filename.lower().endswith(".zip"):
        return {PurePosixPath(filename).name: data}
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as exc:
        raise ImportError_([f"{filename} is not a valid zip file."]) from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise ImportError_([f"{filename} holds {len(members)} entries; a zip of the seed "
                                f"files holds at most {MAX_MEMBERS}."])
        files: dict[str, bytes] = {}
        total = 0
        for info in members:
            name = PurePosixPath(info.filename.replace("\\", "/")).name
            if name not in FILES.values() or info.is_dir():
                continue
            if name in files:
                raise ImportError_([f"{filename} holds {name} more than once."])
            files[name] = _read_member(archive, info, filename, MAX_TOTAL_BYTES - total)
            total += len(files[name])
    return files


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, filename: str,
                 allowance: int) -> bytes:
    """One member's bytes, stopping as soon as it passes a limit: the sizes a
    zip declares can lie, so they are checked while decompressing."""
    name = PurePosixPath(info.filename).name
    limit = min(MAX_FILE_BYTES, allowance)
    too_large = ImportError_([
        f"{name} in {filename} is too large: each file may be at most "
        f"{MAX_FILE_BYTES // 1_000_000} MB and all of them {MAX_TOTAL_BYTES // 1_000_000} MB "
        "when unzipped."
    ])
    if info.file_size > limit:
        raise too_large
    try:
        with archive.open(info) as member:
            data = member.read(limit + 1)
    except _ZIP_ERRORS as exc:
        raise ImportError_([f"{name} in {filename} cannot be unzipped ({exc})."]) from exc
    if len(data) > limit:
        raise too_large
    return data


def documents_from_files(files: dict[str, bytes]) -> dict[str, list[dict[str, Any]]]:
    """Parse and check the seed files; every problem is reported at once. The
    volunteer route may be left out (an export made before it was versioned):
    the draft then keeps the published version's."""
    problems: list[str] = []
    documents: dict[str, list[dict[str, Any]]] = {}
    required = [name for name in FILES.values() if name not in OPTIONAL_FILES]
    for kind, name in FILES.items():
        if name not in files:
            if name not in OPTIONAL_FILES:
                problems.append(f"{name} is missing: upload all of {', '.join(required)} "
                                f"(and {', '.join(sorted(OPTIONAL_FILES))} if you have it).")
            continue
        try:
            text = files[name].decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(f"{name} is not UTF-8 text (byte {exc.start + 1} cannot be read); "
                            "save it as UTF-8 and try again.")
            continue
        try:
            data = safe_yaml.load(text)
        except safe_yaml.YamlProblem as exc:
            problems.append(f"{name} is not valid YAML: {exc}.")
            continue
        if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
            problems.append(f"{name} must be a list of entries (each a mapping of fields).")
            continue
        seen: set[str] = set()
        for number, entry in enumerate(data, start=1):
            label = f"{name} entry {number} ({entry.get(CONTENT_KEYS[kind], 'no key')})"
            try:
                MODELS[kind].model_validate(entry)
            except ValidationError as exc:
                for error in exc.errors()[:5]:
                    where = ".".join(str(p) for p in error["loc"]) or "entry"
                    problems.append(f"{label}: {where}: {error['msg']}.")
                continue
            key = str(entry[CONTENT_KEYS[kind]])
            if key in seen:
                problems.append(f"{label}: the {CONTENT_KEYS[kind]} {key} appears twice.")
            seen.add(key)
        documents[kind] = data
    if problems:
        raise ImportError_(problems)
    return documents


def import_into_draft(
    session: Session, documents: dict[str, list[dict[str, Any]]], by: str, source: str
) -> ContentVersion:
    """Replace the draft with the imported content (published versions are untouched)."""
    base = latest_published(session)
    if base is None:
        raise VersionError("there is no published version to import against")
    if "volunteer" not in documents and base.id is not None:
        documents = {**documents, "volunteer": version_documents(session, base.id)["volunteer"]}
    discard_draft(session)
    return create_version(
        session, documents, status=DRAFT, by=by, note=f"Imported from {source}", based_on=base.id
    )
