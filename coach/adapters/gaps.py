"""The `KnowledgeGapStore` port over SQL: one row per uncovered question asked, grouped when listed."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import func, select

from coach.adapters.sql import Database, KnowledgeGapRow
from coach.ports import KnowledgeGap
from coach.text import normalise

MAX_QUESTION = 2000


def gap_key(question: str) -> str:
    """Questions that differ only in case, spacing or punctuation count as one."""
    return re.sub(r"[\s?!.,;:]+$", "", normalise(question))[:500]


class SqlKnowledgeGaps:
    def __init__(self, db: Database) -> None:
        self.db = db

    def record(self, team: str, question: str, score: float) -> None:
        text = question.strip()[:MAX_QUESTION]
        if not text:
            return
        with self.db.tx() as s:
            s.add(KnowledgeGapRow(team=team[:100], question=text, normalised=gap_key(text), score=float(score)))

    def gaps(self, limit: int = 50, team: str | None = None) -> list[KnowledgeGap]:
        """Most frequent first (then most recent); the wording shown is the latest one asked."""
        with self.db.tx() as s:
            q = select(
                KnowledgeGapRow.normalised,
                func.count(KnowledgeGapRow.id),
                func.max(KnowledgeGapRow.score),
                func.max(KnowledgeGapRow.created_at),
                func.max(KnowledgeGapRow.id),
            ).group_by(KnowledgeGapRow.normalised)
            if team is not None:
                q = q.where(KnowledgeGapRow.team == team)
            rows = s.execute(
                q.order_by(func.count(KnowledgeGapRow.id).desc(), func.max(KnowledgeGapRow.id).desc()).limit(limit)
            ).all()
            out: list[KnowledgeGap] = []
            for key, count, best, last, last_id in rows:
                wording = s.get(KnowledgeGapRow, last_id)
                teams_q = select(KnowledgeGapRow.team).where(KnowledgeGapRow.normalised == key).distinct()
                if team is not None:
                    teams_q = teams_q.where(KnowledgeGapRow.team == team)
                teams = sorted(s.scalars(teams_q).all())
                out.append(
                    KnowledgeGap(
                        question=wording.question if wording else key,
                        count=int(count),
                        teams=teams,
                        best_score=float(best),
                        last_asked=_aware(last),
                    )
                )
            return out


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)
