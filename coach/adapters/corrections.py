"""The `CorrectionStore` port over SQL: corrections per team, their review status, and a cheap change stamp."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, bindparam, case, func, or_, select

from coach.adapters.sql import CorrectionRow, Database, utcnow
from coach.adapters.workshop_queries import _aware
from coach.ports import CorrectionRecord
from coach.text import normalise

STATUSES = ("active", "promoted", "reverted")


def correction_record(row: CorrectionRow) -> CorrectionRecord:
    return CorrectionRecord(
        id=row.id,
        text=row.text,
        label=row.label,
        team=row.team,
        source=row.source,
        session_id=row.session_id,
        created_at=_aware(row.created_at),
        status=row.status or "active",
        changed_at=_aware(row.changed_at) if row.changed_at else None,
        changed_by=row.changed_by,
    )


def _stamps_query() -> Select[Any]:  # one row of six aggregates
    promoted = CorrectionRow.changed_at.is_not(None)
    own = CorrectionRow.team == bindparam("team")
    return select(
        *(
            agg
            for cond in (promoted, own)
            for agg in (
                func.count(case((cond, 1))),
                func.coalesce(func.sum(case((cond, CorrectionRow.id))), 0),
                func.max(case((cond, CorrectionRow.changed_at))),
            )
        )
    ).where(or_(promoted, own))


_STAMPS = _stamps_query()


class SqlCorrectionStore:
    """The `CorrectionStore` port over SQL."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(
        self, text: str, label: str, team: str = "local", source: str = "cli", session_id: str | None = None
    ) -> int:
        with self.db.tx() as s:
            row = CorrectionRow(
                text=text, normalised=normalise(text), label=label, team=team, source=source, session_id=session_id
            )
            s.add(row)
            s.flush()
            return int(row.id)

    def latest(self, team: str | None = None) -> dict[str, tuple[str, str]]:
        """normalised text → (text, label): the newest wins (see the port)."""
        q = select(CorrectionRow.normalised, CorrectionRow.text, CorrectionRow.label)
        if team is None:
            q = q.where(CorrectionRow.status == "promoted")
        else:
            q = q.where(CorrectionRow.team == team, CorrectionRow.status != "reverted")
        with self.db.tx(write=False) as s:
            return {n: (t, lab) for n, t, lab in s.execute(q.order_by(CorrectionRow.id)).all()}

    def records(self, team: str | None = None, status: str | None = None, limit: int = 100) -> list[CorrectionRecord]:
        q = select(CorrectionRow)
        if team is not None:
            q = q.where(CorrectionRow.team == team)
        if status is not None:
            q = q.where(CorrectionRow.status == status)
        with self.db.tx(write=False) as s:
            return [correction_record(r) for r in s.scalars(q.order_by(CorrectionRow.id.desc()).limit(limit))]

    def get(self, correction_id: int) -> CorrectionRecord | None:
        with self.db.tx(write=False) as s:
            row = s.get(CorrectionRow, correction_id)
            return correction_record(row) if row is not None else None

    def set_status(self, correction_id: int, status: str, by: str) -> CorrectionRecord | None:
        if status not in STATUSES:
            raise ValueError(f"unknown correction status {status!r}")
        with self.db.tx() as s:
            row = s.get(CorrectionRow, correction_id, with_for_update=not self.db.is_sqlite)
            if row is None:
                return None
            row.status, row.changed_at, row.changed_by = status, utcnow(), by[:100]
            s.flush()
            return correction_record(row)

    def teams(self) -> dict[str, int]:
        q = (
            select(CorrectionRow.team, func.count())
            .where(CorrectionRow.status != "reverted")
            .group_by(CorrectionRow.team)
        )
        with self.db.tx(write=False) as s:
            return {str(t): int(n) for t, n in s.execute(q).all()}

    def stamp(self, team: str | None) -> tuple[int, int, str]:
        """(rows, sum of their ids, newest status change): any add, delete or status change moves it."""
        # team None (the promoted): a promotion and a revert both stamp changed_at, so a promoted row's leaving
        # is seen too.
        which = CorrectionRow.changed_at.is_not(None) if team is None else CorrectionRow.team == team
        q = select(func.count(), func.coalesce(func.sum(CorrectionRow.id), 0), func.max(CorrectionRow.changed_at))
        q = q.where(which)
        with self.db.tx(write=False) as s:
            n, total, changed = s.execute(q).one()
        return int(n), int(total), str(changed or "")

    def stamps(self, team: str) -> tuple[tuple[int, int, str], tuple[int, int, str]]:
        """Both stamps a turn needs in one statement (one round trip, no write lock), built once."""
        with self.db.tx(write=False) as s:
            n1, t1, c1, n2, t2, c2 = tuple(s.connection().execute(_STAMPS, {"team": team}).one())
        return (int(n1), int(t1), str(c1 or "")), (int(n2), int(t2), str(c2 or ""))
