"""Sessions, turns, chains, statements and workshops in SQL. Every method runs inside a caller's transaction."""

from __future__ import annotations

import secrets
import string
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from coach.adapters.sql import (
    ChainMeasureRow,
    ChainRow,
    CorrectionRow,
    SessionRow,
    StatementRow,
    TurnRow,
    WorkshopRow,
    normalise,
    utcnow,
)
from coach.domain import Chain, Classification, CoachReply, Turn
from coach.errors import InvalidInput, SessionNotFound


class SessionRepository:
    def create(
        self, s: Session, team: str, mode: str, workshop: str | None, participant: str, state: dict[str, Any]
    ) -> SessionRow:
        row = SessionRow(
            id=uuid.uuid4().hex, team=team, mode=mode, workshop_code=workshop, participant=participant, state=state
        )
        s.add(row)
        s.flush()
        return row

    def get(self, s: Session, session_id: str, team: str | None, lock: bool = False) -> SessionRow:
        q = select(SessionRow).where(SessionRow.id == session_id)
        if lock:
            q = q.with_for_update()  # PostgreSQL: row lock; SQLite: BEGIN IMMEDIATE already serialises writers
        row = s.scalars(q).first()
        if row is None or (team is not None and row.team != team):
            raise SessionNotFound(session_id)
        return row

    def chains(self, s: Session, session_id: str) -> list[Chain]:
        rows = s.scalars(select(ChainRow).where(ChainRow.session_id == session_id).order_by(ChainRow.position)).all()
        return [Chain.model_validate(r.data) for r in rows]

    def save_chains(self, s: Session, session_id: str, chains: list[Chain]) -> None:
        existing = {r.id: r for r in s.scalars(select(ChainRow).where(ChainRow.session_id == session_id))}
        keep = {c.id for c in chains}
        for cid, row in existing.items():
            if cid not in keep:
                s.delete(row)
        for pos, c in enumerate(chains):
            data = c.model_dump(mode="json")
            found = existing.get(c.id)
            if found is None:
                s.add(ChainRow(id=c.id, session_id=session_id, position=pos, data=data))
            elif found.data != data or found.position != pos:
                found.data, found.position, found.updated_at = data, pos, utcnow()
            s.execute(delete(ChainMeasureRow).where(ChainMeasureRow.chain_id == c.id))
            for j, m in enumerate(c.measures):
                s.add(
                    ChainMeasureRow(chain_id=c.id, position=j, library_id=m.library_id, data=m.model_dump(mode="json"))
                )
        s.flush()

    def next_seq(self, s: Session, session_id: str) -> int:
        return (
            int(s.scalar(select(func.coalesce(func.max(TurnRow.seq), 0)).where(TurnRow.session_id == session_id)) or 0)
            + 1
        )

    def reply_for_key(self, s: Session, session_id: str, client_key: str) -> CoachReply | None:
        row = s.scalars(
            select(TurnRow).where(
                TurnRow.session_id == session_id, TurnRow.client_key == client_key, TurnRow.role == "coach"
            )
        ).first()
        return CoachReply.model_validate(row.reply) if row and row.reply else None

    def add_turns(
        self, s: Session, session_id: str, user_text: str | None, reply: CoachReply, client_key: str | None = None
    ) -> int:
        seq = self.next_seq(s, session_id)
        if user_text is not None:
            s.add(TurnRow(session_id=session_id, seq=seq, role="user", text=user_text))
            seq += 1
        s.add(
            TurnRow(
                session_id=session_id,
                seq=seq,
                role="coach",
                text=reply.text,
                reply=reply.model_dump(mode="json"),
                client_key=client_key,
            )
        )
        s.flush()
        return seq

    def add_statements(self, s: Session, session_id: str, seq: int, items: list[Classification]) -> None:
        for c in items:
            s.add(
                StatementRow(
                    session_id=session_id,
                    turn_seq=seq,
                    text=c.text,
                    label=c.label,
                    confidence=c.confidence,
                    needs_clarification=c.needs_clarification,
                )
            )

    def add_correction(self, s: Session, text: str, label: str, team: str, source: str, session_id: str | None) -> None:
        s.add(
            CorrectionRow(
                text=text, normalised=normalise(text), label=label, team=team, source=source, session_id=session_id
            )
        )

    def turns(self, s: Session, session_id: str) -> list[Turn]:
        rows = s.scalars(select(TurnRow).where(TurnRow.session_id == session_id).order_by(TurnRow.seq)).all()
        return [
            Turn(
                role="user" if r.role == "user" else "coach",
                text=r.text,
                at=r.created_at,
                reply=CoachReply.model_validate(r.reply) if r.reply else None,
            )
            for r in rows
        ]

    def list_sessions(
        self, s: Session, team: str | None, workshop: str | None = None, limit: int = 100
    ) -> list[SessionRow]:
        q = select(SessionRow).order_by(SessionRow.updated_at.desc()).limit(limit)
        if team is not None:
            q = q.where(SessionRow.team == team)
        if workshop is not None:
            q = q.where(SessionRow.workshop_code == workshop)
        return list(s.scalars(q).all())

    def delete(self, s: Session, session_id: str, team: str | None) -> None:
        row = self.get(s, session_id, team, lock=True)
        s.execute(delete(StatementRow).where(StatementRow.session_id == session_id))
        chain_ids = [c for (c,) in s.execute(select(ChainRow.id).where(ChainRow.session_id == session_id))]
        if chain_ids:
            s.execute(delete(ChainMeasureRow).where(ChainMeasureRow.chain_id.in_(chain_ids)))
        s.execute(delete(ChainRow).where(ChainRow.session_id == session_id))
        s.execute(delete(TurnRow).where(TurnRow.session_id == session_id))
        s.execute(delete(CorrectionRow).where(CorrectionRow.session_id == session_id))
        s.delete(row)

    # ----- workshops ---------------------------------------------------------------------------------
    def create_workshop(self, s: Session, team: str, title: str) -> WorkshopRow:
        alphabet = string.ascii_uppercase.replace("O", "").replace("I", "") + "23456789"
        for _ in range(20):
            code = "".join(secrets.choice(alphabet) for _ in range(6))
            if s.scalar(select(func.count()).where(WorkshopRow.code == code)) == 0:
                row = WorkshopRow(code=code, team=team, title=title)
                s.add(row)
                s.flush()
                return row
        raise InvalidInput("Could not allocate a workshop code.", "Try again.")

    def workshop(self, s: Session, code: str, team: str | None = None) -> WorkshopRow | None:
        row = s.scalars(select(WorkshopRow).where(WorkshopRow.code == code.upper())).first()
        if row is None or (team is not None and row.team != team):
            return None
        return row

    def workshop_statements(self, s: Session, code: str, after_id: int = 0) -> list[tuple[StatementRow, SessionRow]]:
        q = (
            select(StatementRow, SessionRow)
            .join(SessionRow, SessionRow.id == StatementRow.session_id)
            .where(SessionRow.workshop_code == code, StatementRow.id > after_id)
            .order_by(StatementRow.id)
        )
        return [(a, b) for a, b in s.execute(q).all()]

    def touch(self, row: SessionRow, state: dict[str, Any]) -> None:
        row.state = state
        row.version += 1
        row.updated_at = datetime.now(row.updated_at.tzinfo) if row.updated_at and row.updated_at.tzinfo else utcnow()
