"""The whole app on PostgreSQL: migrated, seeded and answering from it."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.conftest import make_client, postgres_url, reset_database


@pytest.mark.postgres
def test_the_app_seeds_and_answers_on_postgres(postgres_engine: Engine) -> None:
    reset_database(postgres_engine)
    with make_client(database_url=postgres_url()) as client:
        assert client.get("/healthz").json()["knowledge_version"] == 1
        response = client.post(
            "/api/v1/recommendations",
            json={
                "description": "mum can't bond with her baby",
                "age": "5 months",
                "postcode": "BD5 0AA",
            },
        )
        assert response.status_code == 200
        assert response.json()["lmm_eligible"] is True
    with make_client(database_url=postgres_url()) as second_start:
        assert second_start.get("/healthz").json()["knowledge_version"] == 1, (
            "a restart must not publish the seed again"
        )
    reset_database(postgres_engine)
