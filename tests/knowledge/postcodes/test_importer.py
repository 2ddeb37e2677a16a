"""Importing the ONS directory layout: exact lookups replace the curated table."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, func, select

from knowledge.content.seed_files import knowledge_from_documents
from knowledge.postcodes.importer import PostcodeFileError, import_postcodes
from knowledge.postcodes.lookup import exact_postcode_areas
from knowledge.postcodes.tables import PostcodeImport, PostcodeRow
from tests.knowledge.small_content import small_content

HEADER = ["pcd", "pcd2", "pcds", "dointr", "doterm", "oscty", "oslaua", "osward", "lat", "long"]


def write_onspd(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for pcds, doterm, la, ward in rows:
            writer.writerow(
                [pcds.replace(" ", ""), pcds, pcds, "199801", doterm, "", la, ward, "53.8", "-1.7"]
            )
    return path


def test_import_keeps_live_postcodes_in_the_chosen_authorities(
    db_engine: Engine, tmp_path: Path
) -> None:
    csv_path = write_onspd(
        tmp_path / "onspd.csv",
        [
            ("BD3 9LF", "", "E08000032", "E05001347"),
            ("BD3 7AA", "201001", "E08000032", "E05001347"),  # terminated
            ("LS6 2AB", "", "E08000035", "E05011111"),
            ("SW1A 1AA", "", "E09000033", "E05000644"),  # outside the filter
            ("not a postcode", "", "E08000032", ""),
        ],
    )
    result = import_postcodes(
        db_engine, csv_path, la_filter={"E08000032", "E08000035"}, show_progress=False
    )
    assert (result.rows, result.skipped) == (2, 3)
    knowledge = knowledge_from_documents(small_content(), version=1)
    with Session(db_engine) as session:
        assert exact_postcode_areas(session, "BD3 9LF", knowledge) == ("bradford_district",)
        assert exact_postcode_areas(session, "LS6 2AB", knowledge) == ()
        assert exact_postcode_areas(session, "BD3 7AA", knowledge) is None
        assert session.exec(select(func.count()).select_from(PostcodeImport)).one() == 1


def test_reimport_replaces_the_previous_import(db_engine: Engine, tmp_path: Path) -> None:
    import_postcodes(
        db_engine,
        write_onspd(tmp_path / "a.csv", [("BD3 9LF", "", "E08000032", "")]),
        show_progress=False,
    )
    import_postcodes(
        db_engine,
        write_onspd(tmp_path / "b.csv", [("BD5 0AA", "", "E08000032", "")]),
        show_progress=False,
    )
    with Session(db_engine) as session:
        assert [row.postcode for row in session.exec(select(PostcodeRow))] == ["BD5 0AA"]


def test_a_file_in_another_layout_is_refused_with_the_missing_column(
    tmp_path: Path, db_engine: Engine
) -> None:
    path = tmp_path / "other.csv"
    path.write_text("pcds,council\nBD3 9LF,Bradford\n")
    with pytest.raises(PostcodeFileError, match="local authority"):
        import_postcodes(db_engine, path, show_progress=False)
