"""One validated source of configuration, read from the environment.

Defaults are the embedded ones (SQLite under ``data/``, Rasa on localhost) so a
fresh checkout runs with no configuration; production refuses unsafe values.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from fastapi import Depends, Request
from pydantic import Field, model_validator

from api.limit_settings import LimitSettings
from knowledge.content.publish import WORKED_CASES_PATH
from knowledge.content.reading_corpus import CORPUS_DIR
from knowledge.settings import DatabaseSettings


class Settings(DatabaseSettings, LimitSettings):
    """The api's settings: the knowledge base's (``DATABASE_URL``, ``DATA_DIR``) and its own."""

    environment: Literal["development", "test", "production"] = "development"
    rasa_url: str = Field(
        default="http://127.0.0.1:5005",
        description="Where the api reaches Rasa: one URL, or several comma-separated "
        "(instances sharing the Redis tracker store), tried in turn",
    )
    rasa_timeout_seconds: float = Field(
        default=10.0, gt=0, le=120,
        description="The most one chat turn may take at Rasa, across the instances tried; "
        "sized well above a turn's p99 at the designed load",
    )
    rasa_max_in_flight: int = Field(
        default=10, ge=1, le=1000,
        description="Chat turns sent to Rasa at once by one api process",
    )
    rasa_max_queued: int = Field(
        default=20, ge=0, le=10000,
        description="Chat turns that may wait for a free place; past it they get a quick 503 "
        "with Retry-After",
    )
    rasa_queue_wait_seconds: float = Field(
        default=2.0, gt=0, le=60,
        description="The longest a turn waits for a free place (or is expected to) before "
        "a quick 503 with Retry-After",
    )
    knowledge_refresh_seconds: float = Field(
        default=1.0,
        ge=0,
        description="How often each instance checks for a newly published version",
    )
    worked_cases_path: Path = WORKED_CASES_PATH
    reading_corpus_dir: Path = Field(
        default=CORPUS_DIR,
        description="The labelled corpus: its train split fits the similarity layer, and "
        "publishing measures reading on it",
    )
    reading_prewarm: bool = Field(
        default=True,
        description="Read the corpus with the published version in the background after "
        "start-up (about a minute of one core), so the first publish check reads only the "
        "draft",
    )
    stale_after_days: int = Field(default=183, ge=1)
    usage_flush_seconds: float = Field(
        default=5.0, gt=0, description="How often anonymous usage counts are written"
    )

    @model_validator(mode="after")
    def _production_safety(self) -> Settings:
        if self.environment == "production" and self.database_url.startswith("sqlite"):
            raise ValueError("production needs DATABASE_URL pointing at PostgreSQL")
        urls = [u.strip() for u in self.rasa_url.split(",") if u.strip()]
        if not urls or not all(u.startswith(("http://", "https://")) for u in urls):
            raise ValueError(
                "RASA_URL must be one or more http:// or https:// URLs, comma-separated"
            )
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()


async def app_settings(request: Request) -> Settings:
    """The settings this app was created with (tests create apps with their own)."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(app_settings)]
