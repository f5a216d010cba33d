"""Composition root: settings → adapters → CoachService. The only place that picks implementations."""

from __future__ import annotations

import logging

from coach.adapters.chroma import ChromaIndex, ChromaRetriever
from coach.adapters.embeddings import HashEmbedder, SentenceTransformerEmbedder
from coach.adapters.sql import Database
from coach.config import Settings
from coach.ports import Embedder
from coach.service import CoachService

log = logging.getLogger(__name__)


def build_embedder(settings: Settings) -> Embedder:
    if settings.embedding.backend == "hash":
        return HashEmbedder()
    return SentenceTransformerEmbedder(settings.embedding.model, cache_size=settings.embedding.cache_size)


def build(settings: Settings, embedder: Embedder | None = None, migrate: bool = True) -> CoachService:
    settings.ensure_dirs()
    embedder = embedder or build_embedder(settings)
    index = ChromaIndex(embedder, path=settings.chroma_path, url=settings.chroma_url)
    db = Database(settings.resolved_database_url)
    if migrate:
        db.migrate()
    from api.llm import build_rephraser, build_second_opinion

    return CoachService(
        settings,
        index,
        ChromaRetriever(index),
        db,
        second_opinion=build_second_opinion(settings),
        rephraser=build_rephraser(settings),
    )
