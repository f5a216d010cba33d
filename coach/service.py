"""CoachService: the one orchestration entry point that every channel (CLI, HTTP, widget, Slack) drives.

It is built from ports only (see `coach/ports.py`); `api/container.py` chooses the adapters. The work is
done by its parts: `ClassifierProvider` (statement classifier), `Conversations` (sessions and turns),
`ReplyComposer` (what the coach says), `Workshops` (trainer views) and `MeasureProposer` (measures).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from coach.answer_eval import AnswerReport, QuestionCase, evaluate_answers
from coach.answers import Answer, AnswerContext, AnswerEngine
from coach.classifier import Classifier, Hyper
from coach.classifiers import ClassifierProvider
from coach.config import Settings
from coach.conversation.cues import warm_cues
from coach.conversations import Conversations
from coach.domain import Classification, Kind, OutcomeMap, Passage, ProposedMeasure, Statement
from coach.errors import InvalidInput
from coach.evaluation import EvalReport, evaluate
from coach.ingest import IngestReport, Progress, ingest
from coach.knowledge import Example
from coach.overlay import TeamClassifier
from coach.ports import (
    ActOpinion,
    CorrectionRecord,
    CorrectionStore,
    EventBus,
    KnowledgeGap,
    KnowledgeGapStore,
    KnowledgeIndex,
    Rephraser,
    SecondOpinion,
    SessionStore,
    SourceRegistry,
    ThreadRecord,
    WorkshopRecord,
    WorkshopTotals,
)
from coach.records import Records
from coach.segment import segment
from coach.teams import Teaching, TeamKnowledge
from coach.templates import names
from coach.tenancy import check_team
from coach.text import clean
from coach.views import SessionSummary, SessionView, TurnResult, WorkshopSummary, WorkshopView
from coach.workshops import Workshops

log = logging.getLogger(__name__)


class CoachService:
    def __init__(
        self,
        settings: Settings,
        index: KnowledgeIndex,
        sessions: SessionStore,
        corrections: CorrectionStore,
        registry: SourceRegistry,
        second_opinion: SecondOpinion | None = None,
        rephraser: Rephraser | None = None,
        gaps: KnowledgeGapStore | None = None,
        act_opinion: ActOpinion | None = None,
        events: EventBus | None = None,
    ) -> None:
        self.settings = settings
        self.index = index
        self.embedder = index.embedder
        self.sessions = sessions
        self.corrections = corrections
        self.registry = registry
        self.classifiers = ClassifierProvider(settings, index, corrections, second_opinion)
        # Knowledge as each team may see it: the organisation's view is shared by every team without private
        # knowledge; `proposer`, `answers` and `composer` are that shared view's.
        self.knowledge = TeamKnowledge(index, rephraser)
        self.proposer = self.knowledge.shared.proposer
        self.answers: AnswerEngine = self.knowledge.shared.answers
        self.composer = self.knowledge.shared.composer
        self.teaching = Teaching(corrections, self.classifiers, settings.api.max_statement_chars)
        self.gaps = gaps
        self.events = events
        self.conversations = Conversations(
            settings,
            sessions,
            self.classifiers,
            lambda team: self.knowledge.view(team).composer,
            self.statements,
            act_opinion=act_opinion,
            gaps=gaps,
            events=events,
        )
        self.workshops = Workshops(sessions)
        self.records = Records(sessions)

    @property
    def max_statement(self) -> int:
        return self.settings.api.max_statement_chars

    # ----- lifecycle ------------------------------------------------------------------------------------------
    def warm(self) -> None:
        """Load the model, the index snapshot and the classifier once (server start-up)."""
        warm = getattr(self.embedder, "warm", None)
        if warm:
            warm()
        self.classifier().warm()
        self.classifiers.train_teams()
        names()  # the wording, parsed once before the first turn (not by 32 turns at once)
        warm_cues()
        self.proposer.warm()
        self.conversations.recognizer()
        if self.index.count("guidance"):
            self.answers.sections()

    def readiness(self) -> dict[str, Any]:
        checks: dict[str, Any] = {"model": bool(getattr(self.embedder, "loaded", True))}
        try:
            checks["index"] = {k: self.index.count(k) for k in ("guidance", "measures", "examples")}
            index_ok = all(checks["index"].values())
        except Exception as exc:
            checks["index"], index_ok = f"unavailable: {type(exc).__name__}", False
        try:
            checks["database"] = self.sessions.ping()
        except Exception as exc:
            checks["database"] = f"unavailable: {type(exc).__name__}"
        checks["classifier"] = self.classifiers.ready
        checks["ready"] = bool(checks["model"] and index_ok and checks["database"] is True and checks["classifier"])
        return checks

    # ----- knowledge ------------------------------------------------------------------------------------------
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
        team: str | None = None,
    ) -> IngestReport:
        """Bring the index in line with the knowledge folders. `extra` folders are remembered; with `team` they
        are private to that team (without: organisation-wide). `forget` drops folders (with `team`: only that
        team's)."""
        owners = self.registry.teams()
        if team is not None:
            check_team(team)
        if forget:
            gone = {str(p.resolve()) for p in forget}
            if team is not None:
                theirs = {p for p in gone if owners.get(p) != team}
                if theirs:
                    raise InvalidInput(
                        f"{sorted(theirs)[0]} is not a knowledge folder of team '{team}'.",
                        "List the folders with their teams in the data folder's knowledge-sources.json.",
                    )
            owners = {p: t for p, t in owners.items() if p not in gone}
            self.registry.save([p for p in self.registry.load() if str(p.resolve()) not in gone], owners)
        for p in extra or []:
            owners.pop(str(p.resolve()), None)
            if team:
                owners[str(p.resolve())] = team
        roots = self.knowledge_roots(extra)
        report = ingest(
            self.index,
            roots,
            core_root=self.settings.knowledge_dir,
            progress=progress,
            force=force,
            teams=owners,
        )
        if extra:
            self.registry.save([*self.registry.load(), *extra], owners)
        if not report.noop:
            self.classifiers.invalidate()
            self.knowledge.invalidate()
        return report

    def search(self, query: str, k: int = 5, kind: Kind = "guidance", team: str | None = "local") -> list[Passage]:
        """Passages by meaning among the organisation's knowledge and `team`'s own (None: the organisation's)."""
        query = clean(query, limit=self.max_statement, what="query")
        if not 1 <= k <= 50:
            raise InvalidInput(f"k must be between 1 and 50 (got {k}).", "Ask for fewer results.")
        return self.knowledge.view(team).index.search(query, kind=kind, k=k)

    def answer(self, question: str, previous: AnswerContext | None = None, team: str = "local") -> Answer:
        """A knowledge answer (cited passages, or an honest "not covered", which is recorded as a gap)."""
        question = clean(question, limit=self.max_statement, what="question")
        got = self.knowledge.view(team).answers.answer(question, previous)
        if not got.covered and not got.follow_up and self.gaps is not None:
            self.gaps.record(team, question, got.score)
        return got

    def evaluate_answers(self, cases: list[QuestionCase]) -> AnswerReport:
        """Answer every question (nothing is recorded as a gap) and score the answers."""
        if not cases:
            raise InvalidInput(
                "The question file has no questions to evaluate.", "Check the file or the --half option."
            )
        return evaluate_answers(cases, self.answers.answer)

    def knowledge_gaps(self, limit: int = 50, team: str | None = None) -> list[KnowledgeGap]:
        if not 1 <= limit <= 1000:
            raise InvalidInput(f"limit must be between 1 and 1000 (got {limit}).", "Ask for fewer gaps.")
        if self.gaps is None:
            return []
        return self.gaps.gaps(limit=limit, team=team)

    # ----- classification -------------------------------------------------------------------------------------
    def classifier(self, scope: str = "all", hyper: Hyper | None = None) -> Classifier:
        """The fitted classifier for `scope` ('all' in production, 'train' for honest dev evaluation)."""
        return self.classifiers.get(scope, hyper)

    def statements(self, text: str, split: bool = True) -> list[Statement]:
        text = clean(text, limit=self.settings.api.max_message_chars)
        stmts = segment(text, split=split)
        cap = self.settings.api.max_statements
        if len(stmts) > cap:
            raise InvalidInput(
                f"The text holds {len(stmts):,} statements; the limit is {cap:,} per message.",
                f"Send at most {cap:,} statements at a time, in several messages.",
            )
        for st in stmts:
            if len(st.text) > self.max_statement:
                raise InvalidInput(
                    f"A statement is too long ({len(st.text):,} characters; the limit is {self.max_statement:,}).",
                    "Break it into shorter sentences or list items.",
                )
        if not stmts:
            raise InvalidInput("No statement found in the text.", "Write at least one sentence about your work.")
        return stmts

    def classify(self, text: str, split: bool = True, team: str | None = "local") -> list[Classification]:
        """Classify for `team`: the shared classifier with the team's corrections and examples on top."""
        return self.team_classifier(team).classify(self.statements(text, split=split))

    def team_classifier(self, team: str | None) -> Classifier | TeamClassifier:
        return self.classifiers.for_team(team)

    def classify_many(self, texts: list[str], scope: str = "all") -> list[Classification]:
        """Batch: each text is one statement (no splitting)."""
        stmts = [Statement(text=t, start=0, end=len(t)) for t in texts]
        clf = self.classifier(scope)
        out: list[Classification] = []
        for i in range(0, len(stmts), 256):
            out += clf.classify(stmts[i : i + 256])
        return out

    # ----- corrections: a team's own, until an administrator promotes one to the shared model ---------------
    def correct(
        self, text: str, label: str, team: str = "local", source: str = "cli", session_id: str | None = None
    ) -> int:
        """Record a correction for `team`: its classifications follow it at once (identical text, and near ones
        by its memory); other teams' do not, unless an administrator promotes it."""
        return self.teaching.correct(text, label, team, source, session_id)

    def list_corrections(
        self, team: str | None = None, status: str | None = None, limit: int = 100
    ) -> list[CorrectionRecord]:
        return self.teaching.records(team, status, limit)

    def promote_correction(self, correction_id: int, by: str, team: str | None = None) -> CorrectionRecord:
        """Into the shared model, for every team (retrained now). `team`: only a correction of that team."""
        return self.teaching.promote(correction_id, by, team)

    def revert_correction(self, correction_id: int, by: str, team: str | None = None) -> CorrectionRecord:
        """Stops applying at once (its team's memory; the shared model too if it was promoted)."""
        return self.teaching.revert(correction_id, by, team)

    def retrain(self) -> None:
        """The next training: the shared model, then the own model of each team that has taught enough."""
        self.classifiers.invalidate()
        self.classifier().warm()
        self.classifiers.train_teams()
        names()  # the wording, parsed once before the first turn (not by 32 turns at once)
        warm_cues()

    def evaluate(self, examples: list[Example], scope: str = "all", worst: int = 10) -> EvalReport:
        if not examples:
            raise InvalidInput("The evaluation file has no labelled statements.", 'Add {"text","label"} lines.')
        preds = self.classify_many([e.text for e in examples], scope=scope)
        return evaluate(examples, preds, worst=worst)

    # ----- measures -------------------------------------------------------------------------------------------
    def propose_measures(self, outcome: str, k: int = 3, team: str | None = "local") -> list[ProposedMeasure]:
        outcome = clean(outcome, limit=self.max_statement, what="outcome")
        if not 1 <= k <= 10:
            raise InvalidInput(f"k must be between 1 and 10 (got {k}).", "Ask for 3 measures, the usual number.")
        return self.knowledge.view(team).proposer.propose(outcome, k=k)

    # ----- sessions -------------------------------------------------------------------------------------------
    def start_session(
        self, mode: str = "coach", team: str = "local", workshop: str | None = None, participant: str = ""
    ) -> SessionView:
        if workshop:
            self.workshops.joinable(workshop)  # unknown: 404; not started or closed: 409, with what to do
        view = self.conversations.start(mode, team, workshop, participant)
        if view.workshop:
            self._workshop_changed(view.workshop)
        return view

    def resolve_session_id(self, prefix: str, team: str | None = None) -> str:
        """A full session id from the first characters of one (at least 4), as people type them."""
        return self.records.resolve_session_id(prefix, team)

    def get_session(self, session_id: str, team: str | None = None) -> SessionView:
        return self.conversations.get(session_id, team)

    def session_owner(self, session_id: str) -> tuple[str, str]:
        """(team, mode) of a session (SessionNotFound if there is none): what an access check needs."""
        return self.conversations.owner(session_id)

    def list_sessions(self, team: str | None = None) -> list[SessionSummary]:
        return self.records.summaries(team)

    def delete_session(self, session_id: str, team: str | None = None) -> None:
        """Everything the person wrote goes, their corrections too: a team's stop applying at once (its memory
        follows the store); if one had been promoted, the shared model is retrained without it now."""
        promoted = self.corrections.records(status="promoted", limit=1000)
        self.conversations.delete(session_id, team)
        if any(c.session_id == session_id for c in promoted):
            self.classifiers.rebuild_shared()

    def session_map(self, session_id: str, team: str | None = None) -> OutcomeMap:
        return self.records.map(session_id, team)

    def export_map(self, session_id: str, fmt: str, team: str | None = None) -> str:
        return self.records.export(session_id, fmt, team)

    def session_for_thread(
        self, team: str, external_id: str, extra: dict[str, str] | None = None
    ) -> tuple[ThreadRecord, bool]:
        """The session of an external thread (Slack, a team's own bot), created on first use."""
        return self.conversations.for_thread(team, external_id, extra)

    def find_thread(self, team: str, external_id: str) -> ThreadRecord | None:
        return self.conversations.find_thread(team, external_id)

    def latest_thread(self, team: str, prefix: str) -> ThreadRecord | None:
        return self.conversations.latest_thread(team, prefix)

    def thread_of(self, session_id: str) -> ThreadRecord | None:
        return self.conversations.thread_of(session_id)

    def handle_message(
        self, session_id: str, text: str, team: str | None = None, client_key: str | None = None, source: str = "chat"
    ) -> TurnResult:
        result, _correction = self.conversations.handle(session_id, text, team, client_key, source)
        return result

    # ----- workshops ------------------------------------------------------------------------------------------
    def create_workshop(self, team: str, title: str = "", start: bool = True) -> dict[str, str]:
        return self.workshops.create(team, title, start)

    def workshop(self, code: str, team: str | None = None) -> WorkshopRecord:
        return self.workshops.get(code, team)

    def list_workshops(self, team: str | None = None) -> list[WorkshopSummary]:
        return self.workshops.summaries(team)

    def set_workshop_status(self, code: str, team: str | None, status: str) -> WorkshopRecord:
        w = self.workshops.set_status(code, team, status)
        self._workshop_changed(w.code)
        return w

    def reset_workshop(self, code: str, team: str | None = None) -> int:
        n = self.workshops.reset(code, team)
        self._workshop_changed(code.upper())
        return n

    def _workshop_changed(self, code: str) -> None:
        if self.events is not None:
            self.events.publish(f"workshop:{code}", {"changed": True})

    def workshop_totals(self, code: str, team: str | None = None) -> tuple[str, WorkshopTotals]:
        return self.workshops.totals(code, team)

    def workshop_view(self, code: str, team: str | None = None, after_id: int = 0) -> WorkshopView:
        return self.workshops.view(code, team, after_id)

    def workshop_map(self, code: str, team: str | None = None) -> OutcomeMap:
        return self.workshops.map(code, team)
