"""Where the knowledge base lives, read from the environment.

The knowledge package's own settings, so its command line and migrations need
nothing from the api. The api's settings extend these.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class DatabaseSettings(BaseSettings):
    """``DATABASE_URL`` (PostgreSQL in production); SQLite under ``DATA_DIR`` by default."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    data_dir: Path = PROJECT_ROOT / "data"
    database_url: str = ""

    @model_validator(mode="after")
    def _embedded_default(self) -> DatabaseSettings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'navigator.db'}"
        return self


@lru_cache
def get_database_settings() -> DatabaseSettings:
    return DatabaseSettings()
