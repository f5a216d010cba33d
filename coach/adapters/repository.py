"""The session store over SQL (the `SessionStore` port); the correction store is in `corrections.py`."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coach.adapters.corrections import SqlCorrectionStore, correction_record
from coach.adapters.sql import (
    ChainRow,
    CorrectionRow,
    Database,
    ExternalThreadRow,
    SessionRow,
    StatementRow,
    TurnRow,
    utcnow,
)
from coach.adapters.workshop_queries import WorkshopQueries, _aware
from coach.domain import Chain, Classification, CoachReply, Turn
from coach.errors import Conflict, SessionNotFound
from coach.ports import (
    CorrectionRecord,
    SessionRecord,
    ThreadRecord,
)
from coach.text import normalise

__all__ = ["SqlCorrectionStore", "SqlSessionStore", "SqlSessionTx"]

# The statements every turn runs, built once and executed on the transaction's connection (SQLAlchemy Core): the
# ORM's unit of work costs several times as much CPU per statement, and a turn runs a handful of them.
_SESSIONS = cast(Table, SessionRow.__table__)
_TURNS = cast(Table, TurnRow.__table__)
_STATEMENTS = cast(Table, StatementRow.__table__)
_CHAINS = cast(Table, ChainRow.__table__)
_GET = select(_SESSIONS).where(_SESSIONS.c.id == bindparam("sid"))
_GET_LOCKED = _GET.with_for_update()  # PostgreSQL: row lock; SQLite: BEGIN IMMEDIATE already serialises writers
_SAVE_STATE = (
    update(_SESSIONS)
    .where(_SESSIONS.c.id == bindparam("sid"), _SESSIONS.c.version == bindparam("old"))
    .values(state=bindparam("state"), version=bindparam("new"), updated_at=bindparam("now"))
)
_NEXT_SEQ = select(func.coalesce(func.max(_TURNS.c.seq), 0)).where(_TURNS.c.session_id == bindparam("sid"))
_CHAIN_DATA = select(_CHAINS.c.data).where(_CHAINS.c.session_id == bindparam("sid")).order_by(_CHAINS.c.position)
_ADD_TURN, _ADD_STATEMENT, _ADD_CHAIN = insert(_TURNS), insert(_STATEMENTS), insert(_CHAINS)


def _session(row: Any) -> SessionRecord:
    """A session row (ORM object or Core row) as the port's record."""
    return SessionRecord(
        id=row.id,
        team=row.team,
        mode=row.mode,
        workshop_code=row.workshop_code,
        participant=row.participant,
        state=dict(row.state or {}),
        version=row.version or 0,
        created_at=_aware(row.created_at),
        updated_at=_aware(row.updated_at),
    )


def _thread(row: ExternalThreadRow) -> ThreadRecord:
    return ThreadRecord(team=row.team, external_id=row.external_id, session_id=row.session_id, extra=row.extra or {})


class SqlSessionTx(WorkshopQueries):
    """One transaction on the SQL store (the `SessionTx` port); the workshop queries live in their own module."""

    def __init__(self, s: Session) -> None:
        self.s = s

    # ----- sessions -------------------------------------------------------------------------------------
    def create(
        self, team: str, mode: str, workshop: str | None, participant: str, state: dict[str, Any]
    ) -> SessionRecord:
        row = SessionRow(
            id=uuid.uuid4().hex, team=team, mode=mode, workshop_code=workshop, participant=participant, state=state
        )
        self.s.add(row)
        self.s.flush()
        return _session(row)

    def get(self, session_id: str, team: str | None, lock: bool = False) -> SessionRecord:
        if "\x00" in session_id:  # PostgreSQL refuses NUL in a string: no id holds one, so it is simply not found
            raise SessionNotFound(session_id.replace("\x00", "\\0"))
        row = self.s.connection().execute(_GET_LOCKED if lock else _GET, {"sid": session_id}).first()
        if row is None or (team is not None and row.team != team):
            raise SessionNotFound(session_id)
        return _session(row)

    def save_state(self, record: SessionRecord, state: dict[str, Any]) -> None:
        """Store the new state if nobody else saved since `record` was read (compare-and-set on `version`)."""
        now = utcnow()
        done = self.s.connection().execute(
            _SAVE_STATE,
            {"sid": record.id, "old": record.version, "state": state, "new": record.version + 1, "now": now},
        )
        if getattr(done, "rowcount", 1) != 1:
            raise Conflict(
                f"Session {record.id} changed while this turn was being worked out.", "Send the message again."
            )
        record.state, record.version, record.updated_at = state, record.version + 1, now

    def list_sessions(self, team: str | None, workshop: str | None = None, limit: int = 100) -> list[SessionRecord]:
        q = select(SessionRow).order_by(SessionRow.updated_at.desc()).limit(limit)
        if team is not None:
            q = q.where(SessionRow.team == team)
        if workshop is not None:
            q = q.where(SessionRow.workshop_code == workshop)
        return [_session(r) for r in self.s.scalars(q).all()]

    def delete(self, session_id: str, team: str | None) -> list[int]:
        """Delete a session and everything that came from it; returns the ids of the corrections removed."""
        self.get(session_id, team, lock=True)
        removed = [
            int(i) for (i,) in self.s.execute(select(CorrectionRow.id).where(CorrectionRow.session_id == session_id))
        ]
        for table in (StatementRow, ChainRow, TurnRow, ExternalThreadRow):
            self.s.execute(delete(table).where(table.session_id == session_id))
        self.s.execute(delete(CorrectionRow).where(CorrectionRow.session_id == session_id))
        self.s.execute(delete(SessionRow).where(SessionRow.id == session_id))
        return removed

    def session_ids_like(self, prefix: str, team: str | None, limit: int = 10) -> list[str]:
        if "\x00" in prefix:
            return []
        q = select(SessionRow.id).where(SessionRow.id.startswith(prefix, autoescape=True)).limit(limit)
        if team is not None:
            q = q.where(SessionRow.team == team)
        return list(self.s.scalars(q).all())

    # ----- chains -----------------------------------------------------------------------------------------
    def chains(self, session_id: str) -> list[Chain]:
        rows = self.s.connection().execute(_CHAIN_DATA, {"sid": session_id})
        return [Chain.model_validate(data) for (data,) in rows]

    def count_chains(self, session_ids: Sequence[str]) -> dict[str, int]:
        if not session_ids:
            return {}
        q = (
            select(ChainRow.session_id, func.count())
            .where(ChainRow.session_id.in_(list(session_ids)))
            .group_by(ChainRow.session_id)
        )
        counts = {sid: int(n) for sid, n in self.s.execute(q).all()}
        return {sid: counts.get(sid, 0) for sid in session_ids}

    def save_chains(self, session_id: str, chains: list[Chain], before: list[Chain] | None = None) -> None:
        """Store the session's chains. With `before` (the chains as read at the version being saved over), only
        the differences are written, without reading the rows again."""
        if before is None:
            old = {
                r.id: (r.position, r.data)
                for r in self.s.scalars(select(ChainRow).where(ChainRow.session_id == session_id))
            }
        else:
            old = {c.id: (pos, c.model_dump(mode="json")) for pos, c in enumerate(before)}
        gone = set(old) - {c.id for c in chains}
        if gone:
            self.s.execute(delete(ChainRow).where(ChainRow.session_id == session_id, ChainRow.id.in_(gone)))
        new_rows = []
        for pos, c in enumerate(chains):
            data = c.model_dump(mode="json")
            found = old.get(c.id)
            if found is None:
                new_rows.append({"id": c.id, "session_id": session_id, "position": pos, "data": data})
            elif found != (pos, data):
                self.s.execute(
                    update(ChainRow).where(ChainRow.id == c.id).values(data=data, position=pos, updated_at=utcnow())
                )
        if new_rows:
            self.s.connection().execute(_ADD_CHAIN, new_rows)

    # ----- turns and statements ---------------------------------------------------------------------------
    def _next_seq(self, session_id: str) -> int:
        return int(self.s.connection().execute(_NEXT_SEQ, {"sid": session_id}).scalar() or 0) + 1

    def reply_for_key(self, session_id: str, client_key: str) -> tuple[CoachReply, str] | None:
        row = self.s.scalars(
            select(TurnRow).where(
                TurnRow.session_id == session_id, TurnRow.client_key == client_key, TurnRow.role == "coach"
            )
        ).first()
        if row is None or not row.reply:
            return None
        return CoachReply.model_validate(row.reply), row.fingerprint or ""

    def add_turns(
        self,
        session_id: str,
        user_text: str | None,
        reply: CoachReply,
        client_key: str | None = None,
        fingerprint: str | None = None,
    ) -> int:
        seq = self._next_seq(session_id)
        now = utcnow()
        rows: list[dict[str, Any]] = []
        if user_text is not None:
            rows.append({"session_id": session_id, "seq": seq, "role": "user", "text": user_text, "reply": None,
                         "client_key": None, "fingerprint": None, "created_at": now})  # fmt: skip
            seq += 1
        rows.append({"session_id": session_id, "seq": seq, "role": "coach", "text": reply.text,
                     "reply": reply.model_dump(mode="json"), "client_key": client_key, "fingerprint": fingerprint,
                     "created_at": now})  # fmt: skip
        self.s.flush()  # anything the ORM holds for this transaction goes first
        self.s.connection().execute(_ADD_TURN, rows)
        return seq

    def add_statements(self, session_id: str, seq: int, items: list[Classification]) -> None:
        if items:
            rows = [
                {"session_id": session_id, "turn_seq": seq, "text": c.text, "label": c.label,
                 "confidence": c.confidence, "needs_clarification": c.needs_clarification, "created_at": utcnow()}
                for c in items
            ]  # fmt: skip
            self.s.connection().execute(_ADD_STATEMENT, rows)

    def turns(self, session_id: str) -> list[Turn]:
        rows = self.s.scalars(select(TurnRow).where(TurnRow.session_id == session_id).order_by(TurnRow.seq)).all()
        return [
            Turn(
                role="user" if r.role == "user" else "coach",
                text=r.text,
                at=_aware(r.created_at),
                reply=CoachReply.model_validate(r.reply) if r.reply else None,
            )
            for r in rows
        ]

    def add_correction(self, text: str, label: str, team: str, source: str, session_id: str | None) -> CorrectionRecord:
        row = CorrectionRow(
            text=text, normalised=normalise(text), label=label, team=team, source=source, session_id=session_id
        )
        self.s.add(row)
        self.s.flush()
        return correction_record(row)

    # ----- external threads -------------------------------------------------------------------------------
    def thread(self, team: str, external_id: str) -> ThreadRecord | None:
        row = self.s.scalars(
            select(ExternalThreadRow).where(
                ExternalThreadRow.team == team, ExternalThreadRow.external_id == external_id
            )
        ).first()
        return _thread(row) if row else None

    def bind_thread(self, team: str, external_id: str, session_id: str, extra: dict[str, Any]) -> ThreadRecord:
        row = ExternalThreadRow(team=team, external_id=external_id, session_id=session_id, extra=extra)
        self.s.add(row)
        self.s.flush()
        return _thread(row)

    def threads(self, team: str, prefix: str, limit: int = 1) -> list[ThreadRecord]:
        q = (
            select(ExternalThreadRow)
            .join(SessionRow, SessionRow.id == ExternalThreadRow.session_id)
            .where(ExternalThreadRow.team == team, ExternalThreadRow.external_id.startswith(prefix, autoescape=True))
            .order_by(SessionRow.updated_at.desc(), ExternalThreadRow.id.desc())
            .limit(limit)
        )
        return [_thread(r) for r in self.s.scalars(q).all()]

    def thread_of(self, session_id: str) -> ThreadRecord | None:
        row = self.s.scalars(select(ExternalThreadRow).where(ExternalThreadRow.session_id == session_id)).first()
        return _thread(row) if row else None


class SqlSessionStore:
    """The `SessionStore` port over SQLAlchemy (SQLite by default, PostgreSQL for several workers)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @contextmanager
    def transaction(self, write: bool = True) -> Iterator[SqlSessionTx]:
        try:
            with self.db.tx(write=write) as s:
                yield SqlSessionTx(s)
        except IntegrityError as exc:
            raise Conflict(
                "Another request changed the same record at the same moment.", "Send the request again."
            ) from exc

    def ping(self) -> bool:
        return self.db.ping()
