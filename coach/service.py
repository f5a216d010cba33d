"""CoachService: the one orchestration entry point that every channel (CLI, HTTP, widget, Slack) drives."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import numpy as np

from coach.adapters.chroma import ChromaIndex, citation_from
from coach.adapters.sql import CorrectionStore, Database, normalise
from coach.classifier import (
    Classifier,
    FittedModel,
    GuidanceMemory,
    Hyper,
    Memory,
    TrainingSet,
    train_or_load,
)
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


# Conversations
from collections import Counter  # noqa: E402

from pydantic import BaseModel, Field  # noqa: E402

from coach import policy  # noqa: E402
from coach.adapters.repository import SessionRepository  # noqa: E402
from coach.domain import Chain, Citation, CoachReply, OutcomeMap, ProposedMeasure, Turn  # noqa: E402
from coach.errors import WorkshopNotFound  # noqa: E402
from coach.measures import MeasureProposer, population  # noqa: E402
from coach.outcome_map import build_map, export, to_markdown  # noqa: E402
from coach.ports import Rephraser  # noqa: E402
from coach.templates import render  # noqa: E402

MODES = ("coach", "workshop")


class SessionView(BaseModel):
    id: str
    mode: str
    team: str
    workshop: str | None = None
    phase: str
    messages: list[Turn] = Field(default_factory=list)
    map: OutcomeMap


class SessionSummary(BaseModel):
    id: str
    mode: str
    workshop: str | None
    phase: str
    created_at: str
    updated_at: str
    chains: int


class TurnResult(BaseModel):
    session_id: str
    reply: CoachReply
    map: OutcomeMap
    replayed: bool = False


class WorkshopStatement(BaseModel):
    id: int
    session_id: str
    participant: str
    text: str
    label: str
    confidence: float
    needs_clarification: bool
    at: str


class WorkshopView(BaseModel):
    code: str
    title: str
    team: str
    participants: int
    counts: dict[str, int]
    statements: list[WorkshopStatement]
    unsure: list[WorkshopStatement]
    chains: list[Chain]
    measures: list[str]
    last_id: int


class _Conversations:
    """Mixin: the conversation half of CoachService (kept apart for readability)."""

    settings: Settings
    db: Database
    embedder: Any
    retriever: Retriever
    repo: SessionRepository
    rephraser: Rephraser | None

    # helpers provided by CoachService
    def statements(self, text: str, split: bool = True) -> list[Statement]:
        raise NotImplementedError  # pragma: no cover

    def classifier(self, scope: str = "all", hyper: Hyper | None = None) -> Classifier:
        raise NotImplementedError  # pragma: no cover

    def _after_correction(self, text: str, label: str) -> None:
        raise NotImplementedError  # pragma: no cover

    @property
    def proposer(self) -> MeasureProposer:
        return MeasureProposer(self.embedder, self.retriever, domain_prior=self._domain_prior)

    def _domain_prior(self, vec: np.ndarray, k: int = 15) -> dict[str, float]:
        """Share of each domain among the labelled statements nearest to `vec`, weighted by similarity."""
        memory = self.classifier().memory
        if not len(memory.texts):
            return {}
        sims = memory.embeddings @ vec
        top = np.argsort(-sims)[:k]
        weights: dict[str, float] = {}
        for j in top:
            weights[memory.domains[j]] = weights.get(memory.domains[j], 0.0) + max(float(sims[j]), 0.0)
        total = sum(weights.values()) or 1.0
        return {d: w / total for d, w in weights.items()}

    def propose_measures(self, outcome: str, k: int = 3) -> list[ProposedMeasure]:
        outcome = clean(outcome, limit=MAX_STATEMENT, what="outcome")
        if not 1 <= k <= 10:
            raise InvalidInput(f"k must be between 1 and 10 (got {k}).", "Ask for 3 measures, the usual number.")
        return self.proposer.propose(outcome, k=k)

    # ----- sessions -----------------------------------------------------------------------------------
    def start_session(
        self, mode: str = "coach", team: str = "local", workshop: str | None = None, participant: str = ""
    ) -> SessionView:
        if mode not in MODES:
            raise InvalidInput(f"Unknown mode '{mode}'.", "Use 'coach' or 'workshop'.")
        state = policy.SessionState()
        greeting = CoachReply(text=render("welcome"), state="welcome", question=None)
        with self.db.tx() as s:
            if workshop:
                w = self.repo.workshop(s, workshop)
                if w is None:
                    raise InvalidInput(f"No workshop with code '{workshop}'.", "Check the code your trainer gave you.")
                team, mode, workshop = w.team, "workshop", w.code
            elif mode == "workshop":
                raise InvalidInput("A workshop session needs a workshop code.", "Pass the code your trainer shared.")
            row = self.repo.create(s, team, mode, workshop, participant[:100], state.model_dump(mode="json"))
            self.repo.add_turns(s, row.id, None, greeting)
            sid = row.id
        return self.get_session(sid, team)

    def get_session(self, session_id: str, team: str | None = None) -> SessionView:
        with self.db.tx() as s:
            row = self.repo.get(s, session_id, team)
            chains = self.repo.chains(s, session_id)
            return SessionView(
                id=row.id,
                mode=row.mode,
                team=row.team,
                workshop=row.workshop_code,
                phase=str((row.state or {}).get("phase", "welcome")),
                messages=self.repo.turns(s, session_id),
                map=build_map(chains),
            )

    def list_sessions(self, team: str | None = None) -> list[SessionSummary]:
        with self.db.tx() as s:
            rows = self.repo.list_sessions(s, team)
            return [
                SessionSummary(
                    id=r.id,
                    mode=r.mode,
                    workshop=r.workshop_code,
                    phase=str((r.state or {}).get("phase", "welcome")),
                    created_at=r.created_at.isoformat(),
                    updated_at=r.updated_at.isoformat(),
                    chains=len(self.repo.chains(s, r.id)),
                )
                for r in rows
            ]

    def delete_session(self, session_id: str, team: str | None = None) -> None:
        with self.db.tx() as s:
            self.repo.delete(s, session_id, team)

    def session_map(self, session_id: str, team: str | None = None) -> OutcomeMap:
        with self.db.tx() as s:
            self.repo.get(s, session_id, team)
            return build_map(self.repo.chains(s, session_id))

    def export_map(self, session_id: str, fmt: str, team: str | None = None) -> str:
        return export(self.session_map(session_id, team), fmt)

    # ----- one turn -----------------------------------------------------------------------------------
    def handle_message(
        self, session_id: str, text: str, team: str | None = None, client_key: str | None = None, source: str = "chat"
    ) -> TurnResult:
        """Classify, decide, fetch, compose — and commit the turn before returning the reply."""
        text = clean(text, limit=self.settings.api.max_message_chars, what="message")
        intent, args = policy.parse_intent(text)
        # Build (or fetch the cached) classifier before taking the session lock: building reads corrections in
        # its own transaction, which on SQLite (BEGIN IMMEDIATE) would wait for this one. Classification and
        # measure proposals (its domain prior) both need it inside the lock.
        clf = self.classifier()
        with self.db.tx() as s:
            row = self.repo.get(s, session_id, team, lock=True)
            if client_key:
                prior = self.repo.reply_for_key(s, session_id, client_key)
                if prior is not None:
                    return TurnResult(
                        session_id=session_id,
                        reply=prior,
                        map=build_map(self.repo.chains(s, session_id)),
                        replayed=True,
                    )
            state = policy.SessionState.model_validate(row.state or {})
            chains = self.repo.chains(s, session_id)
            mode = policy.classification_mode(state, intent, text)
            found: list[Classification] = []
            if mode != "none":
                found = clf.classify(self.statements(text, split=mode == "split"))
            plan = policy.step(state, chains, text, intent, args, found)
            reply = self._compose(plan)
            if plan.correction:
                self.repo.add_correction(s, plan.correction[0], plan.correction[1], row.team, source, session_id)
            self.repo.touch(row, plan.state.model_dump(mode="json"))
            self.repo.save_chains(s, session_id, plan.chains)
            seq = self.repo.add_turns(s, session_id, text, reply, client_key=client_key)
            self.repo.add_statements(s, session_id, seq - 1, found)
        if plan.correction:
            self._after_correction(*plan.correction)
        return TurnResult(session_id=session_id, reply=reply, map=build_map(plan.chains))

    def _directions(self, text: str) -> tuple[list[str], str | None]:
        """Outcome themes that similar work usually serves (offered, never chosen), and who it is for."""
        hits = self.retriever.search(text, kind="measures", k=6)
        from coach.adapters.chroma import measure_from_meta

        themes: list[str] = []
        whos: list[str] = []
        for h in hits:
            data = measure_from_meta(h.metadata)
            whos.append(str(data.get("who", "")))
            for t in data.get("outcome_themes", [])[:2]:
                if t.lower() not in {x.lower() for x in themes}:
                    themes.append(t)
        people = [w for w in whos if w and w.split()[-1].endswith("s") and len(w.split()) <= 2]
        who = Counter(people).most_common(1)[0][0] if people else None
        return themes[:3], who

    def _knowledge_answer(self, query: str) -> tuple[str, list[Citation]]:
        hits = self.retriever.search(query, kind="guidance", k=3)
        if not hits:
            return "I don't have guidance on that yet.", []
        best = hits[0]
        sentences = policy._first_sentences(best.text, 3)
        answer = sentences
        if best.citation:
            answer += f" (from “{best.citation.label()}”)"
        cites = [h.citation for h in hits[:2] if h.citation]
        return answer, cites

    def _compose(self, plan: policy.Plan) -> CoachReply:
        st = plan.state
        turn = st.turn
        options: list[str] = []
        if plan.directions_for:
            options, who = self._directions(plan.directions_for)
            if plan.question_step and population(plan.directions_for) is None and who:
                name, slots = plan.question_step
                if name.startswith("family:") and slots.get("who", "").startswith("the people it"):
                    slots["who"] = who
        parts = [render(name, turn, **slots) for name, slots in plan.steps]
        parts = [p for p in parts if p]
        citations: list[Citation] = []
        for c in plan.statements:
            for e in c.evidence:
                if e.citation and e.citation not in citations:
                    citations.append(e.citation)
        measures: list[ProposedMeasure] = []
        question: str | None = None
        if plan.measures_for:
            chain = next((c for c in plan.chains if c.id == plan.measures_for), None)
            if chain is not None and chain.outcome:
                if not chain.measures:
                    chain.measures = self.proposer.propose(chain.outcome, k=3)
                measures = chain.measures
                if measures:
                    parts.append(render("measures", turn, names="; ".join(f"{m.name} ({m.kind})" for m in measures)))
                    question = render("ask_baseline", turn, measure=measures[0].name)
        if plan.knowledge_query:
            answer, cites = self._knowledge_answer(plan.knowledge_query)
            parts.append(render("knowledge", turn, answer=answer))
            citations = cites + [c for c in citations if c not in cites]
        if plan.show_map:
            md = to_markdown(build_map(plan.chains))
            parts.append(render("summary", turn, map=md) if plan.chains else render("empty_map", turn))
        if plan.question_step is not None:
            name, slots = plan.question_step
            question = render(name, turn, **slots)
        elif plan.question:
            question = plan.question
        if question:
            st.last_question = question
            st.last_options = options or (st.last_options if not plan.steps else [])
        text = "\n\n".join([*parts, question] if question else parts)
        if getattr(self, "rephraser", None) is not None:
            text = self.rephraser.rephrase(text, context=st.phase)  # type: ignore[union-attr]
        return CoachReply(
            text=text,
            statements=plan.statements,
            question=question,
            options=options,
            measures=measures,
            citations=citations[:4],
            state=st.phase,
            queued=plan.queued or [p.text for p in st.queue],
            chain_id=st.current,
        )

    # ----- workshops ----------------------------------------------------------------------------------
    def create_workshop(self, team: str, title: str = "") -> dict[str, str]:
        with self.db.tx() as s:
            w = self.repo.create_workshop(s, team, title.strip()[:200] or "Outputs to outcomes workshop")
            return {"code": w.code, "title": w.title, "team": w.team}

    def workshop_view(self, code: str, team: str | None = None, after_id: int = 0) -> WorkshopView:
        with self.db.tx() as s:
            w = self.repo.workshop(s, code, team)
            if w is None:
                raise WorkshopNotFound(code)
            rows = self.repo.workshop_statements(s, w.code)
            sessions = self.repo.list_sessions(s, None, workshop=w.code, limit=1000)
            chains = [c for r in sessions for c in self.repo.chains(s, r.id)]
        items = [
            WorkshopStatement(
                id=a.id,
                session_id=a.session_id,
                participant=b.participant or b.id[:6],
                text=a.text,
                label=a.label,
                confidence=a.confidence,
                needs_clarification=a.needs_clarification,
                at=a.created_at.isoformat(),
            )
            for a, b in rows
        ]
        counts = Counter(i.label for i in items)
        return WorkshopView(
            code=w.code,
            title=w.title,
            team=w.team,
            participants=len(sessions),
            counts={"output": counts.get("output", 0), "outcome": counts.get("outcome", 0)},
            statements=[i for i in items if i.id > after_id],
            unsure=[i for i in items if i.needs_clarification],
            chains=[c for c in chains if c.outcome or c.rungs],
            measures=sorted({m.name for c in chains for m in c.measures}),
            last_id=items[-1].id if items else after_id,
        )

    def workshop_map(self, code: str, team: str | None = None) -> OutcomeMap:
        view = self.workshop_view(code, team)
        return build_map(view.chains, title=f"Outcome map — {view.title}")


class CoachService(_Conversations):
    def __init__(
        self,
        settings: Settings,
        index: ChromaIndex,
        retriever: Retriever,
        db: Database,
        second_opinion: SecondOpinion | None = None,
        rephraser: Rephraser | None = None,
    ) -> None:
        self.settings = settings
        self.rephraser = rephraser
        self.repo = SessionRepository()
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
        except Exception as exc:
            checks["index"], index_ok = f"unavailable: {type(exc).__name__}", False
        try:
            checks["database"] = self.db.ping()
        except Exception as exc:
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
                    self.embedder,
                    model,
                    memory,
                    self._guidance_memory(),
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

    def correct(
        self, text: str, label: str, team: str = "local", source: str = "cli", session_id: str | None = None
    ) -> int:
        text = clean(text, limit=MAX_STATEMENT, what="statement")
        if label not in ("output", "outcome"):
            raise InvalidInput(f"Unknown label {label!r}.", "Use 'output' or 'outcome'.")
        cid = self.corrections.add(text.strip(), label, team=team, source=source, session_id=session_id)
        self._after_correction(text, label)
        return cid

    def _after_correction(self, text: str, label: str) -> None:
        """Exact-match memory applies at once; the model itself retrains on its next build."""
        with self._lock:
            for clf in self._classifiers.values():
                clf.memory.corrected[normalise(text)] = label  # type: ignore[assignment]

    def retrain(self) -> None:
        with self._lock:
            self._classifiers.clear()
        self.classifier()

    def evaluate(self, examples: list[Example], scope: str = "all", worst: int = 10) -> EvalReport:
        if not examples:
            raise InvalidInput("The evaluation file has no labelled statements.", 'Add {"text","label"} lines.')
        preds = self.classify_many([e.text for e in examples], scope=scope)
        return evaluate(examples, preds, worst=worst)
