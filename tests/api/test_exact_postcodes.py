"""With the ONS directory imported, full postcodes resolve exactly through the api."""

from __future__ import annotations

from pathlib import Path

from knowledge.db import make_engine
from knowledge.postcodes.importer import import_postcodes
from tests.conftest import make_client
from tests.knowledge.postcodes.test_importer import write_onspd


def test_an_imported_full_postcode_overrides_the_curated_split(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nav.db'}"
    body = {"description": "mum can't bond", "age": "3 months", "postcode": "BD3 7ZZ"}
    with make_client(database_url=url, knowledge_refresh_seconds=0) as client:
        before = client.post("/api/v1/recommendations", json=body).json()
        assert before["postcode"]["certainty"] != "postcode"
        engine = make_engine(url)
        csv_path = write_onspd(
            tmp_path / "onspd.csv",
            [("BD3 7ZZ", "", "E08000032", "E05000001"), ("LS6 2AB", "", "E08000035", "")],
        )
        import_postcodes(engine, csv_path, show_progress=False)
        engine.dispose()
        after = client.post("/api/v1/recommendations", json=body).json()
        assert after["postcode"]["certainty"] == "postcode"
        assert after["postcode"]["normalised"] == "BD3 7", "still cut to the sector"
        assert after["lmm_eligible"] is True
        leeds = client.post("/api/v1/postcodes", json={"postcode": "LS6 2AB"}).json()
        assert leeds["certainty"] == "postcode" and leeds["lmm_area"] is False
