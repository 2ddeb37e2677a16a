"""Import the ONS Postcode Directory (ONSPD) or NSPL CSV into the store.

Only three columns matter: the postcode (``pcds``), the local authority
(``oslaua`` in ONSPD, ``laua`` in NSPL) and the ward (``osward`` / ``ward``).
The whole file is about 2.7 million rows, so it is streamed and written in
batches, with a progress bar. Terminated postcodes (``doterm`` set) are skipped.

Attribution (Open Government Licence v3.0): Contains OS data © Crown copyright
and database right; Contains Royal Mail data © Royal Mail copyright and
database right; Source: Office for National Statistics.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, delete, insert
from sqlmodel import Session
from tqdm import tqdm

from knowledge.postcodes.tables import PostcodeImport, PostcodeRow
from pathways.postcode import PostcodeError, normalise_postcode

POSTCODE_COLUMNS = ("pcds", "pcd", "pcd2")
LA_COLUMNS = ("oslaua", "laua", "lad25cd", "lad24cd", "lad23cd")
WARD_COLUMNS = ("osward", "ward", "wd25cd", "wd24cd", "wd23cd")
BATCH_SIZE = 10_000


class PostcodeFileError(ValueError):
    """The file is not in the ONS directory layout; the message says what is missing."""


@dataclass(frozen=True)
class ImportResult:
    rows: int
    skipped: int


def _pick(header: list[str], candidates: tuple[str, ...], what: str) -> str:
    lowered = {name.strip().lower(): name for name in header}
    for candidate in candidates:
        if candidate in lowered:
            return lowered[candidate]
    raise PostcodeFileError(f"no {what} column: expected one of {', '.join(candidates)}")


def _rows(
    reader: Iterable[dict[str, str]],
    columns: tuple[str, str, str],
    la_filter: set[str] | None,
    counts: dict[str, int],
) -> Iterator[dict[str, str | None]]:
    postcode_col, la_col, ward_col = columns
    for record in reader:
        la_code = (record.get(la_col) or "").strip()
        if record.get("doterm", "").strip() or (la_filter is not None and la_code not in la_filter):
            counts["skipped"] += 1
            continue
        try:
            postcode = normalise_postcode(record.get(postcode_col) or "")
        except PostcodeError:
            counts["skipped"] += 1
            continue
        if " " not in postcode or not la_code:
            counts["skipped"] += 1
            continue
        yield {
            "postcode": postcode,
            "la_code": la_code,
            "ward_code": (record.get(ward_col) or "").strip() or None,
        }


def import_postcodes(
    engine: Engine,
    csv_path: Path,
    *,
    la_filter: set[str] | None = None,
    show_progress: bool = True,
) -> ImportResult:
    """Replace the imported postcodes with those in ``csv_path``.

    ``la_filter`` keeps only postcodes in those local authorities (Bradford and
    its neighbours are enough for the navigator and keep the table small).
    """
    total_bytes = csv_path.stat().st_size
    counts = {"rows": 0, "skipped": 0}
    with csv_path.open(newline="", encoding="utf-8-sig") as handle, Session(engine) as session:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        columns = (
            _pick(header, POSTCODE_COLUMNS, "postcode"),
            _pick(header, LA_COLUMNS, "local authority"),
            _pick(header, WARD_COLUMNS, "ward"),
        )
        session.exec(delete(PostcodeRow))
        progress = tqdm(
            total=total_bytes,
            unit="B",
            unit_scale=True,
            desc="Importing postcodes",
            disable=not show_progress,
        )
        batch: list[dict[str, str | None]] = []
        seen_position = 0
        for row in _rows(reader, columns, la_filter, counts):
            batch.append(row)
            if len(batch) >= BATCH_SIZE:
                session.execute(insert(PostcodeRow), batch)
                counts["rows"] += len(batch)
                batch = []
                position = handle.tell()
                progress.update(position - seen_position)
                seen_position = position
        if batch:
            session.execute(insert(PostcodeRow), batch)
            counts["rows"] += len(batch)
        progress.update(total_bytes - seen_position)
        progress.close()
        session.add(PostcodeImport(source_name=csv_path.name, rows=counts["rows"]))
        session.commit()
    return ImportResult(rows=counts["rows"], skipped=counts["skipped"])
