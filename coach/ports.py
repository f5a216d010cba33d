"""Ports: everything the core needs from the outside world, as Protocols.

Adapters in `coach/adapters/` implement them (sentence-transformers, Chroma, SQLAlchemy, LangChain); the
in-memory fakes in `coach/adapters/fakes.py` implement them for millisecond unit tests. The core is typed on
these Protocols only; `api/container.py` is the one place that chooses implementations.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from coach.domain import Chain, Classification, CoachReply, Kind, Label, Passage, Turn

if TYPE_CHECKING:  # numpy only types the ports; importing it here would slow every model-free command
    import numpy as np


# ----- models -------------------------------------------------------------------------------------------
@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised vectors."""

    name: str
    dimension: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class SecondOpinion(Protocol):
    """An optional second classifier (for example an LLM). The embedded classifier stands on its own."""

    def classify(self, text: str) -> Label | None: ...


class Rephraser(Protocol):
    """Optional fluency layer: rewords a reply's text; facts always come from the engine."""

    def rephrase(self, text: str, context: str) -> str: ...


class ActOpinion(Protocol):
    """Optional: a chat model's reading of a reply's act, consulted only when the local model is unsure."""

    def act(self, text: str, context: str, question: str, allowed: Sequence[str]) -> str | None: ...


# ----- knowledge ----------------------------------------------------------------------------------------
@dataclass
class Snapshot:
    """Everything in one collection, in memory: for training and fast in-process nearest-neighbour search."""

    ids: list[str]
    embeddings: np.ndarray
    documents: list[str]
    metadatas: list[dict[str, Any]]


class KnowledgeIndex(Protocol):
    """The three collections (guidance, measures, examples): search by meaning, snapshots, and ingest writes."""

    embedder: Embedder
    location: str

    def count(self, kind: Kind) -> int: ...

    def search(
        self, query: str | np.ndarray, kind: Kind, k: int = 5, where: dict[str, Any] | None = None
    ) -> list[Passage]: ...

    def snapshot(self, kind: Kind) -> Snapshot: ...

    def sources(self, kind: Kind) -> dict[str, str]: ...

    def embedder_of(self, kind: Kind) -> str | None: ...

    def reset(self, kind: Kind) -> None: ...

    def delete_sources(self, kind: Kind, keys: Sequence[str]) -> None: ...

    def add(
        self,
        kind: Kind,
        ids: list[str],
        documents: list[str],
        embeddings: np.ndarray,
        metadatas: list[dict[str, Any]],
    ) -> None: ...


class SourceRegistry(Protocol):
    """Extra knowledge folders added with `coach ingest PATH [--team T]`, remembered for later ingests."""

    def load(self) -> list[Path]: ...

    def teams(self) -> dict[str, str]:
        """Resolved folder → the team it is private to (folders not listed are organisation-wide)."""
        ...

    def save(self, paths: list[Path], teams: dict[str, str] | None = None) -> None: ...


# ----- sessions -----------------------------------------------------------------------------------------
@dataclass
class SessionRecord:
    """One coaching session as stored: who owns it and its conversation state (a JSON-able dict)."""

    id: str
    team: str
    mode: str
    workshop_code: str | None
    participant: str
    state: dict[str, Any]
    version: int
    created_at: datetime
    updated_at: datetime


@dataclass
class WorkshopRecord:
    code: str
    team: str
    title: str
    created_at: datetime
    status: str = "live"  # waiting (participants cannot join yet) | live | closed (no new participants)


@dataclass
class WorkshopTotals:
    """A workshop's counts, computed by the store without reading any session's state."""

    participants: int
    outputs: int
    outcomes: int
    last_id: int  # the newest statement's id, 0 before the first
    chains: int
    chains_changed: datetime | None  # when a chain of the workshop last changed

    @classmethod
    def of(
        cls,
        participants: int,
        by_label: dict[str, int],
        last_id: int | None,
        chains: int | None,
        changed: datetime | None,
    ) -> WorkshopTotals:
        """From the store's aggregates (statements counted by label; NULL max and count as 0)."""
        return cls(
            participants=int(participants),
            outputs=int(by_label.get("output", 0)),
            outcomes=int(by_label.get("outcome", 0)),
            last_id=int(last_id or 0),
            chains=int(chains or 0),
            chains_changed=changed,
        )

    @property
    def signature(self) -> tuple[object, ...]:
        """Changes whenever anything on the trainer's page would."""
        return (self.participants, self.outputs, self.outcomes, self.last_id, self.chains, self.chains_changed)


@dataclass
class StatementRecord:
    """A statement classified in a session (what a trainer's workshop view lists)."""

    id: int
    session_id: str
    participant: str
    text: str
    label: str
    confidence: float
    needs_clarification: bool
    created_at: datetime


@dataclass
class CorrectionRecord:
    id: int
    text: str
    label: str
    team: str
    source: str
    session_id: str | None
    created_at: datetime
    status: str = "active"  # active | promoted | reverted
    changed_at: datetime | None = None  # when the status last changed, and by whom
    changed_by: str | None = None


@dataclass
class ThreadRecord:
    """An external conversation thread (a Slack thread, a bot's own id) bound to one session."""

    team: str
    external_id: str
    session_id: str
    extra: dict[str, Any] = field(default_factory=dict)


class SessionTx(Protocol):
    """One unit of work on the session store. Everything done through it commits together, or not at all."""

    def create(
        self, team: str, mode: str, workshop: str | None, participant: str, state: dict[str, Any]
    ) -> SessionRecord: ...

    def get(self, session_id: str, team: str | None, lock: bool = False) -> SessionRecord: ...

    def save_state(self, record: SessionRecord, state: dict[str, Any]) -> None: ...

    def chains(self, session_id: str) -> list[Chain]: ...

    def save_chains(self, session_id: str, chains: list[Chain], before: list[Chain] | None = None) -> None: ...

    def reply_for_key(self, session_id: str, client_key: str) -> tuple[CoachReply, str] | None: ...

    def add_turns(
        self,
        session_id: str,
        user_text: str | None,
        reply: CoachReply,
        client_key: str | None = None,
        fingerprint: str | None = None,
    ) -> int: ...

    def add_statements(self, session_id: str, seq: int, items: list[Classification]) -> None: ...

    def add_correction(
        self, text: str, label: str, team: str, source: str, session_id: str | None
    ) -> CorrectionRecord: ...

    def turns(self, session_id: str) -> list[Turn]: ...

    def list_sessions(self, team: str | None, workshop: str | None = None, limit: int = 100) -> list[SessionRecord]: ...

    def count_chains(self, session_ids: Sequence[str]) -> dict[str, int]: ...

    def delete(self, session_id: str, team: str | None) -> list[int]: ...

    def create_workshop(self, team: str, title: str, status: str = "live") -> WorkshopRecord: ...

    def workshop(self, code: str, team: str | None = None) -> WorkshopRecord | None: ...

    def workshops(self, team: str | None, limit: int = 100) -> list[WorkshopRecord]: ...

    def set_workshop_status(self, code: str, status: str) -> None: ...

    def workshop_statements(
        self,
        code: str,
        after_id: int = 0,
        limit: int | None = None,
        unsure_below: float | None = None,
        newest_first: bool = False,
    ) -> list[StatementRecord]:
        """Statements after `after_id`; with `unsure_below`, only those the coach flagged or was less sure of."""
        ...

    def workshop_totals(self, code: str) -> WorkshopTotals: ...

    def workshop_chains(self, code: str) -> list[tuple[str, Chain]]:
        """(participant, chain) for every chain of the workshop's sessions, oldest session first."""
        ...

    def workshop_session_ids(self, code: str) -> list[str]: ...

    def session_ids_like(self, prefix: str, team: str | None, limit: int = 10) -> list[str]:
        """Ids of sessions that start with `prefix` (a short id typed by a person)."""
        ...

    def thread(self, team: str, external_id: str) -> ThreadRecord | None: ...

    def bind_thread(self, team: str, external_id: str, session_id: str, extra: dict[str, Any]) -> ThreadRecord: ...

    def threads(self, team: str, prefix: str, limit: int = 1) -> list[ThreadRecord]: ...

    def thread_of(self, session_id: str) -> ThreadRecord | None: ...


class SessionReadTx(Protocol):
    """The reads that listing and exporting sessions need (a part of `SessionTx`)."""

    def get(self, session_id: str, team: str | None, lock: bool = False) -> SessionRecord: ...

    def chains(self, session_id: str) -> list[Chain]: ...

    def list_sessions(self, team: str | None, workshop: str | None = None, limit: int = 100) -> list[SessionRecord]: ...

    def count_chains(self, session_ids: Sequence[str]) -> dict[str, int]: ...

    def session_ids_like(self, prefix: str, team: str | None, limit: int = 10) -> list[str]: ...


class SessionReader(Protocol):
    """What `Records` needs: read-only transactions. The full `SessionStore` is one; so is the CLI's quick reader
    of an SQLite file (coach/adapters/sqlite_listing.py)."""

    def transaction(self, write: bool = True) -> AbstractContextManager[SessionReadTx]: ...


class SessionStore(Protocol):
    """Sessions, turns, chains, statements, workshops and external threads."""

    def transaction(self, write: bool = True) -> AbstractContextManager[SessionTx]:
        """A unit of work. `write=False` promises to write nothing: it may then read a consistent snapshot
        without taking any write lock (on SQLite a plain `BEGIN` instead of `BEGIN IMMEDIATE`)."""
        ...

    def ping(self) -> bool: ...


class CorrectionReader(Protocol):
    """What reviewing corrections needs: the `records` listing (the full `CorrectionStore`, or a quick reader)."""

    def records(self, team: str | None = None, status: str | None = None, limit: int = 100) -> list[CorrectionRecord]:
        """Corrections for review, newest first."""
        ...


class CorrectionStore(Protocol):
    """Corrections people made to labels ("no, that is an outcome"), kept per team.

    A correction belongs to the team that made it (status `active`); an administrator may promote it to the
    shared model (`promoted`) or revert it (`reverted`: it stops applying anywhere)."""

    def add(
        self, text: str, label: str, team: str = "local", source: str = "cli", session_id: str | None = None
    ) -> int: ...

    def latest(self, team: str | None = None) -> dict[str, tuple[str, str]]:
        """normalised text → (text, label), the newest wins. `team=None`: the promoted corrections (what the
        shared model learns); a team: that team's own corrections that are not reverted."""
        ...

    def records(self, team: str | None = None, status: str | None = None, limit: int = 100) -> list[CorrectionRecord]:
        """Corrections for review, newest first."""
        ...

    def get(self, correction_id: int) -> CorrectionRecord | None: ...

    def set_status(self, correction_id: int, status: str, by: str) -> CorrectionRecord | None: ...

    def teams(self) -> dict[str, int]:
        """Teams with corrections that are not reverted → how many."""
        ...

    def stamp(self, team: str | None) -> tuple[int, int, str]:
        """Changes whenever `latest(team)` may have (an add, a status change, a deleted session): cheap to ask."""
        ...

    def stamps(self, team: str) -> tuple[tuple[int, int, str], tuple[int, int, str]]:
        """(`stamp(None)`, `stamp(team)`) in one read: what every turn asks."""
        ...


# ----- knowledge gaps -----------------------------------------------------------------------------------
@dataclass
class KnowledgeGap:
    """A question asked that the guidance did not cover (scored below the relevance floor), grouped by wording."""

    question: str
    count: int
    teams: list[str]
    best_score: float
    last_asked: datetime


class KnowledgeGapStore(Protocol):
    """Questions that scored below the floor, recorded for the knowledge owner (`coach knowledge gaps`)."""

    def record(self, team: str, question: str, score: float) -> None: ...

    def gaps(self, limit: int = 50, team: str | None = None) -> list[KnowledgeGap]: ...


# ----- live events --------------------------------------------------------------------------------------
class EventBus(Protocol):
    """Live events fanned out to every process that streams them (a turn saved, a workshop changed).

    Topics: `session:<id>` after each committed turn, `workshop:<code>` whenever a workshop's live view would
    change. Best effort: a stream that misses an event still catches up from the database on its next read."""

    def publish(self, topic: str, event: dict[str, Any]) -> None: ...
