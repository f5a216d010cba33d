"""Persistence of conversations on SQLite and PostgreSQL: commit-before-reply, crash and resume, serialized
turns, idempotent replays, bad input that leaves the session unharmed, and complete deletion.

Every test runs on both backends. PostgreSQL comes from `pg_url` (skipped with a visible reason when no
server is reachable); each test gets a fresh schema (``options=-csearch_path=…``) that is dropped afterwards,
so runs are repeatable. The HashEmbedder keeps the model out of it: these tests are about storage, and the
scripted statements are pinned with corrections so their labels never depend on a model.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from api.container import build
from coach.adapters.sql import (
    ChainRow,
    CorrectionRow,
    Database,
    SessionRow,
    StatementRow,
    TurnRow,
)
from coach.config import REPO_ROOT, EmbeddingSettings, LLMSettings, Settings
from coach.conversation import engine as policy
from coach.errors import IdempotencyKeyReused, InvalidInput, SessionNotFound
from coach.service import CoachService


class Built:
    """A container's service, with its database at hand for assertions that read tables directly."""

    def __init__(self, container: Any) -> None:
        self.container, self.db = container, container.db

    def __getattr__(self, name: str) -> Any:
        return getattr(self.container.service, name)


pytestmark = pytest.mark.integration

OUTPUT = "We closed 500 incident records"
RUNG = "Tickets are closed faster"
OUTCOME = "Users get back to work faster"
PINNED = {OUTPUT: "output", RUNG: "output", OUTCOME: "outcome"}


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
    """A data dir with the knowledge indexed once (HashEmbedder); each test brings its own database."""
    d = tmp_path_factory.mktemp("persistence")
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


class Services:
    """Builds services on one database and data dir, and disposes of their engines afterwards."""

    def __init__(self, data_dir: Path, url: str) -> None:
        self.data_dir, self.url = data_dir, url
        self.made: list[Any] = []

    def new(self) -> Any:
        svc = Built(build(settings_for(self.data_dir, self.url)))
        self.made.append(svc)
        return svc

    def close(self) -> None:
        for svc in self.made:
            svc.db.dispose()


@pytest.fixture
def services(data_dir: Path, db_url: str) -> Iterator[Services]:
    s = Services(data_dir, db_url)
    first = s.new()
    for statement, label in PINNED.items():
        first.correct(statement, label, source="test")
    yield s
    s.close()


def rows(svc: CoachService, model: Any, **where: Any) -> list[Any]:
    with svc.db.tx() as s:
        q = select(model)
        for k, v in where.items():
            q = q.where(getattr(model, k) == v)
        return list(s.scalars(q).all())


def turns(svc: CoachService, sid: str) -> list[TurnRow]:
    return sorted(rows(svc, TurnRow, session_id=sid), key=lambda t: t.seq)


def count(svc: CoachService, model: Any, **where: Any) -> int:
    return len(rows(svc, model, **where))


# ----- commit before reply --------------------------------------------------------------------------


def test_every_turn_is_committed_before_the_reply_returns(services: Services) -> None:
    a = services.new()
    sid = a.start_session().id
    b = services.new()  # an independent engine on the same database
    raw = create_engine(services.url)
    try:
        for n, message in enumerate([OUTPUT, RUNG], start=1):
            result = a.handle_message(sid, message)
            seen = b.get_session(sid)  # no wait, no retry: it must already be there
            assert len(seen.messages) == 1 + 2 * n
            assert (seen.messages[-2].role, seen.messages[-2].text) == ("user", message)
            assert seen.messages[-1].text == result.reply.text
            assert seen.phase == result.reply.state == ("ask_result" if message == OUTPUT else "ask_higher")
            with raw.connect() as conn:  # and through a plain connection, outside any ORM
                got = conn.execute(text("SELECT count(*) FROM turns WHERE session_id = :s"), {"s": sid}).scalar_one()
            assert got == 1 + 2 * n
        assert [c.rungs for c in b.session_map(sid).chains] == [[RUNG]]
        assert count(b, StatementRow, session_id=sid) == 2  # the statement and the answer, as the coach read them
    finally:
        raw.dispose()


# ----- crash and resume -----------------------------------------------------------------------------


def test_session_resumes_where_it_was_after_the_service_is_thrown_away(services: Services) -> None:
    a = services.new()
    sid = a.start_session().id
    a.handle_message(sid, OUTPUT)
    ladder = a.handle_message(sid, RUNG)
    before = a.get_session(sid)
    a.db.dispose()
    del a

    c = services.new()
    after = c.get_session(sid)
    assert after.phase == "ask_higher"
    assert [(m.role, m.text) for m in after.messages] == [(m.role, m.text) for m in before.messages]
    assert after.map == before.map
    assert after.messages[-1].reply is not None and after.messages[-1].reply.question == ladder.reply.question
    assert [s.id for s in c.list_sessions()] == [sid]

    nxt = c.handle_message(sid, OUTCOME)  # the next reply continues the same ladder
    assert nxt.reply.state == "ask_baseline"
    assert nxt.reply.chain_id == ladder.reply.chain_id
    (chain,) = nxt.map.chains
    assert (chain.origin, chain.rungs, chain.outcome) == (OUTPUT, [RUNG], OUTCOME)
    assert 2 <= len(chain.measures) <= 3  # fewer than 3 when nothing else in the library is on topic


CHILD = r"""
import json, sys, time
from pathlib import Path
from api.container import build
from coach.conversation import engine as policy
from coach.config import EmbeddingSettings, LLMSettings, Settings

data_dir, url, sid = sys.argv[1], sys.argv[2], sys.argv[3]
svc = build(Settings(_env_file=None, data_dir=Path(data_dir), database_url=url, chroma_url=None,
                     extra_knowledge=[], llm=LLMSettings(), embedding=EmbeddingSettings(backend="hash"))).service
svc.classifier()
print(json.dumps({"ready": True}), flush=True)
real_step = policy.step
for line in sys.stdin:
    message = line.rstrip("\n")
    if message.startswith("HANG "):
        message = message[5:]
        def hang(*args, **kwargs):
            plan = real_step(*args, **kwargs)
            print(json.dumps({"inside": True}), flush=True)
            time.sleep(3600)  # killed here: mid-turn, inside the transaction, the session row locked
        policy.step = hang
    r = svc.handle_message(sid, message)
    print(json.dumps({"state": r.reply.state, "text": r.reply.text, "chain": r.reply.chain_id}), flush=True)
"""


def test_session_resumes_after_the_process_is_killed(services: Services, tmp_path: Path) -> None:
    a = services.new()
    sid = a.start_session().id
    a.db.dispose()
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    child = subprocess.Popen(
        [sys.executable, str(script), str(services.data_dir), services.url, sid],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO_ROOT,
        env=env,
    )
    assert child.stdin is not None and child.stdout is not None

    def read() -> dict[str, Any]:
        line = child.stdout.readline()  # type: ignore[union-attr]
        if not line:
            child.kill()
            raise AssertionError(f"the child died: {child.stderr.read() if child.stderr else ''}")
        return json.loads(line)

    try:
        assert read() == {"ready": True}
        answered = []
        for message in (OUTPUT, RUNG):
            child.stdin.write(message + "\n")
            child.stdin.flush()
            answered.append(read())
        child.stdin.write(f"HANG {OUTCOME}\n")  # a third turn, killed half-way
        child.stdin.flush()
        assert read() == {"inside": True}
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdin.close()
        child.stdout.close()
        if child.stderr:
            child.stderr.close()
    assert child.returncode == -signal.SIGKILL

    c = services.new()
    view = c.get_session(sid)
    assert [m.role for m in view.messages] == ["coach", "user", "coach", "user", "coach"]
    assert [m.text for m in view.messages if m.role == "user"] == [OUTPUT, RUNG]  # nothing of the killed turn
    assert view.messages[-1].text == answered[-1]["text"]  # every answered turn survived
    assert view.phase == answered[-1]["state"] == "ask_higher"
    (chain,) = view.map.chains
    assert chain.rungs == [RUNG] and chain.outcome is None and chain.id == answered[-1]["chain"]
    assert count(c, StatementRow, session_id=sid) == 2

    nxt = c.handle_message(sid, OUTCOME)  # the lock died with the process; the ladder goes on
    assert nxt.reply.state == "ask_baseline" and nxt.reply.chain_id == chain.id
    assert nxt.map.chains[0].outcome == OUTCOME
    assert [t.seq for t in turns(c, sid)] == [1, 2, 3, 4, 5, 6, 7]


# ----- concurrency ----------------------------------------------------------------------------------


def test_two_messages_to_one_session_at_once_are_serialized(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = services.new(), services.new()  # two instances, as two server workers would be
    a.classifier()
    b.classifier()
    real_step = policy.step
    inside = 0
    overlap = threading.Event()
    guard = threading.Lock()

    def slow_step(*args: Any, **kwargs: Any) -> Any:
        nonlocal inside
        with guard:
            inside += 1
            if inside > 1:
                overlap.set()  # two turns deciding at the same time: they were not serialized
        try:
            threading.Event().wait(0.3)  # widen the window in which a second turn could interleave
            return real_step(*args, **kwargs)
        finally:
            with guard:
                inside -= 1

    monkeypatch.setattr(policy, "step", slow_step)
    for _ in range(3):
        sid = a.start_session().id
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def send(
            svc: CoachService,
            message: str,
            sid: str = sid,
            barrier: threading.Barrier = barrier,
            errors: list[BaseException] = errors,
        ) -> None:
            try:
                barrier.wait()
                svc.handle_message(sid, message)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=send, args=(a, OUTPUT)), threading.Thread(target=send, args=(b, OUTCOME))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not errors, errors
        assert not overlap.is_set()

        stored = turns(a, sid)
        assert [t.seq for t in stored] == [1, 2, 3, 4, 5]
        assert [t.role for t in stored] == ["coach", "user", "coach", "user", "coach"]
        order = [stored[1].text, stored[3].text]
        assert sorted(order) == sorted([OUTPUT, OUTCOME])  # both kept, neither lost
        for user, coach in ((stored[1], stored[2]), (stored[3], stored[4])):
            assert coach.reply is not None and coach.reply["statements"][0]["text"] == user.text  # its own reply

        # the result is exactly what the two turns give when sent one after the other
        monkeypatch.setattr(policy, "step", real_step)
        ref = a.start_session().id
        for message in order:
            a.handle_message(ref, message)
        monkeypatch.setattr(policy, "step", slow_step)
        got, want = a.get_session(sid), a.get_session(ref)
        assert got.phase == want.phase
        strip = [(c.origin, c.rungs, c.outcome, c.status) for c in got.map.chains]
        assert strip == [(c.origin, c.rungs, c.outcome, c.status) for c in want.map.chains]


# ----- idempotent replays ---------------------------------------------------------------------------


def test_client_key_replay_returns_the_same_reply_and_stores_nothing(services: Services) -> None:
    a = services.new()
    sid = a.start_session().id
    first = a.handle_message(sid, OUTPUT, client_key="msg-1")
    assert not first.replayed
    n = count(a, TurnRow, session_id=sid)
    again = a.handle_message(sid, OUTPUT, client_key="msg-1")
    assert again.replayed and again.reply == first.reply
    other = services.new().handle_message(sid, OUTPUT, client_key="msg-1")
    assert other.replayed and other.reply == first.reply  # the key decides, whichever worker answers
    with pytest.raises(IdempotencyKeyReused):  # the same key with another message is refused, not replayed
        services.new().handle_message(sid, "something else entirely", client_key="msg-1")
    assert count(a, TurnRow, session_id=sid) == n
    assert count(a, StatementRow, session_id=sid) == 1
    assert a.get_session(sid).phase == "ask_result"
    nxt = a.handle_message(sid, RUNG, client_key="msg-2")  # a new key is a new turn
    assert not nxt.replayed and count(a, TurnRow, session_id=sid) == n + 2


# ----- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "error", "hint"),
    [
        ("", InvalidInput, "Type a statement"),
        ("   \n\t ", InvalidInput, "Type a statement"),
        ("We ran workshops. " * 2_900, InvalidInput, "shorter"),  # ≈ 52 KB
        ("word " * 1_000, InvalidInput, "shorter sentences"),  # one 5,000-character statement
    ],
)
def test_bad_input_is_refused_clearly_and_the_session_is_unharmed(
    services: Services, message: str, error: type[Exception], hint: str
) -> None:
    a = services.new()
    sid = a.start_session().id
    a.handle_message(sid, OUTPUT)
    before = a.get_session(sid)
    n = count(a, TurnRow, session_id=sid)
    with pytest.raises(error) as exc:
        a.handle_message(sid, message)
    assert exc.value.message and hint in exc.value.hint  # type: ignore[attr-defined]
    after = a.get_session(sid)
    assert count(a, TurnRow, session_id=sid) == n
    assert after.phase == before.phase and after.map == before.map
    assert a.handle_message(sid, RUNG).reply.state == "ask_higher"  # and it still works


def test_unknown_session_or_wrong_team_is_a_clear_error(services: Services) -> None:
    a = services.new()
    sid = a.start_session(team="alpha").id
    a.handle_message(sid, OUTPUT, team="alpha")
    n = count(a, TurnRow, session_id=sid)
    for call in (
        lambda: a.handle_message("no-such-session", OUTPUT),
        lambda: a.handle_message(sid, OUTPUT, team="beta"),
        lambda: a.get_session(sid, "beta"),
        lambda: a.export_map("no-such-session", "md"),
        lambda: a.delete_session(sid, "beta"),
    ):
        with pytest.raises(SessionNotFound) as exc:
            call()
        assert "No session with id" in exc.value.message and "coach sessions" in exc.value.hint
    assert count(a, TurnRow, session_id=sid) == n
    assert a.get_session(sid, "alpha").phase == "ask_result"
    assert [s.id for s in a.list_sessions("beta")] == []


# ----- deletion -------------------------------------------------------------------------------------


def test_delete_session_removes_turns_chains_measures_statements_and_its_corrections(services: Services) -> None:
    a = services.new()
    sid = a.start_session().id
    a.handle_message(sid, OUTPUT)
    a.handle_message(sid, OUTCOME)  # chain with three measures
    a.handle_message(sid, "start over")
    a.handle_message(sid, OUTPUT)
    a.handle_message(sid, "no, that is an outcome")  # a correction recorded for this session
    keep = a.start_session().id
    a.handle_message(keep, OUTPUT)
    a.handle_message(keep, OUTCOME)

    chain_ids = [c.id for c in rows(a, ChainRow, session_id=sid)]
    assert chain_ids and count(a, CorrectionRow, session_id=sid) == 1
    kept = {m: count(a, m, session_id=keep) for m in (TurnRow, ChainRow, StatementRow)}

    a.delete_session(sid)

    for model in (TurnRow, ChainRow, StatementRow, CorrectionRow):
        assert count(a, model, session_id=sid) == 0, model.__tablename__
    assert count(a, SessionRow, id=sid) == 0
    with pytest.raises(SessionNotFound):
        a.get_session(sid)
    with pytest.raises(SessionNotFound):
        a.delete_session(sid)
    assert {m: count(a, m, session_id=keep) for m in (TurnRow, ChainRow, StatementRow)} == kept
    assert [s.id for s in a.list_sessions()] == [keep]
    assert count(a, CorrectionRow) == len(PINNED)  # the corrections made outside the session stay
    with a.db.tx() as s:
        assert s.scalar(select(func.count()).select_from(SessionRow)) == 1


def test_a_resumed_session_can_accept_a_rung_before_any_classification(hash_settings: Any) -> None:
    """A fresh process whose first message is a button ('That's the result') proposes measures without waiting
    on its own lock (the classifier is built before the session row is locked)."""
    from api.container import build

    first = Built(build(hash_settings))
    first.ingest()
    view = first.start_session()
    first.correct("We ran 14 workshops for team leads", "output", source="test")
    first.handle_message(view.id, "We ran 14 workshops for team leads")
    first.handle_message(view.id, "so the sessions get booked faster")  # a rung on the ladder
    first.db.dispose()

    second = Built(build(hash_settings))  # a new process: no classifier built yet
    started = time.monotonic()
    result = second.handle_message(view.id, "That's the result")
    assert time.monotonic() - started < 20, "the turn waited on its own database lock"
    assert result.reply.state == "ask_baseline"
    assert result.reply.measures


def test_the_one_read_a_turn_makes_for_correction_stamps_equals_the_two_single_stamps(db_url: str) -> None:
    """`stamps(team)` (one statement per turn) must move exactly when `stamp(None)` or `stamp(team)` does."""
    from coach.adapters.corrections import SqlCorrectionStore

    db = Database(db_url)
    db.migrate()
    store = SqlCorrectionStore(db)

    def agree() -> None:
        for team in ("a", "b", "nobody"):
            assert store.stamps(team) == (store.stamp(None), store.stamp(team))

    try:
        agree()
        first = store.add("We ran 3 workshops for new managers", "output", team="a")
        agree()
        second = store.add("Fewer repeat calls about passwords", "outcome", team="b")
        agree()
        before = store.stamps("a")
        store.set_status(first, "promoted", "trainer")
        agree()
        assert store.stamps("a")[0] != before[0]  # a promotion moves the shared stamp
        store.set_status(second, "promoted", "trainer")
        store.set_status(second, "reverted", "trainer")
        agree()
    finally:
        db.dispose()
