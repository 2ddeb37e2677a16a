"""Import and export the whole content as the seed YAML files.

Export writes exactly what ``knowledge/content/seed/`` holds (one file per kind), so
content can be reviewed and kept in version control; import reads the same
files back into the draft, after checking every entry and naming the file,
entry and field of anything wrong.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath
from typing import Any

import yaml
from pydantic import ValidationError
from sqlmodel import Session

from knowledge.content.edit import MODELS
from knowledge.content.seed_files import FILES, dump_documents
from knowledge.content.tables import CONTENT_KEYS, ContentVersion
from knowledge.content.versions import (
    DRAFT,
    VersionError,
    create_version,
    discard_draft,
    latest_published,
    load_knowledge,
)

MAX_FILE_BYTES = 5_000_000


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
    except zipfile.BadZipFile as exc:
        raise ImportError_([f"{filename} is not a valid zip file."]) from exc
    files: dict[str, bytes] = {}
    with archive:
        for info in archive.infolist():
            name = PurePosixPath(info.filename).name
            if name in FILES.values():
                if info.file_size > MAX_FILE_BYTES:
                    raise ImportError_([f"{name} in {filename} is too large."])
                files[name] = archive.read(info)
    return files


def documents_from_files(files: dict[str, bytes]) -> dict[str, list[dict[str, Any]]]:
    """Parse and check the five seed files; every problem is reported at once."""
    problems: list[str] = []
    documents: dict[str, list[dict[str, Any]]] = {}
    for kind, name in FILES.items():
        if name not in files:
            problems.append(f"{name} is missing: upload all of {', '.join(FILES.values())}.")
            continue
        try:
            data = yaml.safe_load(files[name].decode("utf-8"))
        except (UnicodeDecodeError, yaml.YAMLError) as exc:
            problems.append(f"{name} is not valid UTF-8 YAML: {exc}")
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
    discard_draft(session)
    return create_version(
        session, documents, status=DRAFT, by=by, note=f"Imported from {source}", based_on=base.id
    )
