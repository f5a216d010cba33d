"""The `KnowledgeIndex` port over Chroma: embedded PersistentClient by default, HttpClient for a server URL."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlparse

import numpy as np

from coach.domain import Kind, Passage
from coach.errors import IndexNotReady, KnowledgeError
from coach.knowledge import passage_from
from coach.once import exclusive
from coach.ports import Embedder, Snapshot

log = logging.getLogger(__name__)


def _make_ef(embedder: Embedder) -> Any:
    """A Chroma embedding function wrapping our embedder, so Chroma never fetches its own model."""
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings

    class CoachEmbeddingFunction(EmbeddingFunction[Documents]):
        def __init__(self) -> None:
            self._embedder = embedder

        def __call__(self, input: Documents) -> Embeddings:
            return cast(Embeddings, list(self._embedder.embed(list(input))))

        @staticmethod
        def name() -> str:
            return "outcome-coach"

        def get_config(self) -> dict[str, Any]:
            return {"embedder": embedder.name}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> EmbeddingFunction[Documents]:
            raise KnowledgeError("The coach's embedding function is supplied at run time.", "")

        def is_legacy(self) -> bool:
            return False

        def default_space(self) -> Any:
            return "cosine"

        def supported_spaces(self) -> list[Any]:
            return ["cosine"]

    return CoachEmbeddingFunction()


class ChromaIndex:
    """Three collections (guidance, measures, examples) with cosine space and our embedding function."""

    def __init__(self, embedder: Embedder, path: Path | None = None, url: str | None = None) -> None:
        import warnings

        import chromadb
        from chromadb.config import Settings as ChromaClientSettings

        # Chroma warns that it cannot rebuild our embedding function from its stored config: by design,
        # it is always supplied at run time.
        warnings.filterwarnings("ignore", message="Could not reconstruct embedding function")

        self.embedder = embedder
        self._ef = _make_ef(embedder)
        self._init_lock: Path | None = None
        client_settings = ChromaClientSettings(anonymized_telemetry=False, allow_reset=True)
        if url:
            parsed = urlparse(url)
            self.client = chromadb.HttpClient(
                host=parsed.hostname or "127.0.0.1",
                port=parsed.port or 8000,
                ssl=parsed.scheme == "https",
                settings=client_settings,
            )
            self.location = url
        else:
            if path is None:
                raise KnowledgeError("No Chroma path or URL configured.", "Set COACH_DATA_DIR or COACH_CHROMA_URL.")
            path.mkdir(parents=True, exist_ok=True)
            # Workers starting together on a fresh data dir would each create Chroma's own tables at once ("table
            # collections already exists", "database is locked"): one process at a time opens the store.
            self._init_lock = path / "coach-open"
            with exclusive(self._init_lock):
                self.client = chromadb.PersistentClient(path=str(path), settings=client_settings)
            self.location = str(path)
        self._collections: dict[str, Any] = {}
        self._snapshots: dict[str, Snapshot] = {}

    def _name(self, kind: Kind) -> str:
        return f"coach_{kind}"

    def collection(self, kind: Kind) -> Any:
        if kind not in self._collections:
            with exclusive(self._init_lock) if self._init_lock else contextlib.nullcontext():
                self._collections[kind] = self.client.get_or_create_collection(
                    name=self._name(kind),
                    embedding_function=self._ef,
                    metadata={"embedder": self.embedder.name, "hnsw:space": "cosine"},
                )
        return self._collections[kind]

    def embedder_of(self, kind: Kind) -> str | None:
        meta = self.collection(kind).metadata or {}
        return meta.get("embedder")

    def reset(self, kind: Kind) -> None:
        with contextlib.suppress(Exception):
            self.client.delete_collection(self._name(kind))
        self._collections.pop(kind, None)
        self._snapshots.pop(kind, None)

    def count(self, kind: Kind) -> int:
        return int(self.collection(kind).count())

    def sources(self, kind: Kind) -> dict[str, str]:
        """source key → content hash of what the index holds for it."""
        got = self.collection(kind).get(include=["metadatas"])
        out: dict[str, str] = {}
        for meta in got.get("metadatas") or []:
            if meta:
                out[str(meta.get("source"))] = str(meta.get("file_hash"))
        return out

    def delete_sources(self, kind: Kind, keys: Sequence[str]) -> None:
        col = self.collection(kind)
        for key in keys:
            col.delete(where={"source": key})
        self._snapshots.pop(kind, None)

    def add(
        self,
        kind: Kind,
        ids: list[str],
        documents: list[str],
        embeddings: np.ndarray,
        metadatas: list[dict[str, Any]],
        batch: int = 1000,
    ) -> None:
        col = self.collection(kind)
        for i in range(0, len(ids), batch):
            col.upsert(
                ids=ids[i : i + batch],
                documents=documents[i : i + batch],
                embeddings=[e.tolist() for e in embeddings[i : i + batch]],
                metadatas=metadatas[i : i + batch],
            )
        self._snapshots.pop(kind, None)

    def snapshot(self, kind: Kind) -> Snapshot:
        if kind not in self._snapshots:
            got = self.collection(kind).get(include=["embeddings", "documents", "metadatas"])
            embs = got.get("embeddings")
            matrix = (
                np.asarray(embs, dtype=np.float32)
                if embs is not None and len(embs)
                else np.zeros((0, self.embedder.dimension), dtype=np.float32)
            )
            self._snapshots[kind] = Snapshot(
                ids=list(got["ids"]),
                embeddings=matrix,
                documents=list(got.get("documents") or []),
                metadatas=[dict(m or {}) for m in (got.get("metadatas") or [])],
            )
        return self._snapshots[kind]

    def search(
        self, query: str | np.ndarray, kind: Kind, k: int = 5, where: dict[str, Any] | None = None
    ) -> list[Passage]:
        """Nearest passages by cosine similarity, from Chroma's HNSW index."""
        snap = self._snapshots.get(kind)  # already in memory: its size saves a count query per search
        n = len(snap.ids) if snap is not None else self.count(kind)
        if n == 0:
            raise IndexNotReady(
                f"The {kind} index is empty.", "Build it with `coach ingest` (make serve does this for you)."
            )
        vec = self.embedder.embed([query])[0] if isinstance(query, str) else query
        res = self.collection(kind).query(
            query_embeddings=[vec.tolist()],
            n_results=max(1, min(k, n)),
            where=where or None,
            include=["documents", "metadatas", "distances"],
        )
        return [
            passage_from(kind, pid, doc, dict(meta or {}), 1.0 - float(dist))
            for pid, doc, meta, dist in zip(
                res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0], strict=True
            )
        ]
