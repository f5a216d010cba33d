"""CoachService over the in-memory fakes only (no model, no Chroma, no SQL): a conversation turn by turn,
idempotent replays, external threads and deletion — the core's contracts, in milliseconds."""

from __future__ import annotations

from typing import Any

import pytest

from coach.errors import IdempotencyKeyReused, SessionNotFound


def test_a_conversation_runs_on_fakes_alone(memory_service: Any) -> None:
    svc = memory_service
    assert type(svc.sessions).__name__ == "InMemorySessionStore" and type(svc.index).__name__ == "InMemoryIndex"
    assert svc.embedder.name.startswith("hash:")  # no model, no Chroma, no SQL
    sid = svc.start_session(team="alpha").id
    first = svc.handle_message(sid, "We closed 500 incident records", team="alpha")
    second = svc.handle_message(sid, "so people get back to work sooner", team="alpha")
    assert first.reply.state == "ask_result" and first.reply.statements[0].label == "output"
    assert second.reply.state == "ask_baseline" and second.reply.measures
    (chain,) = svc.get_session(sid, "alpha").map.chains
    assert chain.origin == "We closed 500 incident records" and chain.outcome == "People get back to work sooner"


def test_replays_threads_and_deletion(memory_service: Any) -> None:
    svc = memory_service
    thread, created = svc.session_for_thread("alpha", "bot:C1:123")
    again, created_again = svc.session_for_thread("alpha", "bot:C1:123")
    assert created and not created_again and again.session_id == thread.session_id
    other, _ = svc.session_for_thread("beta", "bot:C1:123")  # another team, another session
    assert other.session_id != thread.session_id
    sid = thread.session_id
    one = svc.handle_message(sid, "We hired five nurses", team="alpha", client_key="m1")
    replay = svc.handle_message(sid, "We hired five nurses", team="alpha", client_key="m1")
    assert replay.replayed and replay.reply == one.reply
    with pytest.raises(IdempotencyKeyReused):
        svc.handle_message(sid, "something else", team="alpha", client_key="m1")
    with pytest.raises(SessionNotFound):
        svc.get_session(sid, "beta")
    svc.delete_session(sid, "alpha")
    with pytest.raises(SessionNotFound):
        svc.get_session(sid)
    assert svc.find_thread("alpha", "bot:C1:123") is None
