"""The classifier provider: trains (or loads from cache) the shared statement classifier from the organisation's
knowledge and the promoted corrections, keeps one per scope, and gives each team its overlay (coach/overlay.py):
the team's own corrections and examples, and a model of its own once it has taught enough."""

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
from coach.overlay import TeamClassifier, TeamMemory
from coach.ports import CorrectionStore, KnowledgeIndex, SecondOpinion
from coach.tenancy import team_of, visible

Stamp = tuple[int, int, str]

CORRECTION_WEIGHT = 3.0
LABELS = ("output", "outcome")
Trainer = Callable[[TrainingSet, str, Path | None, Hyper | None], FittedModel]


class ClassifierProvider:
    """One shared classifier per scope ('all' in production, 'train' for honest dev evaluation), and one
    overlay per team that taught the coach something."""

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
        self._teams: dict[str, TeamMemory] = {}
        self._vectors: dict[str, dict[str, np.ndarray]] = {}  # team → corrected text → its embedding
        self._promoted_stamp: tuple[int, int, str] | None = None
        self._lock = threading.RLock()

    @property
    def ready(self) -> bool:
        return "all" in self._built

    def get(self, scope: str = "all", hyper: Hyper | None = None, _stamp: Stamp | None = None) -> Classifier:
        """The shared classifier: the organisation's examples and the promoted corrections."""
        key = f"{scope}:{hyper!r}" if hyper else scope
        with self._lock:
            if key not in self._built:
                self._built[key] = self._build(scope, hyper)
            clf = self._built[key]
        if scope == "all" and hyper is None:
            self._refresh_promoted(clf, self.corrections.stamp(None) if _stamp is None else _stamp)
        return clf

    def for_team(self, team: str | None) -> Classifier | TeamClassifier:
        """What classifies `team`'s statements: the shared classifier, with the team's overlay if it has one."""
        if team is None:
            return self.get()
        promoted, own_stamp = self.corrections.stamps(team)  # one read a turn
        base = self.get(_stamp=promoted)
        memory = self._memory(team, own_stamp)
        own = memory.model
        if own is not None:
            if memory.still_valid(base.memory.corrected):
                own.memory.corrected = base.memory.corrected  # the promoted ones as they are now
            else:  # it learned a correction reverted since (its team's, or a promoted one): dropped at once
                with self._lock:
                    memory.model, memory.model_learned = None, frozenset()
        return base if memory.empty else TeamClassifier(base, memory)

    def invalidate(self) -> None:
        with self._lock:
            self._built.clear()
            self._teams.clear()
            self._promoted_stamp = None

    def rebuild_shared(self) -> None:
        """Retrain the shared model now (a promotion, or the revert of a promoted correction): an explicit act
        of an administrator, never a request's. Team memories stay; team models keep until their next training."""
        with self._lock:
            for key in [k for k in self._built if k == "all" or k.startswith("all:")]:
                del self._built[key]
            self._promoted_stamp = None
        self.get()

    def train_teams(self) -> list[str]:
        """Fit (or load from the cache) the own model of each team that has taught enough: at start-up and on
        `retrain`, never on a request. Returns the teams that have one."""
        done = []
        teams = set(self.corrections.teams()) | self._example_teams()
        for team in sorted(teams):
            memory = self._memory(team)
            if len(memory.texts) < self.settings.classifier.team_model_min:
                continue
            learned = {**self.corrections.latest(None), **self.corrections.latest(team)}
            memory.model = self._build("all", None, team)
            memory.model_learned = frozenset((k, lab) for k, (_, lab) in learned.items())
            done.append(team)
        return done

    # ----- building ----------------------------------------------------------------------------------------
    def _build(self, scope: str, hyper: Hyper | None, team: str | None = None) -> Classifier:
        data, memory = self._training(scope, team)
        model: FittedModel = self.trainer(data, self.index.embedder.name, self.settings.models_dir, hyper)
        return Classifier(
            self.index.embedder,
            model,
            memory,
            self._guidance_memory(team),
            clarify_below=self.settings.classifier.clarify_below,
            neighbours=self.settings.classifier.neighbours,
            second_opinion=self.second_opinion,
        )

    def _refresh_promoted(self, clf: Classifier, stamp: Stamp) -> None:
        """The shared exact-match memory follows promotions and reverts made anywhere (another worker, the CLI)."""
        if stamp != self._promoted_stamp:
            promoted = self.corrections.latest(None)
            clf.memory.corrected = {k: v[1] for k, v in promoted.items()}  # type: ignore[misc]
            self._promoted_stamp = stamp

    def _memory(self, team: str, stamp: Stamp | None = None) -> TeamMemory:
        stamp = self.corrections.stamp(team) if stamp is None else stamp
        with self._lock:
            memory = self._teams.get(team)
            if memory is not None and memory.stamp == stamp:
                return memory
            memory = self._load_memory(team, stamp, memory)
            self._teams[team] = memory
            return memory

    def _load_memory(self, team: str, stamp: tuple[int, int, str], old: TeamMemory | None) -> TeamMemory:
        corrected = self.corrections.latest(team)
        memory = TeamMemory(team=team, stamp=stamp, exact={k: v[1] for k, v in corrected.items()})  # type: ignore[misc]
        texts = [t for t, _ in corrected.values()]
        labels: list[Label] = [lab for _, lab in corrected.values()]  # type: ignore[misc]
        kinds = ["correction"] * len(texts)
        snap = self.index.snapshot("examples")
        own = [i for i, m in enumerate(snap.metadatas) if team_of(m) == team and m.get("label") in LABELS]
        cached = self._vectors.setdefault(team, {})
        missing = [t for t in texts if t not in cached]
        if missing:
            cached.update(zip(missing, self.index.embedder.embed(missing), strict=True))
        vecs = [cached[t] for t in texts] + [snap.embeddings[i] for i in own]
        memory.texts = texts + [snap.documents[i] for i in own]
        memory.labels = labels + [snap.metadatas[i]["label"] for i in own]
        memory.kinds = kinds + ["example"] * len(own)
        memory.embeddings = np.vstack(vecs).astype(np.float32) if vecs else None
        if old is not None and old.model is not None:  # checked against what still holds by `for_team`
            memory.model, memory.model_learned = old.model, old.model_learned
        return memory

    def _example_teams(self) -> set[str]:
        return {team_of(m) for m in self.index.snapshot("examples").metadatas} - {""}

    def _training(self, scope: str, team: str | None = None) -> tuple[TrainingSet, Memory]:
        snap = self.index.snapshot("examples")
        if not snap.ids:
            raise IndexNotReady("No labelled examples are indexed.", "Run `coach ingest` first.")
        keep = [
            i
            for i, m in enumerate(snap.metadatas)
            if (scope == "all" or m.get("split") == "train") and visible(m, team)
        ]
        statements = [i for i in keep if snap.metadatas[i].get("label") in ("output", "outcome")]
        nones = [i for i in keep if snap.metadatas[i].get("label") == "none"]
        texts = [snap.documents[i] for i in statements]
        labels: list[Label] = [snap.metadatas[i]["label"] for i in statements]
        domains = [str(snap.metadatas[i].get("domain", "")) for i in statements]
        groups = [str(snap.metadatas[i].get("source", "")) for i in statements]
        emb = snap.embeddings[statements]
        weights = [1.0] * len(texts)
        corrected = self.corrections.latest(None)  # promoted: every team's
        if team is not None:
            corrected.update(self.corrections.latest(team))  # the team's own win over the shared ones
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

    def _guidance_memory(self, team: str | None = None) -> GuidanceMemory:
        snap = self.index.snapshot("guidance")
        rows = [i for i, m in enumerate(snap.metadatas) if visible(m, team)]
        cites = [citation_from(snap.metadatas[i]) for i in rows]
        return GuidanceMemory(
            embeddings=snap.embeddings[rows],
            texts=[snap.documents[i] for i in rows],
            citations=[c for c in cites if c is not None],
        )
