"""The CLI's quick listings (coach/adapters/sqlite_listing.py, plain `sqlite3`) read exactly what the full store
reads: the same sessions, workshops with their counts, and corrections, in the same order, for every team filter,
on one database written through the store. And they step aside for anything they cannot read safely."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.adapters.corrections import SqlCorrectionStore
from coach.adapters.repository import SqlSessionStore
from coach.adapters.sql import Database
from coach.adapters.sqlite_listing import SqliteListing, sqlite_file
from coach.domain import Chain, Classification
from coach.errors import CoachError, WorkshopNotFound
from coach.records import Records, correction_records
from coach.workshops import Workshops


def _statement(text: str, label: str, confidence: float) -> Classification:
    return Classification(text=text, label=label, confidence=confidence, rationale="test")  # type: ignore[arg-type]


@pytest.fixture
def written(tmp_path: Path) -> Iterator[tuple[str, Database]]:
    """A database with two teams' sessions (with chains, statements and a workshop) and corrections."""
    url = f"sqlite:///{tmp_path / 'coach.db'}"
    db = Database(url)
    db.migrate()
    store = SqlSessionStore(db)
    with store.transaction() as tx:
        shop = tx.create_workshop("a", "Outcomes clinic")
        tx.create_workshop("b", "Second clinic", status="waiting")
        for i, (team, workshop) in enumerate([("a", shop.code), ("a", shop.code), ("a", None), ("b", None)]):
            rec = tx.create(team, "workshop" if workshop else "coach", workshop, f"person {i}", {"phase": "laddering"})
            chains = [
                Chain(id=f"{rec.id[:8]}-{n}", origin=f"We ran {n + 1} workshops", origin_label="output")
                for n in range(i + 1)
            ]
            tx.save_chains(rec.id, chains)
            tx.add_statements(
                rec.id,
                1,
                [_statement("We ran 14 workshops", "output", 0.9), _statement("Fewer errors", "outcome", 0.6)],
            )
    corrections = SqlCorrectionStore(db)
    first = corrections.add("We closed 500 tickets", "output", team="a")
    second = corrections.add("Staff finish the run without workarounds", "outcome", team="b")
    corrections.add("Repeat incidents fall by half", "outcome", team="a", source="api")
    corrections.set_status(first, "promoted", "trainer")
    corrections.set_status(second, "reverted", "trainer")
    try:
        yield url, db
    finally:
        db.dispose()


def test_quick_listings_equal_the_full_stores(written: tuple[str, Database]) -> None:
    url, db = written
    quick = SqliteListing.open(url)
    assert quick is not None
    store = SqlSessionStore(db)
    records, workshops, corrections = Records(store), Workshops(store), SqlCorrectionStore(db)
    quick_records = Records(quick)
    for team in (None, "a", "b", "nobody"):
        assert quick_records.summaries(team) == records.summaries(team)
        assert quick.workshop_summaries(team) == workshops.summaries(team)
        for status in (None, "active", "promoted", "reverted"):
            for limit in (1, 100):
                assert correction_records(quick, team, status, limit) == correction_records(
                    corrections, team, status, limit
                )
    with store.transaction(write=False) as tx:
        for w in tx.workshops(None):
            assert quick.workshop_totals(w.code) == tx.workshop_totals(w.code)
            assert quick.workshop_chains(w.code) == tx.workshop_chains(w.code)
            for team in (None, w.team):
                assert quick.workshop_map(w.code.lower(), team) == workshops.map(w.code.lower(), team)
            with pytest.raises(WorkshopNotFound):
                quick.workshop_map(w.code, "nobody")
    with pytest.raises(WorkshopNotFound):
        quick.workshop_map("NOSUCH", None)
    assert len(quick.workshop_map(workshops.summaries("a")[0].code, "a").chains) == 3
    for summary in records.summaries(None):
        sid = summary.id
        for team in (None, "a", "b"):
            for prefix in (sid, sid[:4], sid[:12].upper(), "zzzz", sid[:3]):
                _agree(quick_records, records, "resolve_session_id", prefix, team)
            _agree(quick_records, records, "map", sid, team)
            for fmt in ("md", "json", "csv", "svg"):
                _agree(quick_records, records, "export", sid, fmt, team)
    assert len(quick_records.map(records.summaries("b")[0].id).chains) == 4
    # and they are not empty: the comparison above compared something
    assert [s.chains for s in quick_records.summaries("a")] and quick.workshop_summaries("a")[0].participants == 2
    assert quick.workshop_summaries("a")[0].statements == 4
    assert [c.status for c in quick.records()] == ["active", "reverted", "promoted"]


def _agree(quick: Records, full: Records, method: str, *args: object) -> None:
    """Both readers return the same, or raise the same kind of error with the same message."""
    results = []
    for records in (quick, full):
        try:
            results.append(getattr(records, method)(*args))
        except CoachError as exc:
            results.append((type(exc).__name__, exc.message))
    assert results[0] == results[1], (method, args)


def test_quick_listings_step_aside_for_what_they_cannot_read(written: tuple[str, Database], tmp_path: Path) -> None:
    url, _ = written
    assert SqliteListing.open(f"sqlite:///{tmp_path / 'missing.db'}") is None
    assert SqliteListing.open("postgresql+psycopg://postgres@127.0.0.1:5432/test") is None
    assert sqlite_file("sqlite:///:memory:") is None
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    assert SqliteListing.open(f"sqlite:///{garbage}") is None
    path = sqlite_file(url)
    assert path is not None
    with sqlite3.connect(path) as conn:  # a database one migration behind: the full store must migrate it first
        conn.execute("UPDATE alembic_version SET version_num = '0004'")
    assert SqliteListing.open(url) is None


def test_quick_key_listing_equals_the_key_store_and_never_shows_a_secret(written: tuple[str, Database]) -> None:
    from api.auth import KeyStore
    from api.cli.store import QuickListings

    url, db = written
    keys = KeyStore(db)
    made = keys.create("b", "widget", origins=["https://intranet.example.org"], name="intranet page")
    keys.create("a", "api", name="slack bot")
    keys.create("a", "trainer")
    keys.revoke(made.prefix)
    quick = SqliteListing.open(url)
    assert quick is not None
    listed = QuickListings(quick).keys()
    assert listed == keys.list() and len(listed) == 3
    assert [k.team for k in listed] == ["a", "a", "b"] and listed[-1].revoked
    assert listed[-1].origins == ["https://intranet.example.org"]
    assert made.key not in repr(quick.api_keys())
