"""Short write transactions: a turn holds no database lock while it works, and a turn that loses a race to
another worker is worked out again against the new state, so nothing is lost or recorded twice.

Two services on one database stand for two workers; each gets its own `KeyedLocks` (a process's own
registry), so nothing in memory serialises them: only the database and the version check do. Both backends.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from api.container import build
from coach.adapters.sql import TurnRow
from coach.config import EmbeddingSettings, LLMSettings, Settings
from coach.conversation import engine as policy
from coach.keyed_locks import KeyedLocks

pytestmark = pytest.mark.integration

OUTPUT = "We closed 500 incident records"
OUTCOME = "Users get back to work faster"
PINNED = {OUTPUT: "output", OUTCOME: "outcome"}


def settings_for(data_dir: Path, url: str) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=data_dir,
        database_url=url,
        chroma_url=None,
        extra_knowledge=[],
        llm=LLMSettings(),
        embedding=EmbeddingSettings(backend="hash"),
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("short-tx")
    built = build(settings_for(d, f"sqlite:///{d / 'ingest.db'}"))
    built.service.ingest()
    built.db.dispose()
    return d


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'coach.db'}"
        return
    base = request.getfixturevalue("pg_url")
    schema = f"coach_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def workers(data_dir: Path, db_url: str) -> Iterator[list[Any]]:
    """Two containers on one database, each with its own in-process turn locks (two workers)."""
    made = [build(settings_for(data_dir, db_url)) for _ in range(2)]
    for statement, label in PINNED.items():
        made[0].service.correct(statement, label, source="test")
    for c in made:
        c.service.conversations.turn_locks = KeyedLocks()
        c.service.classifier()
    yield made
    for c in made:
        c.db.dispose()


def test_a_slow_turn_holds_no_lock_that_stops_another_session(workers: list[Any], monkeypatch: Any) -> None:
    """While one turn is inside its slow part, a turn on another session (another worker) commits."""
    a, b = (c.service for c in workers)
    slow_sid, other_sid = a.start_session().id, b.start_session().id
    real_step = policy.step
    inside, release = threading.Event(), threading.Event()

    def step(state: Any, *args: Any, **kwargs: Any) -> Any:
        if threading.current_thread().name == "slow":
            inside.set()
            assert release.wait(60)
        return real_step(state, *args, **kwargs)

    monkeypatch.setattr(policy, "step", step)
    errors: list[BaseException] = []

    def slow() -> None:
        try:
            a.handle_message(slow_sid, OUTPUT)
        except BaseException as exc:
            errors.append(exc)

    t = threading.Thread(target=slow, name="slow")
    t.start()
    try:
        assert inside.wait(30)
        done = threading.Event()
        threading.Thread(target=lambda: (b.handle_message(other_sid, OUTPUT), done.set()), daemon=True).start()
        # With the session's write lock held for the whole turn (BEGIN IMMEDIATE on SQLite), this waits.
        assert done.wait(10), "a turn on another session waited for the slow turn's lock"
    finally:
        release.set()
        t.join(60)
    assert not errors, errors
    assert [m.role for m in a.get_session(slow_sid).messages] == ["coach", "user", "coach"]


def test_a_turn_that_loses_the_race_is_worked_out_again(workers: list[Any], monkeypatch: Any) -> None:
    """Two workers work out a turn for one session at the same time; the later one re-runs on the new state."""
    a, b = (c.service for c in workers)
    real_step = policy.step
    inside = 0
    overlapped = threading.Event()
    guard = threading.Lock()
    calls: list[str] = []

    def slow_step(state: Any, chains: Any, turn: Any) -> Any:
        nonlocal inside
        with guard:
            inside += 1
            calls.append(turn.text)
            if inside > 1:
                overlapped.set()
        try:
            overlapped.wait(2)  # give the other worker time to get here too
            return real_step(state, chains, turn)
        finally:
            with guard:
                inside -= 1

    monkeypatch.setattr(policy, "step", slow_step)
    sid = a.start_session().id
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def send(svc: Any, message: str, key: str) -> None:
        try:
            barrier.wait()
            svc.handle_message(sid, message, client_key=key)
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=send, args=(a, OUTPUT, "k-output")),
        threading.Thread(target=send, args=(b, OUTCOME, "k-outcome")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert overlapped.is_set(), "the two turns never worked at the same time: something still serialises them"
    assert len(calls) == 3 and a.conversations.conflicts + b.conversations.conflicts == 1  # one re-run

    with workers[0].db.tx() as s:
        stored = sorted(s.scalars(select(TurnRow).where(TurnRow.session_id == sid)).all(), key=lambda t: t.seq)
    assert [t.seq for t in stored] == [1, 2, 3, 4, 5]
    assert [t.role for t in stored] == ["coach", "user", "coach", "user", "coach"]
    order = [stored[1].text, stored[3].text]
    assert sorted(order) == sorted([OUTPUT, OUTCOME])  # both kept, each once
    for user, coach in ((stored[1], stored[2]), (stored[3], stored[4])):
        assert coach.reply is not None and coach.reply["statements"][0]["text"] == user.text

    # The result is what the two turns give one after the other, in the order they were saved.
    monkeypatch.setattr(policy, "step", real_step)
    ref = a.start_session().id
    for message in order:
        a.handle_message(ref, message)
    got, want = a.get_session(sid), a.get_session(ref)
    assert got.phase == want.phase
    assert [(c.origin, c.rungs, c.outcome) for c in got.map.chains] == [
        (c.origin, c.rungs, c.outcome) for c in want.map.chains
    ]
    # and a retry of either message, on either worker, is answered from the record
    again = b.handle_message(sid, OUTPUT, client_key="k-output")
    assert again.replayed


def test_keyed_locks_serialise_one_key_and_forget_idle_keys() -> None:
    locks = KeyedLocks()
    order: list[str] = []
    entered = threading.Event()

    def first() -> None:
        with locks.hold("s1"):
            entered.set()
            order.append("first-in")
            threading.Event().wait(0.2)
            order.append("first-out")

    t = threading.Thread(target=first)
    t.start()
    assert entered.wait(5)
    with locks.hold("s2"):  # another key is never blocked
        order.append("other")
    with locks.hold("s1"):
        order.append("second")
    t.join()
    assert order == ["first-in", "other", "first-out", "second"]
    assert len(locks) == 0
