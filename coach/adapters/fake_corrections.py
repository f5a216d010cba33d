"""The `CorrectionStore` port in memory (re-exported by `coach/adapters/fakes.py`)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from coach.ports import CorrectionRecord
from coach.text import normalise

if TYPE_CHECKING:
    from coach.adapters.fakes import InMemorySessionStore


class InMemoryCorrections:
    """The `CorrectionStore` port in memory; shares its list with an `InMemorySessionStore` when given one."""

    def __init__(self, store: InMemorySessionStore | None = None) -> None:
        if store is None:
            from coach.adapters.fakes import InMemorySessionStore

            store = InMemorySessionStore()
        self.store = store

    @property
    def _rows(self) -> list[CorrectionRecord]:
        return self.store.data.corrections

    def add(
        self, text: str, label: str, team: str = "local", source: str = "cli", session_id: str | None = None
    ) -> int:
        with self.store.transaction() as tx:
            return tx.add_correction(text, label, team, source, session_id).id

    def latest(self, team: str | None = None) -> dict[str, tuple[str, str]]:
        if team is None:
            rows = [c for c in self._rows if c.status == "promoted"]
        else:
            rows = [c for c in self._rows if c.team == team and c.status != "reverted"]
        return {normalise(c.text): (c.text, c.label) for c in sorted(rows, key=lambda c: c.id)}

    def records(self, team: str | None = None, status: str | None = None, limit: int = 100) -> list[CorrectionRecord]:
        rows = [c for c in self._rows if (team is None or c.team == team) and (status is None or c.status == status)]
        return [dataclasses.replace(c) for c in sorted(rows, key=lambda c: -c.id)[:limit]]

    def get(self, correction_id: int) -> CorrectionRecord | None:
        found = next((c for c in self._rows if c.id == correction_id), None)
        return dataclasses.replace(found) if found else None

    def set_status(self, correction_id: int, status: str, by: str) -> CorrectionRecord | None:
        if status not in ("active", "promoted", "reverted"):
            raise ValueError(f"unknown correction status {status!r}")
        with self.store.transaction() as tx:
            found = next((c for c in tx.d.corrections if c.id == correction_id), None)
            if found is None:
                return None
            found.status, found.changed_at, found.changed_by = status, datetime.now(UTC), by[:100]
            return dataclasses.replace(found)

    def teams(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self._rows:
            if c.status != "reverted":
                out[c.team] = out.get(c.team, 0) + 1
        return out

    def stamp(self, team: str | None) -> tuple[int, int, str]:
        if team is None:
            rows = [c for c in self._rows if c.changed_at is not None]
        else:
            rows = [c for c in self._rows if c.team == team]
        changed = max((c.changed_at for c in rows if c.changed_at), default=None)
        return len(rows), sum(c.id for c in rows), str(changed or "")

    def stamps(self, team: str) -> tuple[tuple[int, int, str], tuple[int, int, str]]:
        return self.stamp(None), self.stamp(team)
