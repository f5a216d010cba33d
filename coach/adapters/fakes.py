"""In-memory fakes of the ports, for unit tests that run in milliseconds: no model, no Chroma, no SQL.

They keep the contracts of the real adapters (a transaction commits everything or nothing, a session of
another team is "not found", the index answers cosine similarity) so the core behaves the same on both.
"""

from __future__ import annotations

import copy
import secrets
import string
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from coach.adapters.embeddings import HashEmbedder
from coach.adapters.fake_corrections import InMemoryCorrections
from coach.domain import Chain, Classification, CoachReply, Kind, Passage, Turn
from coach.errors import Conflict, IndexNotReady, SessionNotFound
from coach.knowledge import passage_from
from coach.ports import (
    CorrectionRecord,
    Embedder,
    KnowledgeGap,
    SessionRecord,
    Snapshot,
    StatementRecord,
    ThreadRecord,
    WorkshopRecord,
    WorkshopTotals,
)

__all__ = [
    "HashEmbedder",
    "InMemoryCorrections",
    "InMemoryIndex",
    "InMemoryKnowledgeGaps",
    "InMemorySessionStore",
    "InMemorySourceRegistry",
]


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class _Data:
    sessions: dict[str, SessionRecord] = field(default_factory=dict)
    chains: dict[str, list[Chain]] = field(default_factory=dict)
    turns: dict[str, list[tuple[Turn, str | None, str | None]]] = field(default_factory=dict)
    statements: list[StatementRecord] = field(default_factory=list)
    corrections: list[CorrectionRecord] = field(default_factory=list)
    workshops: dict[str, WorkshopRecord] = field(default_factory=dict)
    threads: list[ThreadRecord] = field(default_factory=list)


class _Tx:
    def __init__(self, data: _Data) -> None:
        self.d = data

    def create(
        self, team: str, mode: str, workshop: str | None, participant: str, state: dict[str, Any]
    ) -> SessionRecord:
        now = _now()
        rec = SessionRecord(uuid.uuid4().hex, team, mode, workshop, participant, copy.deepcopy(state), 0, now, now)
        self.d.sessions[rec.id] = rec
        self.d.chains[rec.id], self.d.turns[rec.id] = [], []
        return copy.deepcopy(rec)

    def get(self, session_id: str, team: str | None, lock: bool = False) -> SessionRecord:
        rec = self.d.sessions.get(session_id)
        if rec is None or (team is not None and rec.team != team):
            raise SessionNotFound(session_id)
        return copy.deepcopy(rec)

    def save_state(self, record: SessionRecord, state: dict[str, Any]) -> None:
        stored = self.d.sessions.get(record.id)
        if stored is None or stored.version != record.version:
            raise Conflict(f"Session {record.id} changed while this turn was being worked out.", "Send it again.")
        stored.state, stored.version, stored.updated_at = copy.deepcopy(state), stored.version + 1, _now()
        record.state, record.version, record.updated_at = state, stored.version, stored.updated_at

    def chains(self, session_id: str) -> list[Chain]:
        return [c.model_copy(deep=True) for c in self.d.chains.get(session_id, [])]

    def count_chains(self, session_ids: Sequence[str]) -> dict[str, int]:
        return {sid: len(self.d.chains.get(sid, [])) for sid in session_ids}

    def save_chains(self, session_id: str, chains: list[Chain], before: list[Chain] | None = None) -> None:
        self.d.chains[session_id] = [c.model_copy(deep=True) for c in chains]

    def reply_for_key(self, session_id: str, client_key: str) -> tuple[CoachReply, str] | None:
        for turn, key, fingerprint in self.d.turns.get(session_id, []):
            if key == client_key and turn.reply is not None:
                return turn.reply.model_copy(deep=True), fingerprint or ""
        return None

    def add_turns(
        self,
        session_id: str,
        user_text: str | None,
        reply: CoachReply,
        client_key: str | None = None,
        fingerprint: str | None = None,
    ) -> int:
        turns = self.d.turns.setdefault(session_id, [])
        if client_key is not None and any(k == client_key for _, k, _ in turns):
            raise Conflict("Another request used the same idempotency key at the same moment.", "Send it again.")
        if user_text is not None:
            turns.append((Turn(role="user", text=user_text, at=_now()), None, None))
        turns.append((Turn(role="coach", text=reply.text, at=_now(), reply=reply), client_key, fingerprint))
        return len(turns)

    def add_statements(self, session_id: str, seq: int, items: list[Classification]) -> None:
        participant = self.d.sessions[session_id].participant or session_id[:6]
        for c in items:
            self.d.statements.append(
                StatementRecord(
                    len(self.d.statements) + 1,
                    session_id,
                    participant,
                    c.text,
                    c.label,
                    c.confidence,
                    c.needs_clarification,
                    _now(),
                )
            )

    def add_correction(self, text: str, label: str, team: str, source: str, session_id: str | None) -> CorrectionRecord:
        next_id = max((c.id for c in self.d.corrections), default=0) + 1
        rec = CorrectionRecord(next_id, text, label, team, source, session_id, _now())
        self.d.corrections.append(rec)
        return rec

    def turns(self, session_id: str) -> list[Turn]:
        return [t.model_copy(deep=True) for t, _, _ in self.d.turns.get(session_id, [])]

    def list_sessions(self, team: str | None, workshop: str | None = None, limit: int = 100) -> list[SessionRecord]:
        rows = [
            r
            for r in self.d.sessions.values()
            if (team is None or r.team == team) and (workshop is None or r.workshop_code == workshop)
        ]
        rows.sort(key=lambda r: r.updated_at, reverse=True)
        return [copy.deepcopy(r) for r in rows[:limit]]

    def delete(self, session_id: str, team: str | None) -> list[int]:
        self.get(session_id, team)
        removed = [c.id for c in self.d.corrections if c.session_id == session_id]
        self.d.corrections = [c for c in self.d.corrections if c.session_id != session_id]
        self.d.statements = [s for s in self.d.statements if s.session_id != session_id]
        self.d.threads = [t for t in self.d.threads if t.session_id != session_id]
        for table in (self.d.sessions, self.d.chains, self.d.turns):
            table.pop(session_id, None)
        return removed

    def create_workshop(self, team: str, title: str, status: str = "live") -> WorkshopRecord:
        code = "".join(secrets.choice(string.ascii_uppercase) for _ in range(6))
        rec = WorkshopRecord(code, team, title, _now(), status)
        self.d.workshops[code] = rec
        return copy.deepcopy(rec)

    def workshop(self, code: str, team: str | None = None) -> WorkshopRecord | None:
        rec = self.d.workshops.get(code.upper())
        return copy.deepcopy(rec) if rec is not None and (team is None or rec.team == team) else None

    def workshops(self, team: str | None, limit: int = 100) -> list[WorkshopRecord]:
        rows = [w for w in self.d.workshops.values() if team is None or w.team == team]
        rows.sort(key=lambda w: w.created_at, reverse=True)
        return [copy.deepcopy(w) for w in rows[:limit]]

    def set_workshop_status(self, code: str, status: str) -> None:
        if code in self.d.workshops:
            self.d.workshops[code].status = status

    def _in_workshop(self, code: str) -> list[str]:
        rows = [r for r in self.d.sessions.values() if r.workshop_code == code]
        return [r.id for r in sorted(rows, key=lambda r: r.created_at)]

    def workshop_statements(
        self,
        code: str,
        after_id: int = 0,
        limit: int | None = None,
        unsure_below: float | None = None,
        newest_first: bool = False,
    ) -> list[StatementRecord]:
        ids = set(self._in_workshop(code))
        rows = [s for s in self.d.statements if s.session_id in ids and s.id > after_id]
        if unsure_below is not None:
            rows = [s for s in rows if s.needs_clarification or s.confidence < unsure_below]
        if newest_first:
            rows.reverse()
        return rows[:limit] if limit is not None else rows

    def workshop_totals(self, code: str) -> WorkshopTotals:
        ids = self._in_workshop(code)
        rows = self.workshop_statements(code)
        chains = [c for sid in ids for c in self.d.chains.get(sid, [])]
        return WorkshopTotals(
            participants=len(ids),
            outputs=sum(s.label == "output" for s in rows),
            outcomes=sum(s.label == "outcome" for s in rows),
            last_id=max((s.id for s in rows), default=0),
            chains=len(chains),
            chains_changed=max((self.d.sessions[sid].updated_at for sid in ids), default=None),
        )

    def workshop_chains(self, code: str) -> list[tuple[str, Chain]]:
        return [
            (self.d.sessions[sid].participant or sid[:6], c.model_copy(deep=True))
            for sid in self._in_workshop(code)
            for c in self.d.chains.get(sid, [])
        ]

    def workshop_session_ids(self, code: str) -> list[str]:
        return self._in_workshop(code)

    def session_ids_like(self, prefix: str, team: str | None, limit: int = 10) -> list[str]:
        rows = [r.id for r in self.d.sessions.values() if r.id.startswith(prefix) and (team is None or r.team == team)]
        return rows[:limit]

    def thread(self, team: str, external_id: str) -> ThreadRecord | None:
        return next((t for t in self.d.threads if t.team == team and t.external_id == external_id), None)

    def bind_thread(self, team: str, external_id: str, session_id: str, extra: dict[str, Any]) -> ThreadRecord:
        if self.thread(team, external_id) is not None:
            raise Conflict("The thread was bound by another request at the same moment.", "Send it again.")
        rec = ThreadRecord(team, external_id, session_id, dict(extra))
        self.d.threads.append(rec)
        return rec

    def threads(self, team: str, prefix: str, limit: int = 1) -> list[ThreadRecord]:
        rows = [t for t in self.d.threads if t.team == team and t.external_id.startswith(prefix)]
        rows.sort(key=lambda t: self.d.sessions[t.session_id].updated_at, reverse=True)
        return rows[:limit]

    def thread_of(self, session_id: str) -> ThreadRecord | None:
        return next((t for t in self.d.threads if t.session_id == session_id), None)


class InMemorySessionStore:
    """The `SessionStore` port in memory. A transaction works on a copy and publishes it on success."""

    def __init__(self) -> None:
        self.data = _Data()
        self._lock = threading.RLock()

    @contextmanager
    def transaction(self, write: bool = True) -> Iterator[_Tx]:
        with self._lock:
            work = copy.deepcopy(self.data)
            yield _Tx(work)
            self.data = work

    def ping(self) -> bool:
        return True


class InMemorySourceRegistry:
    def __init__(self) -> None:
        self.paths: list[Path] = []
        self.owners: dict[str, str] = {}

    def load(self) -> list[Path]:
        return list(self.paths)

    def teams(self) -> dict[str, str]:
        return {p: t for p, t in self.owners.items() if t and Path(p) in self.paths}

    def save(self, paths: list[Path], teams: dict[str, str] | None = None) -> None:
        self.paths = sorted({p.resolve() for p in paths})
        if teams is not None:
            self.owners = dict(teams)


def _matches(meta: dict[str, Any], where: dict[str, Any] | None) -> bool:
    """The subset of Chroma's `where` the core uses: equality, `$and`, `$or`, `$in`, `$ne`."""
    if not where:
        return True
    for key, cond in where.items():
        if key == "$and":
            if not all(_matches(meta, c) for c in cond):
                return False
        elif key == "$or":
            if not any(_matches(meta, c) for c in cond):
                return False
        elif isinstance(cond, dict):
            op, value = next(iter(cond.items()))
            have = meta.get(key)
            ok = {"$eq": have == value, "$ne": have != value, "$in": have in value, "$nin": have not in value}[op]
            if not ok:
                return False
        elif meta.get(key) != cond:
            return False
    return True


class InMemoryIndex:
    """The `KnowledgeIndex` port in memory: brute-force cosine similarity over numpy arrays."""

    def __init__(self, embedder: Embedder | None = None) -> None:
        self.embedder: Embedder = embedder or HashEmbedder()
        self.location = "memory"
        self._items: dict[Kind, dict[str, tuple[str, np.ndarray, dict[str, Any]]]] = {
            "guidance": {},
            "measures": {},
            "examples": {},
            "questions": {},
        }

    def count(self, kind: Kind) -> int:
        return len(self._items[kind])

    def search(
        self, query: str | np.ndarray, kind: Kind, k: int = 5, where: dict[str, Any] | None = None
    ) -> list[Passage]:
        if not self._items[kind]:
            raise IndexNotReady(f"The {kind} index is empty.", "Build it with `coach ingest`.")
        vec = self.embedder.embed([query])[0] if isinstance(query, str) else query
        rows = [(pid, doc, emb, meta) for pid, (doc, emb, meta) in self._items[kind].items() if _matches(meta, where)]
        scored = sorted(rows, key=lambda r: -float(r[2] @ vec))[:k]
        return [passage_from(kind, pid, doc, meta, float(emb @ vec)) for pid, doc, emb, meta in scored]

    def snapshot(self, kind: Kind) -> Snapshot:
        items = self._items[kind]
        embs = np.vstack([e for _, e, _ in items.values()]) if items else np.zeros((0, self.embedder.dimension))
        return Snapshot(
            ids=list(items),
            embeddings=embs.astype(np.float32),
            documents=[d for d, _, _ in items.values()],
            metadatas=[dict(m) for _, _, m in items.values()],
        )

    def sources(self, kind: Kind) -> dict[str, str]:
        return {str(m.get("source")): str(m.get("file_hash")) for _, _, m in self._items[kind].values()}

    def embedder_of(self, kind: Kind) -> str | None:
        return self.embedder.name if self._items[kind] else None

    def reset(self, kind: Kind) -> None:
        self._items[kind] = {}

    def delete_sources(self, kind: Kind, keys: Sequence[str]) -> None:
        gone = set(keys)
        self._items[kind] = {p: v for p, v in self._items[kind].items() if v[2].get("source") not in gone}

    def add(
        self,
        kind: Kind,
        ids: list[str],
        documents: list[str],
        embeddings: np.ndarray,
        metadatas: list[dict[str, Any]],
    ) -> None:
        for pid, doc, emb, meta in zip(ids, documents, embeddings, metadatas, strict=True):
            self._items[kind][pid] = (doc, np.asarray(emb, dtype=np.float32), dict(meta))


class InMemoryKnowledgeGaps:
    """The `KnowledgeGapStore` port in memory: same grouping and order as the SQL store."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, float, datetime]] = []  # team, question, score, when

    def record(self, team: str, question: str, score: float) -> None:
        if question.strip():
            self.rows.append((team, question.strip(), float(score), _now()))

    def gaps(self, limit: int = 50, team: str | None = None) -> list[KnowledgeGap]:
        from coach.adapters.gaps import gap_key  # no SQL import at module load

        groups: dict[str, list[tuple[int, tuple[str, str, float, datetime]]]] = {}
        for n, row in enumerate(self.rows):
            if team is None or row[0] == team:
                groups.setdefault(gap_key(row[1]), []).append((n, row))
        ordered = sorted(groups.values(), key=lambda rows: (-len(rows), -rows[-1][0]))
        return [
            KnowledgeGap(
                question=rows[-1][1][1],
                count=len(rows),
                teams=sorted({r[0] for _, r in rows}),
                best_score=max(r[2] for _, r in rows),
                last_asked=rows[-1][1][3],
            )
            for rows in ordered[:limit]
        ]
