"""Trainer workshops: create, list, start / close / reset, the live view and the map.

The live view is asked for about once a second per open trainer tab, so it is built from SQL-side queries
(`workshop_totals`, `workshop_statements`, `workshop_chains`) and never reads a session's state.

"Worth discussing" is wider than "the coach would ask": the coach asks below `clarify_below` (0.65), which a
well-calibrated classifier rarely reaches, so a workshop's panel stayed empty even for a 69 % call. For a debrief,
every close call is worth a conversation: below `DISCUSS_BELOW` (0.8), or flagged.
"""

from __future__ import annotations

from coach.domain import Chain, OutcomeMap
from coach.errors import InvalidInput, WorkshopClosed, WorkshopNotFound
from coach.outcome_map import build_map
from coach.ports import SessionStore, StatementRecord, WorkshopRecord, WorkshopTotals
from coach.text import _CONTROL
from coach.views import WorkshopStatement, WorkshopSummary, WorkshopView

DISCUSS_BELOW = 0.8
UNSURE_SHOWN = 50  # the newest ones; a panel, not an archive
STATUSES = ("waiting", "live", "closed")


def workshop_map(w: WorkshopRecord, chains: list[tuple[str, Chain]]) -> OutcomeMap:
    """The whole workshop's outcome map from its chains, each named after its participant."""
    return build_map(named_chains(chains), title=f"Outcome map — {w.title}")


def named_chains(rows: list[tuple[str, Chain]]) -> list[Chain]:
    return [c.model_copy(update={"participant": name}) for name, c in rows]


def _statement(a: StatementRecord) -> WorkshopStatement:
    return WorkshopStatement(
        id=a.id,
        session_id=a.session_id,
        participant=a.participant,
        text=a.text,
        label=a.label,
        confidence=a.confidence,
        needs_clarification=a.needs_clarification,
        at=a.created_at.isoformat(),
    )


def reached(c: Chain) -> bool:
    """A chain worth showing as progress: it climbed a rung or named an outcome."""
    return bool(c.outcome or c.rungs)


def stuck(c: Chain) -> bool:
    """An output that has not reached an outcome: open, skipped, unresolved or kept as a commitment."""
    return c.origin_label == "output" and not c.outcome


class Workshops:
    def __init__(self, store: SessionStore, discuss_below: float = DISCUSS_BELOW) -> None:
        self.store = store
        self.discuss_below = discuss_below

    # ----- lifecycle ------------------------------------------------------------------------------------------
    def create(self, team: str, title: str = "", start: bool = True) -> dict[str, str]:
        title = " ".join(_CONTROL.sub("", title).split())[:200] or "Outputs to outcomes workshop"
        with self.store.transaction() as tx:
            w = tx.create_workshop(team, title, "live" if start else "waiting")
            return {"code": w.code, "title": w.title, "team": w.team, "status": w.status}

    def get(self, code: str, team: str | None) -> WorkshopRecord:
        with self.store.transaction(write=False) as tx:
            w = tx.workshop(code, team)
        if w is None:
            raise WorkshopNotFound(code)
        return w

    def joinable(self, code: str) -> WorkshopRecord:
        """The workshop a participant may join now; otherwise WorkshopNotFound (404) or WorkshopClosed (409)."""
        w = self.get(code, None)
        if w.status != "live":
            raise WorkshopClosed(w.code, w.status)
        return w

    def set_status(self, code: str, team: str | None, status: str) -> WorkshopRecord:
        """Start (live) or close a workshop. Closing stops new participants; nobody's words are lost."""
        if status not in STATUSES:
            raise InvalidInput(f"Unknown workshop status '{status}'.", f"Use one of: {', '.join(STATUSES)}.")
        w = self.get(code, team)
        with self.store.transaction() as tx:
            tx.set_workshop_status(w.code, status)
        w.status = status
        return w

    def reset(self, code: str, team: str | None) -> int:
        """Remove every participant's session (and what they wrote); the code and title stay. Returns how many."""
        w = self.get(code, team)
        with self.store.transaction() as tx:
            ids = tx.workshop_session_ids(w.code)
            for sid in ids:
                tx.delete(sid, None)
            if w.status == "closed":
                tx.set_workshop_status(w.code, "waiting")
        return len(ids)

    def summaries(self, team: str | None) -> list[WorkshopSummary]:
        with self.store.transaction(write=False) as tx:
            rows = [(w, tx.workshop_totals(w.code)) for w in tx.workshops(team)]
        return [WorkshopSummary.of(w, t) for w, t in rows]

    # ----- the trainer's view ---------------------------------------------------------------------------------
    def totals(self, code: str, team: str | None = None) -> tuple[str, WorkshopTotals]:
        """Cheap (aggregates only): the status and totals the live page polls to learn whether anything changed."""
        with self.store.transaction(write=False) as tx:
            w = tx.workshop(code, team)
            if w is None:
                raise WorkshopNotFound(code)
            return w.status, tx.workshop_totals(w.code)

    def view(self, code: str, team: str | None = None, after_id: int = 0) -> WorkshopView:
        with self.store.transaction(write=False) as tx:
            w = tx.workshop(code, team)
            if w is None:
                raise WorkshopNotFound(code)
            totals = tx.workshop_totals(w.code)
            new = tx.workshop_statements(w.code, after_id=after_id)
            unsure = tx.workshop_statements(
                w.code, unsure_below=self.discuss_below, newest_first=True, limit=UNSURE_SHOWN
            )
            chains = named_chains(tx.workshop_chains(w.code))
        return WorkshopView(
            code=w.code,
            title=w.title,
            team=w.team,
            status=w.status,
            participants=totals.participants,
            counts={"output": totals.outputs, "outcome": totals.outcomes},
            statements=[_statement(a) for a in new],
            unsure=[_statement(a) for a in unsure],
            chains=[c for c in chains if reached(c)],
            stuck=[c for c in chains if stuck(c)],
            measures=sorted({m.name for c in chains for m in c.measures}),
            last_id=max(totals.last_id, after_id),
        )

    def map(self, code: str, team: str | None = None) -> OutcomeMap:
        w = self.get(code, team)
        with self.store.transaction(write=False) as tx:
            return workshop_map(w, tx.workshop_chains(w.code))
