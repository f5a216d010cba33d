"""Settings, read from the environment with the prefix COACH_ (nested with __), or a .env file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from coach import env
from coach.env import DEFAULT_DATA_DIR, DEFAULT_LOG_LEVEL, ENV_FILE, ENV_PREFIX, DataPlace

REPO_ROOT = env.REPO_ROOT
DEFAULT_KNOWLEDGE = REPO_ROOT / "knowledge"


class EmbeddingSettings(BaseModel):
    backend: Literal["sentence-transformers", "hash"] = "sentence-transformers"
    model: str | None = Field(
        default=None, description="Local folder of a sentence-transformers model; default: the packaged one."
    )
    cache_size: int = 4096
    batch_window_ms: float = Field(
        default=3.0,
        ge=0.0,
        le=100.0,
        description="Concurrent turns' texts arriving within this many ms are embedded in one call; 0 = off.",
    )
    server_threads: int = Field(
        default=1,
        ge=0,
        le=64,
        description="Threads torch and BLAS use in each server worker (0 = their default, one per core). One is "
        "fastest under load: concurrency comes from batching and workers, and idle math threads spin.",
    )


class ClassifierSettings(BaseModel):
    clarify_below: float = Field(default=0.65, ge=0.5, le=1.0, description="Ask instead of guessing below this.")
    neighbours: int = 3
    team_model_min: int = Field(
        default=20, ge=1, description="A team with this many corrections and own examples gets a model of its own."
    )


class LLMSettings(BaseModel):
    provider: Literal["none", "openai", "ollama"] = "none"
    model: str = ""
    base_url: str | None = None
    api_key: SecretStr | None = None
    timeout_s: float = 20.0


class ApiSettings(BaseModel):
    require_keys: bool | None = Field(default=None, description="Default: keys required unless bound to loopback.")
    max_body_bytes: int = 64_000
    max_statement_chars: int = 2_000
    max_message_chars: int = 10_000
    max_statements: int = Field(default=50, ge=1, description="Statements one message or request may hold.")
    rate_limit_per_minute: int = Field(default=120, description="Per key; a request costs one per statement.")
    widget_rate_limit_per_minute: int = Field(default=1_200, description="A widget key, all its visitors together.")
    visitor_rate_limit_per_minute: int = Field(default=60, description="One widget visitor (session or address).")
    widget_origins: list[str] = Field(default_factory=list)
    join_page: str | None = Field(
        default=None,
        description="The page with the widget that workshop join links open (default: this server's demo page).",
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter="__", env_file=ENV_FILE, extra="ignore"
    )

    data_dir: Path = DEFAULT_DATA_DIR
    knowledge_dir: Path = DEFAULT_KNOWLEDGE
    extra_knowledge: list[Path] = Field(default_factory=list)
    database_url: str | None = None
    chroma_url: str | None = None
    redis_url: str | None = Field(
        default=None, description="redis://host:port/db: rate limits and live events shared by every worker and host."
    )
    redis_prefix: str = Field(default="coach:", description="Prefix of every Redis key and channel the coach uses.")
    log_level: str = DEFAULT_LOG_LEVEL

    embedding: EmbeddingSettings = EmbeddingSettings()
    classifier: ClassifierSettings = ClassifierSettings()
    llm: LLMSettings = LLMSettings()
    api: ApiSettings = ApiSettings()

    @property
    def resolved_database_url(self) -> str:
        return env.database_url(self.data_dir, self.database_url)

    @property
    def place(self) -> DataPlace:
        """What `coach.env.read_place()` reads without this model: the data folder, database URL, log level."""
        return DataPlace(self.data_dir, "data_dir" in self.model_fields_set, self.database_url, self.log_level)

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def models_dir(self) -> Path:
        return env.models_dir(self.data_dir)

    @property
    def knowledge_paths(self) -> list[Path]:
        return [self.knowledge_dir, *self.extra_knowledge]

    def ensure_dirs(self) -> None:
        env.ensure_dirs(self.data_dir)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
