"""Where the coach keeps its data: the data folder, the database URL and the log level, read from COACH_*
variables and the .env file the way `coach.config.Settings` reads them (environment first, then .env; names
case-insensitive), without importing pydantic-settings.

`Settings` takes its prefix, its .env file, its defaults and its database URL rule from here, so the two cannot
drift apart. The CLI's commands that need no model (`coach sessions`, `coach workshop list`, …) read only this.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
ENV_PREFIX = "COACH_"
ENV_FILE = ".env"
DEFAULT_DATA_DIR = Path(".coach-data")
DEFAULT_LOG_LEVEL = "INFO"

# Offline by default: nothing may reach a model hub at run time.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def database_url(data_dir: Path, url: str | None) -> str:
    """The database named by COACH_DATABASE_URL, else SQLite in the data folder."""
    if url:
        return url
    return f"sqlite:///{(data_dir / 'coach.db').resolve()}"


def models_dir(data_dir: Path) -> Path:
    return data_dir / "models"


def ensure_dirs(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    models_dir(data_dir).mkdir(parents=True, exist_ok=True)


@dataclass(frozen=True)
class DataPlace:
    data_dir: Path = DEFAULT_DATA_DIR
    data_dir_named: bool = False  # set explicitly (COACH_DATA_DIR or the .env file), not the default
    database_url: str | None = None
    log_level: str = DEFAULT_LOG_LEVEL

    @property
    def resolved_database_url(self) -> str:
        return database_url(self.data_dir, self.database_url)

    def ensure_dirs(self) -> None:
        ensure_dirs(self.data_dir)


def _env_file() -> dict[str, str | None]:
    path = Path(ENV_FILE).expanduser()
    if not (path.is_file() or path.is_fifo()):
        return {}
    from dotenv import dotenv_values  # the parser pydantic-settings uses for the same file

    return {k.lower(): v for k, v in dotenv_values(path, encoding="utf-8").items()}


def read_place() -> DataPlace:
    """The data folder, database URL and log level as `Settings()` would find them now."""
    found = _env_file()
    found.update((k.lower(), v) for k, v in os.environ.items())
    prefix = ENV_PREFIX.lower()
    data_dir = found.get(f"{prefix}data_dir")
    log_level = found.get(f"{prefix}log_level")
    return DataPlace(
        data_dir=DEFAULT_DATA_DIR if data_dir is None else Path(data_dir),
        data_dir_named=data_dir is not None,
        database_url=found.get(f"{prefix}database_url"),
        log_level=DEFAULT_LOG_LEVEL if log_level is None else log_level,
    )
