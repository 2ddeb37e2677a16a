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
    """``DATABASE_URL`` (PostgreSQL in production); SQLite under ``DATA_DIR`` by default.

    ``MIGRATION_DATABASE_URL``, when set, is the role that owns the schema and
    runs migrations (``navigator_owner`` in knowledge/migrations/roles.sql);
    the app itself then works as ``DATABASE_URL``'s role (``navigator_app``),
    which may change content but cannot alter the schema or the audit log.
    """

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    data_dir: Path = PROJECT_ROOT / "data"
    database_url: str = ""
    migration_database_url: str = ""
    # fitted similarity layers kept between restarts (knowledge/content/reader_cache.py)
    reading_cache_dir: Path | None = None

    @model_validator(mode="after")
    def _embedded_default(self) -> DatabaseSettings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'navigator.db'}"
        if self.reading_cache_dir is None:
            self.reading_cache_dir = self.data_dir / "reading-cache"
        return self


@lru_cache
def get_database_settings() -> DatabaseSettings:
    return DatabaseSettings()
