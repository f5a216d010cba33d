"""The scripted stories marked `real: true`, through a real CoachService: the packaged model reads every line
(and must read it as the script says), the real classifier labels the statements, and the same expectations and
invariants as the policy tests hold."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from dialogue import Check, expect, final_checks, load_scripts, snapshot

from coach.adapters.registry import FileSourceRegistry
from coach.adapters.repository import SqlCorrectionStore, SqlSessionStore
from coach.adapters.sql import Database
from coach.conversation.state import SessionState
from coach.service import CoachService

pytestmark = pytest.mark.integration
REAL = [s for s in load_scripts() if s.real]


@pytest.fixture(scope="module")
def coach(real_service: Any, real_settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[CoachService]:
    url = f"sqlite:///{tmp_path_factory.mktemp('real-stories') / 'coach.db'}"
    db = Database(url)
    db.migrate()
    settings = real_settings.model_copy(update={"database_url": url})
    svc = CoachService(
        settings, real_service.index, SqlSessionStore(db), SqlCorrectionStore(db), FileSourceRegistry(settings.data_dir)
    )
    svc.warm()
    yield svc
    db.dispose()


def test_a_dozen_stories_run_with_the_real_model() -> None:
    assert len(REAL) >= 12


@pytest.mark.parametrize(
    "script",
    [
        pytest.param(s, marks=pytest.mark.xfail(strict=True, reason=s.xfail or s.xfail_real))
        if s.xfail or s.xfail_real
        else s
        for s in REAL
    ],
    ids=[s.name for s in REAL],
)
def test_real_story(coach: CoachService, script: Any) -> None:
    sid = coach.start_session().id
    check, problems, log = Check(), [], []
    with coach.sessions.transaction() as tx:
        state, chains = SessionState.model_validate(tx.get(sid, None).state), tx.chains(sid)
    for n, line in enumerate(script.lines, 1):
        before = snapshot(state, chains)
        reply = coach.handle_message(sid, line.say).reply
        with coach.sessions.transaction() as tx:
            state, chains = SessionState.model_validate(tx.get(sid, None).state), tx.chains(sid)
        log.append(f"you: {line.say}\ncoach [{reply.act} → {reply.state}]: {reply.text}")
        if reply.act != line.act:
            problems.append(f"turn {n}: read {line.say!r} as {reply.act}, the script means {line.act}")
        for p in check.turn(line, reply, state, chains) + expect(line, reply, state, chains, before):
            problems.append(f"turn {n} ({line.say!r}): {p}")
    problems += final_checks(script.final, state, chains)
    assert not problems, "\n".join(problems) + "\n\n" + "\n\n".join(log)
