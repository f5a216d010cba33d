"""Composition root: settings → adapters → CoachService, plus what the channels own (keys, Slack installs).

The only place that picks implementations. Every channel (HTTP, widget, Slack, CLI) gets its service and
stores from here; tests build the same container with in-memory fakes or the real adapters.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from api.auth import KeyStore
from api.llm import build_act_opinion, build_rephraser, build_second_opinion
from coach.adapters.chroma import ChromaIndex
from coach.adapters.embeddings import HashEmbedder, SentenceTransformerEmbedder
from coach.adapters.gaps import SqlKnowledgeGaps
from coach.adapters.registry import FileSourceRegistry
from coach.adapters.repository import SqlCorrectionStore, SqlSessionStore
from coach.adapters.sql import Database
from coach.config import Settings
from coach.ports import Embedder, EventBus
from coach.service import CoachService

log = logging.getLogger(__name__)


def build_embedder(settings: Settings) -> Embedder:
    if settings.embedding.backend == "hash":
        return HashEmbedder()
    return SentenceTransformerEmbedder(
        settings.embedding.model,
        cache_size=settings.embedding.cache_size,
        batch_window_ms=settings.embedding.batch_window_ms,
    )


def build_events(settings: Settings) -> EventBus | None:
    """Live events through Redis when COACH_REDIS_URL is set; otherwise none (streams poll the database)."""
    if not settings.redis_url:
        return None
    from coach.adapters.events import RedisEventBus

    return RedisEventBus(settings.redis_url, settings.redis_prefix)


@dataclass
class Container:
    """Everything one process needs, built once."""

    settings: Settings
    db: Database
    service: CoachService
    keys: KeyStore = field(init=False)

    def __post_init__(self) -> None:
        self.keys = KeyStore(self.db)

    def close(self) -> None:
        self.db.dispose()


def build(settings: Settings, embedder: Embedder | None = None, migrate: bool = True) -> Container:
    settings.ensure_dirs()
    embedder = embedder or build_embedder(settings)
    index = ChromaIndex(embedder, path=settings.chroma_path, url=settings.chroma_url)
    db = Database(settings.resolved_database_url)
    if migrate:
        db.migrate()
    service = CoachService(
        settings,
        index,
        SqlSessionStore(db),
        SqlCorrectionStore(db),
        FileSourceRegistry(settings.data_dir),
        second_opinion=build_second_opinion(settings),
        rephraser=build_rephraser(settings),
        act_opinion=build_act_opinion(settings),
        gaps=SqlKnowledgeGaps(db),
        events=build_events(settings),
    )
    return Container(settings=settings, db=db, service=service)


def build_service(settings: Settings, embedder: Embedder | None = None, migrate: bool = True) -> CoachService:
    """Just the service (scripts and tests that drive the core only)."""
    return build(settings, embedder, migrate).service
