"""Workshop queries of the SQL session store: what a trainer's page needs, fetched in SQL.

The live page asks about once a second per open tab, so nothing here reads or decodes a session's state: the
statements come from `statements` joined to the participant's name, the totals are aggregates, and the chains
are read from `chains` alone.
"""

from __future__ import annotations

import secrets
import string
from datetime import UTC, datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from coach.adapters.sql import ChainRow, SessionRow, StatementRow, WorkshopRow
from coach.domain import Chain
from coach.errors import InvalidInput
from coach.ports import StatementRecord, WorkshopRecord, WorkshopTotals


def _aware(dt: datetime) -> datetime:
    """SQLite hands back naive datetimes for timezone-aware columns: everything stored is UTC."""
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def _workshop(row: WorkshopRow) -> WorkshopRecord:
    return WorkshopRecord(row.code, row.team, row.title, _aware(row.created_at), row.status or "live")


class WorkshopQueries:
    """Mixed into `SqlSessionTx`: the workshop half of the `SessionTx` port."""

    s: Session

    def create_workshop(self, team: str, title: str, status: str = "live") -> WorkshopRecord:
        alphabet = string.ascii_uppercase.replace("O", "").replace("I", "") + "23456789"
        for _ in range(20):
            code = "".join(secrets.choice(alphabet) for _ in range(6))
            if self.s.scalar(select(func.count()).where(WorkshopRow.code == code)) == 0:
                row = WorkshopRow(code=code, team=team, title=title, status=status)
                self.s.add(row)
                self.s.flush()
                return _workshop(row)
        raise InvalidInput("Could not allocate a workshop code.", "Try again.")

    def workshop(self, code: str, team: str | None = None) -> WorkshopRecord | None:
        if "\x00" in code:  # as in `get`: no code holds NUL, and PostgreSQL would refuse to compare it
            return None
        row = self.s.scalars(select(WorkshopRow).where(WorkshopRow.code == code.upper())).first()
        if row is None or (team is not None and row.team != team):
            return None
        return _workshop(row)

    def workshops(self, team: str | None, limit: int = 100) -> list[WorkshopRecord]:
        q = select(WorkshopRow).order_by(WorkshopRow.created_at.desc(), WorkshopRow.id.desc()).limit(limit)
        if team is not None:
            q = q.where(WorkshopRow.team == team)
        return [_workshop(r) for r in self.s.scalars(q).all()]

    def set_workshop_status(self, code: str, status: str) -> None:
        self.s.execute(update(WorkshopRow).where(WorkshopRow.code == code).values(status=status))

    def workshop_statements(
        self,
        code: str,
        after_id: int = 0,
        limit: int | None = None,
        unsure_below: float | None = None,
        newest_first: bool = False,
    ) -> list[StatementRecord]:
        # Only the statements asked for, with the participant's name: no session state is read or decoded.
        q = (
            select(StatementRow, SessionRow.participant)
            .join(SessionRow, SessionRow.id == StatementRow.session_id)
            .where(SessionRow.workshop_code == code, StatementRow.id > after_id)
            .order_by(StatementRow.id.desc() if newest_first else StatementRow.id)
        )
        if unsure_below is not None:
            q = q.where(or_(StatementRow.needs_clarification.is_(True), StatementRow.confidence < unsure_below))
        if limit is not None:
            q = q.limit(limit)
        return [
            StatementRecord(
                id=a.id,
                session_id=a.session_id,
                participant=participant or a.session_id[:6],
                text=a.text,
                label=a.label,
                confidence=a.confidence,
                needs_clarification=a.needs_clarification,
                created_at=_aware(a.created_at),
            )
            for a, participant in self.s.execute(q).all()
        ]

    def workshop_totals(self, code: str) -> WorkshopTotals:
        in_workshop = SessionRow.workshop_code == code
        participants = self.s.scalar(select(func.count()).select_from(SessionRow).where(in_workshop)) or 0
        by_label = dict(
            self.s.execute(
                select(StatementRow.label, func.count())
                .join(SessionRow, SessionRow.id == StatementRow.session_id)
                .where(in_workshop)
                .group_by(StatementRow.label)
            ).all()
        )
        last_id = self.s.scalar(
            select(func.max(StatementRow.id))
            .join(SessionRow, SessionRow.id == StatementRow.session_id)
            .where(in_workshop)
        )
        chains, changed = self.s.execute(
            select(func.count(ChainRow.id), func.max(ChainRow.updated_at))
            .join(SessionRow, SessionRow.id == ChainRow.session_id)
            .where(in_workshop)
        ).one()
        return WorkshopTotals.of(participants, by_label, last_id, chains, _aware(changed) if changed else None)

    def workshop_chains(self, code: str) -> list[tuple[str, Chain]]:
        q = (
            select(ChainRow.data, ChainRow.session_id, SessionRow.participant)
            .join(SessionRow, SessionRow.id == ChainRow.session_id)
            .where(SessionRow.workshop_code == code)
            .order_by(SessionRow.created_at, SessionRow.id, ChainRow.position)
        )
        return [(name or sid[:6], Chain.model_validate(data)) for data, sid, name in self.s.execute(q).all()]

    def workshop_session_ids(self, code: str) -> list[str]:
        q = select(SessionRow.id).where(SessionRow.workshop_code == code).order_by(SessionRow.created_at)
        return list(self.s.scalars(q).all())
