"""Coaching sessions and their turns: start, read, list, delete, and `handle_message` (one turn, committed
before the reply is returned)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from pathlib import Path

from coach.classifiers import ClassifierProvider
from coach.compose import ReplyComposer
from coach.config import Settings
from coach.conversation import engine
from coach.conversation.acts import ActRecognizer, load_replies, train_or_load
from coach.conversation.plan import Plan, Turn
from coach.conversation.state import SessionState
from coach.domain import Chain, Classification, CoachReply, Statement
from coach.errors import Conflict, IdempotencyKeyReused, InvalidInput
from coach.keyed_locks import PROCESS_TURN_LOCKS, KeyedLocks
from coach.outcome_map import build_map
from coach.ports import ActOpinion, EventBus, KnowledgeGapStore, SessionRecord, SessionStore, ThreadRecord
from coach.templates import render
from coach.text import clean
from coach.views import SessionView, TurnResult

MODES = ("coach", "workshop")
MAX_ATTEMPTS = 8  # a turn worked out again this many times at most when other workers keep saving first

Segmenter = Callable[[str, bool], list[Statement]]
Composers = Callable[[str | None], ReplyComposer]  # team → the composer over the knowledge it may see


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Conversations:
    def __init__(
        self,
        settings: Settings,
        store: SessionStore,
        classifiers: ClassifierProvider,
        composer: ReplyComposer | Composers,
        statements: Segmenter,
        act_opinion: ActOpinion | None = None,
        replies: list[Path] | None = None,
        gaps: KnowledgeGapStore | None = None,
        turn_locks: KeyedLocks | None = None,
        events: EventBus | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.classifiers = classifiers
        self.composer_for: Composers = (lambda _team: composer) if isinstance(composer, ReplyComposer) else composer
        self.statements = statements
        self.act_opinion = act_opinion
        self.replies = replies
        self.gaps = gaps
        self._recognizers: dict[str, ActRecognizer] = {}
        self._lock = threading.Lock()
        self.turn_locks = turn_locks or PROCESS_TURN_LOCKS
        self.events = events
        self.conflicts = 0  # turns worked out again because another worker saved the session first

    def recognizer(self, scope: str = "all") -> ActRecognizer:
        """The reply-act recogniser ('all' replies in production; 'train' for an honest dev evaluation),
        trained (or loaded from the cache) once per process."""
        if scope not in self._recognizers:
            with self._lock:
                if scope not in self._recognizers:
                    embedder = self.classifiers.index.embedder
                    examples = load_replies(self.replies)
                    if scope == "train":
                        examples = [e for e in examples if e.split == "train"]
                    model = train_or_load(examples, embedder, self.settings.models_dir)
                    self._recognizers[scope] = ActRecognizer(
                        embedder, model, self.act_opinion if scope == "all" else None
                    )
        return self._recognizers[scope]

    # ----- sessions ---------------------------------------------------------------------------------------
    def start(
        self, mode: str = "coach", team: str = "local", workshop: str | None = None, participant: str = ""
    ) -> SessionView:
        if mode not in MODES:
            raise InvalidInput(f"Unknown mode '{mode}'.", "Use 'coach' or 'workshop'.")
        state = SessionState()
        greeting = CoachReply(text=render("flow.welcome"), state="welcome", question=None)
        with self.store.transaction() as tx:
            if workshop:
                w = tx.workshop(workshop)
                if w is None:
                    raise InvalidInput(f"No workshop with code '{workshop}'.", "Check the code your trainer gave you.")
                team, mode, workshop = w.team, "workshop", w.code
            elif mode == "workshop":
                raise InvalidInput("A workshop session needs a workshop code.", "Pass the code your trainer shared.")
            rec = tx.create(team, mode, workshop, participant[:100], state.model_dump(mode="json"))
            tx.add_turns(rec.id, None, greeting)
        return self.get(rec.id, team)

    def owner(self, session_id: str) -> tuple[str, str]:
        """(team, mode) of a session, for an access check: one row, no transcript."""
        with self.store.transaction(write=False) as tx:
            rec = tx.get(session_id, None)
            return rec.team, rec.mode

    def get(self, session_id: str, team: str | None = None) -> SessionView:
        with self.store.transaction(write=False) as tx:
            rec = tx.get(session_id, team)
            return SessionView(
                id=rec.id,
                mode=rec.mode,
                team=rec.team,
                workshop=rec.workshop_code,
                phase=str(rec.state.get("phase", "welcome")),
                messages=tx.turns(session_id),
                map=build_map(tx.chains(session_id)),
            )

    def delete(self, session_id: str, team: str | None = None) -> list[int]:
        """Delete a session; returns the ids of the corrections that went with it."""
        with self.store.transaction() as tx:
            return tx.delete(session_id, team)

    # ----- external threads (Slack, a team's own bot, any channel with its own conversation ids) --------------
    def find_thread(self, team: str, external_id: str) -> ThreadRecord | None:
        with self.store.transaction(write=False) as tx:
            return tx.thread(team, external_id)

    def latest_thread(self, team: str, prefix: str) -> ThreadRecord | None:
        """The most recently active thread of `team` whose id starts with `prefix`."""
        with self.store.transaction(write=False) as tx:
            found = tx.threads(team, prefix, limit=1)
        return found[0] if found else None

    def thread_of(self, session_id: str) -> ThreadRecord | None:
        with self.store.transaction(write=False) as tx:
            return tx.thread_of(session_id)

    def for_thread(self, team: str, external_id: str, extra: dict[str, str] | None = None) -> tuple[ThreadRecord, bool]:
        """The session bound to an external thread id, started on first use. Returns (thread, created)."""
        with self.store.transaction(write=False) as tx:
            found = tx.thread(team, external_id)
        if found is not None:
            return found, False
        view = self.start(mode="coach", team=team)
        try:
            with self.store.transaction() as tx:
                return tx.bind_thread(team, external_id, view.id, extra or {}), True
        except Conflict:
            # Another worker (or a retried delivery) bound the thread first: use its session, drop ours.
            self.delete(view.id, team)
            with self.store.transaction() as tx:
                winner = tx.thread(team, external_id)
            if winner is None:  # pragma: no cover - the winner was deleted in between
                raise
            return winner, False

    # ----- one turn ---------------------------------------------------------------------------------------
    def handle(
        self, session_id: str, text: str, team: str | None = None, client_key: str | None = None, source: str = "chat"
    ) -> tuple[TurnResult, tuple[str, str] | None]:
        """Read the reply, decide, fetch, compose — and commit the turn before returning the reply.

        No lock is held while the turn is worked out: the session is read, the slow work (embedding,
        classifying, ranking measures, an optional chat model) runs outside any transaction, and a short write
        transaction then checks that the session's version is still the one read before it persists. When
        another worker saved a turn in between, this one is worked out again against the new state, so two
        messages to one session are still serialised in effect and none is lost or recorded twice. Within this
        process, turns on one session queue on `turn_locks` instead of re-running.

        Returns the result and the correction the person made in this turn, if any."""
        text = clean(text, limit=self.settings.api.max_message_chars, what="message")
        # Models are built (or fetched from cache) before any transaction: building one reads corrections itself.
        # The session's team decides whose corrections and knowledge apply (a workshop's: the trainer's team).
        owner = team if team is not None else self.owner(session_id)[0]
        clf = self.classifiers.for_team(owner)
        composer = self.composer_for(owner)
        reader = self.recognizer()
        digest = fingerprint(text)
        with self.turn_locks.hold(session_id):
            for _ in range(MAX_ATTEMPTS):
                with self.store.transaction(write=False) as tx:
                    rec = tx.get(session_id, team)
                    if client_key:
                        prior = tx.reply_for_key(session_id, client_key)
                        if prior is not None:
                            reply, stored_print = prior
                            if stored_print and stored_print != digest:
                                raise IdempotencyKeyReused()
                            chains = tx.chains(session_id)
                            replayed = TurnResult(
                                session_id=session_id, reply=reply, map=build_map(chains), replayed=True
                            )
                            return replayed, None
                    chains = tx.chains(session_id)
                state = SessionState.model_validate(rec.state)
                reading = reader.read(text, state.phase, question=state.last_question or "")
                mode = engine.classification_mode(reading.act, state.phase, text)
                found: list[Classification] = []
                if mode != "none":
                    found = clf.classify(self.statements(text, mode == "split"))
                plan = engine.step(state, chains, Turn(text=text, reading=reading, statements=found))
                uncovered: list[tuple[str, float]] = []
                reply = composer.compose(plan, uncovered)
                if self._persist(rec, chains, text, digest, client_key, source, plan, reply):
                    break
                self.conflicts += 1
            else:
                raise Conflict(
                    f"Session {session_id} kept changing while this turn was being worked out.",
                    "Send the message again.",
                )
        if self.events is not None:  # after the commit: every worker's streams hear of it
            self.events.publish(f"session:{session_id}", {"turn": True, "state": reply.state})
            if rec.workshop_code:
                self.events.publish(f"workshop:{rec.workshop_code}", {"turn": session_id})
        if self.gaps is not None:  # after the turn's commit: never inside a transaction
            for question, score in uncovered:
                self.gaps.record(rec.team, question, score)
        result = TurnResult(session_id=session_id, reply=reply, map=build_map(plan.chains))
        return result, (plan.correction if plan.correction else None)

    def _persist(
        self,
        read: SessionRecord,
        chains: list[Chain],
        text: str,
        digest: str,
        client_key: str | None,
        source: str,
        plan: Plan,
        reply: CoachReply,
    ) -> bool:
        """The turn's short write transaction: False (nothing written) when the session moved on since `read`.

        The state is saved first, as a compare-and-set on the version read: when it holds, the rows read with it
        (`chains`) are still the stored ones, so only what changed is written."""
        session_id = read.id
        try:
            with self.store.transaction() as tx:
                tx.save_state(read, plan.state.model_dump(mode="json"))
                if plan.correction:
                    tx.add_correction(plan.correction[0], plan.correction[1], read.team, source, session_id)
                tx.save_chains(session_id, plan.chains, before=chains)
                seq = tx.add_turns(session_id, text, reply, client_key=client_key, fingerprint=digest)
                statements = [c for c in plan.statements if c.label in ("output", "outcome")]
                tx.add_statements(session_id, seq - 1, statements)
        except Conflict:
            return False
        return True
