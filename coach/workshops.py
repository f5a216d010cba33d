"""Trainer workshops: create, the live view (statements, unsure ones, chains, measures) and the map."""

from __future__ import annotations

from collections import Counter

from coach.domain import OutcomeMap
from coach.errors import WorkshopNotFound
from coach.outcome_map import build_map
from coach.ports import SessionStore
from coach.views import WorkshopStatement, WorkshopView


class Workshops:
    def __init__(self, store: SessionStore) -> None:
        self.store = store

    def create(self, team: str, title: str = "") -> dict[str, str]:
        with self.store.transaction() as tx:
            w = tx.create_workshop(team, title.strip()[:200] or "Outputs to outcomes workshop")
            return {"code": w.code, "title": w.title, "team": w.team}

    def view(self, code: str, team: str | None = None, after_id: int = 0) -> WorkshopView:
        with self.store.transaction() as tx:
            w = tx.workshop(code, team)
            if w is None:
                raise WorkshopNotFound(code)
            rows = tx.workshop_statements(w.code)
            sessions = tx.list_sessions(None, workshop=w.code, limit=1000)
            chains = [c for r in sessions for c in tx.chains(r.id)]
        items = [
            WorkshopStatement(
                id=a.id,
                session_id=a.session_id,
                participant=a.participant,
                text=a.text,
                label=a.label,
                confidence=a.confidence,
                needs_clarification=a.needs_clarification,
                at=a.created_at.isoformat(),
            )
            for a in rows
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

    def map(self, code: str, team: str | None = None) -> OutcomeMap:
        view = self.view(code, team)
        return build_map(view.chains, title=f"Outcome map — {view.title}")
