"""The classifier provider: trains (or loads from cache) the statement classifier from the index and the
stored corrections, keeps one per scope, and applies corrections at once to identical text."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from coach.classifier import Classifier, FittedModel, GuidanceMemory, Hyper, Memory, TrainingSet, train_or_load
from coach.config import Settings
from coach.domain import Label
from coach.errors import IndexNotReady
from coach.knowledge import citation_from
from coach.ports import CorrectionStore, KnowledgeIndex, SecondOpinion
from coach.text import normalise

CORRECTION_WEIGHT = 3.0
Trainer = Callable[[TrainingSet, str, Path | None, Hyper | None], FittedModel]


class ClassifierProvider:
    """One fitted classifier per scope ('all' in production, 'train' for honest dev evaluation)."""

    def __init__(
        self,
        settings: Settings,
        index: KnowledgeIndex,
        corrections: CorrectionStore,
        second_opinion: SecondOpinion | None = None,
        trainer: Trainer = train_or_load,
    ) -> None:
        self.settings = settings
        self.trainer = trainer
        self.index = index
        self.corrections = corrections
        self.second_opinion = second_opinion
        self._built: dict[str, Classifier] = {}
        self._lock = threading.RLock()

    @property
    def ready(self) -> bool:
        return "all" in self._built

    def get(self, scope: str = "all", hyper: Hyper | None = None) -> Classifier:
        key = f"{scope}:{hyper!r}" if hyper else scope
        with self._lock:
            if key not in self._built:
                data, memory = self._training(scope)
                model: FittedModel = self.trainer(data, self.index.embedder.name, self.settings.models_dir, hyper)
                self._built[key] = Classifier(
                    self.index.embedder,
                    model,
                    memory,
                    self._guidance_memory(),
                    clarify_below=self.settings.classifier.clarify_below,
                    neighbours=self.settings.classifier.neighbours,
                    second_opinion=self.second_opinion,
                )
            return self._built[key]

    def invalidate(self) -> None:
        with self._lock:
            self._built.clear()

    def corrected(self, text: str, label: str) -> None:
        """Exact-match memory applies at once; the model itself retrains on its next build."""
        with self._lock:
            for clf in self._built.values():
                clf.memory.corrected[normalise(text)] = label  # type: ignore[assignment]

    def _training(self, scope: str) -> tuple[TrainingSet, Memory]:
        snap = self.index.snapshot("examples")
        if not snap.ids:
            raise IndexNotReady("No labelled examples are indexed.", "Run `coach ingest` first.")
        keep = [i for i, m in enumerate(snap.metadatas) if scope == "all" or m.get("split") == "train"]
        statements = [i for i in keep if snap.metadatas[i].get("label") in ("output", "outcome")]
        nones = [i for i in keep if snap.metadatas[i].get("label") == "none"]
        texts = [snap.documents[i] for i in statements]
        labels: list[Label] = [snap.metadatas[i]["label"] for i in statements]
        domains = [str(snap.metadatas[i].get("domain", "")) for i in statements]
        groups = [str(snap.metadatas[i].get("source", "")) for i in statements]
        emb = snap.embeddings[statements]
        weights = [1.0] * len(texts)
        corrected = self.corrections.latest()
        if corrected:
            ctexts = [t for t, _ in corrected.values()]
            texts += ctexts
            labels += [lab for _, lab in corrected.values()]  # type: ignore[misc]
            domains += ["correction"] * len(ctexts)
            groups += ["correction"] * len(ctexts)
            weights += [CORRECTION_WEIGHT] * len(ctexts)
            emb = np.vstack([emb, self.index.embedder.embed(ctexts)])
        # Outputs first, then outcomes (stable): the neighbour vote reads the two as contiguous blocks.
        order = sorted(range(len(texts)), key=lambda i: labels[i] == "outcome")
        texts, domains, groups = ([xs[i] for i in order] for xs in (texts, domains, groups))
        labels = [labels[i] for i in order]
        weights = [weights[i] for i in order]
        emb = emb[order]
        data = TrainingSet(
            texts=texts,
            labels=labels,
            embeddings=emb,
            weights=weights,
            domains=domains,
            groups=groups,
            none_texts=[snap.documents[i] for i in nones],
            none_embeddings=snap.embeddings[nones] if nones else None,
        )
        memory = Memory(
            texts=texts,
            labels=labels,
            domains=domains,
            embeddings=emb,
            corrected={k: v[1] for k, v in corrected.items()},  # type: ignore[misc]
        )
        return data, memory

    def _guidance_memory(self) -> GuidanceMemory:
        snap = self.index.snapshot("guidance")
        cites = [citation_from(m) for m in snap.metadatas]
        return GuidanceMemory(
            embeddings=snap.embeddings,
            texts=snap.documents,
            citations=[c for c in cites if c is not None],
        )
