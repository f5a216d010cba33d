"""CoachService: the one orchestration entry point that every channel (CLI, HTTP, widget, Slack) drives."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import numpy as np

from coach.adapters.chroma import ChromaIndex, citation_from
from coach.adapters.sql import CorrectionStore, Database, normalise
from coach.classifier import Classifier, FittedModel, GuidanceMemory, Hyper, Memory, TrainingSet, train_or_load
from coach.config import Settings
from coach.domain import Classification, Kind, Label, Passage, Statement
from coach.errors import IndexNotReady, InvalidInput
from coach.evaluation import EvalReport, evaluate
from coach.ingest import IngestReport, Progress, SourceRegistry, ingest
from coach.knowledge import Example
from coach.ports import Retriever, SecondOpinion
from coach.segment import segment
from coach.text import MAX_STATEMENT, clean

log = logging.getLogger(__name__)
CORRECTION_WEIGHT = 3.0


class CoachService:
    def __init__(
        self,
        settings: Settings,
        index: ChromaIndex,
        retriever: Retriever,
        db: Database,
        second_opinion: SecondOpinion | None = None,
    ) -> None:
        self.settings = settings
        self.index = index
        self.embedder = index.embedder
        self.retriever = retriever
        self.db = db
        self.corrections = CorrectionStore(db)
        self.second_opinion = second_opinion
        self.registry = SourceRegistry(settings.data_dir)
        self._classifiers: dict[str, Classifier] = {}
        self._lock = threading.RLock()

    # ----- lifecycle -------------------------------------------------------------------------------
    def warm(self) -> None:
        """Load the model, the index snapshot and the classifier once (server start-up)."""
        warm = getattr(self.embedder, "warm", None)
        if warm:
            warm()
        self.classifier()

    def readiness(self) -> dict[str, Any]:
        checks: dict[str, Any] = {}
        checks["model"] = bool(getattr(self.embedder, "loaded", True))
        try:
            checks["index"] = {k: self.index.count(k) for k in ("guidance", "measures", "examples")}
            index_ok = all(checks["index"].values())
        except Exception as exc:  # noqa: BLE001
            checks["index"], index_ok = f"unavailable: {type(exc).__name__}", False
        try:
            checks["database"] = self.db.ping()
        except Exception as exc:  # noqa: BLE001
            checks["database"] = f"unavailable: {type(exc).__name__}"
        checks["classifier"] = "all" in self._classifiers
        checks["ready"] = bool(checks["model"] and index_ok and checks["database"] is True and checks["classifier"])
        return checks

    # ----- knowledge -------------------------------------------------------------------------------
    def knowledge_roots(self, extra: list[Path] | None = None) -> list[Path]:
        roots = [*self.settings.knowledge_paths, *self.registry.load(), *(extra or [])]
        seen: set[str] = set()
        out: list[Path] = []
        for r in roots:
            key = str(r.resolve())
            if key not in seen:
                seen.add(key)
                out.append(r)
        return out

    def ingest(
        self,
        extra: list[Path] | None = None,
        progress: Progress | None = None,
        force: bool = False,
        forget: list[Path] | None = None,
    ) -> IngestReport:
        if forget:
            gone = {str(p.resolve()) for p in forget}
            self.registry.save([p for p in self.registry.load() if str(p.resolve()) not in gone])
        roots = self.knowledge_roots(extra)
        report = ingest(self.index, roots, core_root=self.settings.knowledge_dir, progress=progress, force=force)
        if extra:
            self.registry.save([*self.registry.load(), *extra])
        if not report.noop:
            with self._lock:
                self._classifiers.clear()
        return report

    def search(self, query: str, k: int = 5, kind: Kind = "guidance") -> list[Passage]:
        query = clean(query, limit=MAX_STATEMENT, what="query")
        if not 1 <= k <= 50:
            raise InvalidInput(f"k must be between 1 and 50 (got {k}).", "Ask for fewer results.")
        return self.retriever.search(query, kind=kind, k=k)

    # ----- classification --------------------------------------------------------------------------
    def _training(self, scope: str) -> tuple[TrainingSet, Memory]:
        snap = self.index.snapshot("examples")
        if not snap.ids:
            raise IndexNotReady("No labelled examples are indexed.", "Run `coach ingest` first.")
        keep = [i for i, m in enumerate(snap.metadatas) if scope == "all" or m.get("split") == "train"]
        texts = [snap.documents[i] for i in keep]
        labels: list[Label] = [snap.metadatas[i]["label"] for i in keep]
        domains = [str(snap.metadatas[i].get("domain", "")) for i in keep]
        emb = snap.embeddings[keep]
        weights = [1.0] * len(texts)
        corrected = self.corrections.latest()
        if corrected:
            ctexts = [t for t, _ in corrected.values()]
            cemb = self.embedder.embed(ctexts)
            texts += ctexts
            labels += [lab for _, lab in corrected.values()]  # type: ignore[misc]
            domains += ["correction"] * len(ctexts)
            weights += [CORRECTION_WEIGHT] * len(ctexts)
            emb = np.vstack([emb, cemb])
        data = TrainingSet(texts=texts, labels=labels, embeddings=emb, weights=weights, domains=domains)
        memory = Memory(
            texts=texts, labels=labels, domains=domains, embeddings=emb,
            corrected={k: v[1] for k, v in corrected.items()},  # type: ignore[misc]
        )
        return data, memory

    def _guidance_memory(self) -> GuidanceMemory:
        snap = self.index.snapshot("guidance")
        cites = [citation_from(m) for m in snap.metadatas]
        return GuidanceMemory(
            embeddings=snap.embeddings, texts=snap.documents,
            citations=[c for c in cites if c is not None] if all(cites) else [c for c in cites if c],  # type: ignore[misc]
        )

    def classifier(self, scope: str = "all", hyper: Hyper | None = None) -> Classifier:
        """The fitted classifier for `scope` ('all' in production, 'train' for honest dev evaluation)."""
        key = f"{scope}:{hyper!r}" if hyper else scope
        with self._lock:
            if key not in self._classifiers:
                data, memory = self._training(scope)
                model: FittedModel = train_or_load(data, self.embedder.name, self.settings.models_dir, hyper)
                self._classifiers[key] = Classifier(
                    self.embedder, model, memory, self._guidance_memory(),
                    clarify_below=self.settings.classifier.clarify_below,
                    neighbours=self.settings.classifier.neighbours,
                    second_opinion=self.second_opinion,
                )
            return self._classifiers[key]

    def statements(self, text: str, split: bool = True) -> list[Statement]:
        text = clean(text, limit=self.settings.api.max_message_chars)
        stmts = segment(text, split=split)
        for st in stmts:
            if len(st.text) > MAX_STATEMENT:
                raise InvalidInput(
                    f"A statement is too long ({len(st.text):,} characters; the limit is {MAX_STATEMENT:,}).",
                    "Break it into shorter sentences or list items.",
                )
        if not stmts:
            raise InvalidInput("No statement found in the text.", "Write at least one sentence about your work.")
        return stmts

    def classify(self, text: str, split: bool = True) -> list[Classification]:
        return self.classifier().classify(self.statements(text, split=split))

    def classify_many(self, texts: list[str], scope: str = "all") -> list[Classification]:
        """Batch: each text is one statement (no splitting)."""
        stmts = [Statement(text=t, start=0, end=len(t)) for t in texts]
        clf = self.classifier(scope)
        out: list[Classification] = []
        for i in range(0, len(stmts), 256):
            out += clf.classify(stmts[i : i + 256])
        return out

    def correct(self, text: str, label: str, team: str = "local", source: str = "cli",
                session_id: str | None = None) -> int:
        text = clean(text, limit=MAX_STATEMENT, what="statement")
        if label not in ("output", "outcome"):
            raise InvalidInput(f"Unknown label {label!r}.", "Use 'output' or 'outcome'.")
        cid = self.corrections.add(text.strip(), label, team=team, source=source, session_id=session_id)
        with self._lock:  # exact-match memory applies at once; the model retrains on next use
            for clf in self._classifiers.values():
                clf.memory.corrected[normalise(text)] = label  # type: ignore[assignment]
        return cid

    def retrain(self) -> None:
        with self._lock:
            self._classifiers.clear()
        self.classifier()

    def evaluate(self, examples: list[Example], scope: str = "all", worst: int = 10) -> EvalReport:
        if not examples:
            raise InvalidInput("The evaluation file has no labelled statements.", "Add {\"text\",\"label\"} lines.")
        preds = self.classify_many([e.text for e in examples], scope=scope)
        return evaluate(examples, preds, worst=worst)
