"""Reading what is stored, without the model: session lists, exports, and short session ids.

Everything here needs only a `SessionStore`, so the CLI commands that list or export (and `coach workshop`) run
without importing the classifier stack or loading the embedding model.
"""

from __future__ import annotations

from coach.domain import OutcomeMap
from coach.errors import InvalidInput, SessionNotFound
from coach.outcome_map import build_map, export
from coach.ports import CorrectionReader, CorrectionRecord, SessionReader
from coach.views import SessionSummary

MIN_PREFIX = 4
CORRECTION_STATUSES = ("active", "promoted", "reverted")


def correction_records(
    store: CorrectionReader, team: str | None = None, status: str | None = None, limit: int = 100
) -> list[CorrectionRecord]:
    """Corrections for review, newest first: what `coach corrections list` and GET /v1/corrections show."""
    if status is not None and status not in CORRECTION_STATUSES:
        raise InvalidInput(f"Unknown status {status!r}.", "Use active, promoted or reverted.")
    if not 1 <= limit <= 1000:
        raise InvalidInput(f"limit must be between 1 and 1000 (got {limit}).", "Ask for fewer corrections.")
    return store.records(team=team, status=status, limit=limit)


class Records:
    def __init__(self, store: SessionReader) -> None:
        self.store = store

    def summaries(self, team: str | None = None) -> list[SessionSummary]:
        with self.store.transaction(write=False) as tx:
            rows = tx.list_sessions(team)
            counts = tx.count_chains([r.id for r in rows])
        return [SessionSummary.of(r, counts.get(r.id, 0)) for r in rows]

    def resolve_session_id(self, prefix: str, team: str | None = None) -> str:
        """The full id of the one session whose id starts with `prefix` (at least 4 characters)."""
        prefix = prefix.strip().lower()
        with self.store.transaction(write=False) as tx:
            if len(prefix) >= 32:
                return tx.get(prefix, team).id
            if len(prefix) < MIN_PREFIX:
                raise InvalidInput(
                    f"'{prefix}' is too short to name a session.",
                    f"Give at least {MIN_PREFIX} characters of the id (see `coach sessions`).",
                )
            found = tx.session_ids_like(prefix, team, limit=6)
        if not found:
            raise SessionNotFound(prefix)
        if len(found) > 1:
            shown = ", ".join(f[:12] for f in found[:5])
            raise InvalidInput(
                f"'{prefix}' matches {len(found) if len(found) < 6 else 'more than 5'} sessions: {shown}….",
                "Type more of the id.",
            )
        return found[0]

    def map(self, session_id: str, team: str | None = None) -> OutcomeMap:
        with self.store.transaction(write=False) as tx:
            tx.get(session_id, team)
            return build_map(tx.chains(session_id))

    def export(self, session_id: str, fmt: str, team: str | None = None) -> str:
        return export(self.map(session_id, team), fmt)
