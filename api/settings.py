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
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout_seconds: float = 10.0
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
    stale_after_days: int = Field(default=183, ge=1)
    usage_flush_seconds: float = Field(
        default=5.0, gt=0, description="How often anonymous usage counts are written"
    )

    @model_validator(mode="after")
    def _production_safety(self) -> Settings:
        if self.environment == "production" and self.database_url.startswith("sqlite"):
            raise ValueError("production needs DATABASE_URL pointing at PostgreSQL")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()


async def app_settings(request: Request) -> Settings:
    """The settings this app was created with (tests create apps with their own)."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(app_settings)]
