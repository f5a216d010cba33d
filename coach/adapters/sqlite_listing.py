"""Quick listings straight from the SQLite file, with the standard library's `sqlite3`.

`coach sessions`, `coach workshop list|export`, `coach corrections list` and `coach keys list` only read a few rows. Through the full store
they paid for importing SQLAlchemy (about half a second of a one-second command); here they read the same rows
with the same SQL the store's queries compile to, and hand back the same records and summaries
(tests/integration/test_sqlite_listing.py checks them against the full store on one database).

Used only for an SQLite file that exists and is at the schema's head revision (read-only: `mode=ro`, no write
lock taken). Anything else, a PostgreSQL URL, a database still to be created or migrated, goes through the full
store, which migrates first.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coach.adapters.schema_head import head_revision
from coach.domain import Chain, OutcomeMap
from coach.errors import SessionNotFound, WorkshopNotFound
from coach.ports import CorrectionRecord, SessionRecord, WorkshopRecord, WorkshopTotals
from coach.views import WorkshopSummary
from coach.workshops import workshop_map

LIMIT = 100  # as the store's listings


def sqlite_file(url: str) -> Path | None:
    """The database file of an SQLite URL (`sqlite:///path`), None for any other database or an in-memory one."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = url[len(prefix) :]
    return Path(path) if path and path != ":memory:" else None


_SESSION = "id, team, mode, workshop_code, participant, state, version, created_at, updated_at"


def _where(**equal: str | None) -> tuple[str, list[str]]:
    """'WHERE a = ? AND b = ? ' for the filters given (None: no filter), and their values."""
    given = {k: v for k, v in equal.items() if v is not None}
    if not given:
        return "", []
    return "WHERE " + " AND ".join(f"{k} = ?" for k in given) + " ", list(given.values())


def _session(r: Any) -> SessionRecord:
    return SessionRecord(
        id=r[0],
        team=r[1],
        mode=r[2],
        workshop_code=r[3],
        participant=r[4],
        state=dict(json.loads(r[5]) or {}) if r[5] else {},
        version=r[6] or 0,
        created_at=_when(r[7]),
        updated_at=_when(r[8]),
    )


def _when(value: Any) -> datetime:
    """SQLite keeps the store's timezone-aware columns as naive UTC text ('2026-11-29 13:51:39.123456')."""
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


class SqliteListing:
    """Read-only listings over one SQLite database file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def open(cls, url: str) -> SqliteListing | None:
        """A listing reader when `url` names an existing SQLite file at the schema's head; None otherwise."""
        path = sqlite_file(url)
        if path is None or not path.is_file():
            return None
        listing = cls(path)
        try:
            with listing._connect() as db:
                current = {r[0] for r in db.execute("SELECT version_num FROM alembic_version")}
        except sqlite3.Error:
            return None
        return listing if current == {head_revision()} else None

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        uri = f"{self.path.resolve().as_uri()}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True, timeout=5)) as db:
            yield db

    # ----- sessions (the `SessionReader` port: `Records` lists and exports through it) ----------------------
    @contextmanager
    def transaction(self, write: bool = True) -> Iterator[SqliteListing]:
        if write:
            raise ValueError("the quick listing reader only reads")
        yield self

    def list_sessions(self, team: str | None, workshop: str | None = None, limit: int = LIMIT) -> list[SessionRecord]:
        clauses, args = _where(team=team, workshop_code=workshop)
        with self._connect() as db:
            rows = db.execute(
                f"SELECT {_SESSION} FROM sessions {clauses}ORDER BY updated_at DESC LIMIT ?", [*args, limit]
            )
            return [_session(r) for r in rows.fetchall()]

    def get(self, session_id: str, team: str | None, lock: bool = False) -> SessionRecord:
        with self._connect() as db:
            r = db.execute(f"SELECT {_SESSION} FROM sessions WHERE id = ?", [session_id]).fetchone()
        if r is None or (team is not None and r[1] != team):
            raise SessionNotFound(session_id.replace("\x00", "\\0"))
        return _session(r)

    def session_ids_like(self, prefix: str, team: str | None, limit: int = 10) -> list[str]:
        like = prefix.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"
        clauses, args = _where(team=team)
        clauses = f"{clauses}AND " if clauses else "WHERE "
        with self._connect() as db:
            rows = db.execute(f"SELECT id FROM sessions {clauses}id LIKE ? ESCAPE '/' LIMIT ?", [*args, like, limit])
            return [r[0] for r in rows.fetchall()]

    def chains(self, session_id: str) -> list[Chain]:
        with self._connect() as db:
            rows = db.execute("SELECT data FROM chains WHERE session_id = ? ORDER BY position", [session_id])
            return [Chain.model_validate_json(data) for (data,) in rows.fetchall()]

    def count_chains(self, session_ids: Sequence[str]) -> dict[str, int]:
        if not session_ids:
            return {}
        marks = ", ".join("?" * len(session_ids))
        with self._connect() as db:
            counts = dict(
                db.execute(
                    f"SELECT session_id, count(*) FROM chains WHERE session_id IN ({marks}) GROUP BY session_id",
                    list(session_ids),
                ).fetchall()
            )
        return {sid: int(counts.get(sid, 0)) for sid in session_ids}

    # ----- workshops ----------------------------------------------------------------------------------------
    def workshops(self, team: str | None, limit: int = LIMIT) -> list[WorkshopRecord]:
        where, args = _where(team=team)
        with self._connect() as db:
            rows = db.execute(
                f"SELECT code, team, title, created_at, status FROM workshops {where}"
                "ORDER BY created_at DESC, id DESC LIMIT ?",
                [*args, limit],
            ).fetchall()
        return [WorkshopRecord(r[0], r[1], r[2], _when(r[3]), r[4] or "live") for r in rows]

    def workshop(self, code: str, team: str | None = None) -> WorkshopRecord | None:
        """As the store's: the code in any case; None when missing or another team's."""
        with self._connect() as db:
            r = db.execute(
                "SELECT code, team, title, created_at, status FROM workshops WHERE code = ? LIMIT 1", [code.upper()]
            ).fetchone()
        if r is None or (team is not None and r[1] != team):
            return None
        return WorkshopRecord(r[0], r[1], r[2], _when(r[3]), r[4] or "live")

    def workshop_chains(self, code: str) -> list[tuple[str, Chain]]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT c.data, c.session_id, s.participant FROM chains AS c JOIN sessions AS s ON s.id = c.session_id "
                "WHERE s.workshop_code = ? ORDER BY s.created_at, s.id, c.position",
                [code],
            ).fetchall()
        return [(name or sid[:6], Chain.model_validate_json(data)) for data, sid, name in rows]

    def workshop_map(self, code: str, team: str | None = None) -> OutcomeMap:
        w = self.workshop(code, team)
        if w is None:
            raise WorkshopNotFound(code)
        return workshop_map(w, self.workshop_chains(w.code))

    def workshop_totals(self, code: str) -> WorkshopTotals:
        with self._connect() as db:
            (participants,) = db.execute("SELECT count(*) FROM sessions WHERE workshop_code = ?", [code]).fetchone()
            by_label = dict(
                db.execute(
                    "SELECT st.label, count(*) FROM statements AS st JOIN sessions AS s ON s.id = st.session_id "
                    "WHERE s.workshop_code = ? GROUP BY st.label",
                    [code],
                ).fetchall()
            )
            (last_id,) = db.execute(
                "SELECT max(st.id) FROM statements AS st JOIN sessions AS s ON s.id = st.session_id "
                "WHERE s.workshop_code = ?",
                [code],
            ).fetchone()
            chains, changed = db.execute(
                "SELECT count(c.id), max(c.updated_at) FROM chains AS c JOIN sessions AS s ON s.id = c.session_id "
                "WHERE s.workshop_code = ?",
                [code],
            ).fetchone()
        return WorkshopTotals.of(participants, by_label, last_id, chains, _when(changed) if changed else None)

    def workshop_summaries(self, team: str | None) -> list[WorkshopSummary]:
        return [WorkshopSummary.of(w, self.workshop_totals(w.code)) for w in self.workshops(team)]

    # ----- API keys (what `coach keys list` shows; never the key or its hash) --------------------------------
    def api_keys(self, include_revoked: bool = True) -> list[dict[str, Any]]:
        """As the key store's listing, ordered by team and creation; `created_at` naive UTC, as SQLite hands it
        back through the store."""
        where = "" if include_revoked else "WHERE revoked = 0 "
        with self._connect() as db:
            rows = db.execute(
                f"SELECT prefix, team, kind, origins, name, created_at, revoked FROM api_keys {where}"
                "ORDER BY team, created_at"
            ).fetchall()
        return [
            {
                "prefix": r[0],
                "team": r[1],
                "kind": r[2],
                "origins": list(json.loads(r[3]) or []) if r[3] else [],
                "name": r[4] or "",
                "created_at": datetime.fromisoformat(str(r[5])),
                "revoked": bool(r[6]),
            }
            for r in rows
        ]

    # ----- corrections --------------------------------------------------------------------------------------
    def records(self, team: str | None = None, status: str | None = None, limit: int = LIMIT) -> list[CorrectionRecord]:
        """As `CorrectionStore.records`: newest first, optionally one team's or one status's."""
        where, args = _where(team=team, status=status)
        with self._connect() as db:
            rows = db.execute(
                "SELECT id, text, label, team, source, session_id, created_at, status, changed_at, changed_by "
                f"FROM corrections {where}ORDER BY id DESC LIMIT ?",
                [*args, limit],
            ).fetchall()
        return [
            CorrectionRecord(
                id=r[0],
                text=r[1],
                label=r[2],
                team=r[3],
                source=r[4],
                session_id=r[5],
                created_at=_when(r[6]),
                status=r[7] or "active",
                changed_at=_when(r[8]) if r[8] else None,
                changed_by=r[9],
            )
            for r in rows
        ]
