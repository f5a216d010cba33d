"""With COACH_REDIS_URL, the rate limit and the live events are shared by every worker: tested against the
machine's real Redis (database 5, a key prefix of each test's own, deleted afterwards).

Two apps over one database stand for two workers: nothing but Redis connects their limiters, and the
trainer's stream of one hears turns saved by the other while its database poll is switched off.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from apikit import LOCAL, parse_sse
from fastapi.testclient import TestClient

from api.app import create_app
from api.ratelimit import RedisTokenBucketLimiter, TokenBucketLimiter, build_limiter
from coach.adapters.fake_events import RecordingEventBus
from coach.config import ApiSettings, EmbeddingSettings, LLMSettings, Settings
from coach.errors import RateLimited

pytestmark = pytest.mark.integration

REDIS_URL = os.environ.get("COACH_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


@pytest.fixture(scope="module")
def redis_client() -> Any:
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except Exception as exc:
        pytest.skip(f"Redis unreachable at {REDIS_URL}: {type(exc).__name__}")
    return client


@pytest.fixture
def prefix(redis_client: Any) -> Iterator[str]:
    p = f"coachtest:{uuid.uuid4().hex[:10]}:"
    yield p
    for key in redis_client.scan_iter(match=p + "*", count=500):
        redis_client.delete(key)


def settings_for(data_dir: Path, prefix: str, **api: Any) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=data_dir,
        database_url=None,
        chroma_url=None,
        extra_knowledge=[],
        llm=LLMSettings(),
        embedding=EmbeddingSettings(backend="hash"),
        redis_url=REDIS_URL,
        redis_prefix=prefix,
        api=ApiSettings(**api),
    )


# ----- the limiter ------------------------------------------------------------------------------------------


def test_two_workers_share_one_bucket(redis_client: Any, prefix: str) -> None:
    """At 60/min, 200 rapid requests alternating between two workers: 60 pass (plus what refills meanwhile),
    not 120 as with a bucket per process."""
    workers = [build_limiter(60, REDIS_URL, prefix) for _ in range(2)]
    assert all(isinstance(w, RedisTokenBucketLimiter) for w in workers)
    passed = 0
    started = time.monotonic()
    for i in range(200):
        try:
            workers[i % 2].check("key:alpha")
            passed += 1
        except RateLimited as exc:
            assert exc.retry_after >= 1  # type: ignore[attr-defined]
    elapsed = time.monotonic() - started
    assert 60 <= passed <= 60 + int(elapsed) + 1, (passed, elapsed)

    in_memory = [TokenBucketLimiter(60) for _ in range(2)]  # what each process counted before
    local = 0
    for i in range(200):
        try:
            in_memory[i % 2].check("key:alpha")
            local += 1
        except RateLimited:
            pass
    assert local >= 120


def test_cost_per_statement_and_own_rates_per_bucket(redis_client: Any, prefix: str) -> None:
    limiter = build_limiter(120, REDIS_URL, prefix)
    limiter.check("k", cost=100)
    with pytest.raises(RateLimited) as exc:
        limiter.check("k", cost=50)  # 20 left, 50 asked: about 15 s at 2 tokens a second
    assert 14 <= exc.value.retry_after <= 16  # type: ignore[attr-defined]
    limiter.check("visitor", per_minute=3)
    limiter.check("visitor", per_minute=3)
    limiter.check("visitor", per_minute=3)
    with pytest.raises(RateLimited):
        limiter.check("visitor", per_minute=3)
    limiter.check("other")  # another key has its own bucket
    assert redis_client.ttl(prefix + "rl:k") > 0  # buckets expire once they would be full again
    limiter.reset()
    limiter.check("k", cost=120)


def test_an_unreachable_redis_lets_requests_through() -> None:
    limiter = build_limiter(1, "redis://127.0.0.1:6399/5", "coachtest:down:")  # nothing listens there
    for _ in range(5):
        limiter.check("k")  # fails open (logged), never a 500


def test_http_429_counted_across_two_apps(tmp_path: Path, prefix: str, hash_container_factory: Any) -> None:
    container = hash_container_factory(tmp_path / "data")
    settings = settings_for(tmp_path / "data", prefix, rate_limit_per_minute=10)
    apps = [TestClient(create_app(settings, container=container), client=LOCAL) for _ in range(2)]
    try:
        codes = [
            apps[i % 2].get("/v1/knowledge/search", params={"q": "outcome", "k": 1}).status_code for i in range(30)
        ]
    finally:
        for a in apps:
            a.close()
        container.close()
    assert codes.count(200) in (10, 11) and codes.count(429) == 30 - codes.count(200), codes


# ----- live events ------------------------------------------------------------------------------------------


def test_the_service_publishes_turns_and_workshop_changes(memory_service_factory: Any) -> None:
    bus = RecordingEventBus()
    svc = memory_service_factory(events=bus)
    w = svc.create_workshop("t1", "Clinic")
    view = svc.start_session(team="t1", workshop=w["code"], participant="Ada")
    svc.handle_message(view.id, "We ran 14 workshops for team leads", team="t1")
    svc.set_workshop_status(w["code"], "t1", "closed")
    topics = bus.topics()
    assert topics == [
        f"workshop:{w['code']}",  # a participant joined
        f"session:{view.id}",  # the turn was saved
        f"workshop:{w['code']}",  # ... in a workshop
        f"workshop:{w['code']}",  # closed
    ], topics


def test_a_trainer_stream_hears_a_turn_saved_by_another_worker(tmp_path: Path, prefix: str) -> None:
    from api.container import build

    data = tmp_path / "data"
    settings = settings_for(data, prefix, rate_limit_per_minute=0)
    first = build(settings)
    first.service.ingest()
    second = build(settings)  # another worker: its own service, engine and Redis connections
    second.service.warm()
    a = TestClient(create_app(settings, container=first), client=LOCAL)
    b = TestClient(create_app(settings, container=second), client=LOCAL)
    try:
        a.app.state.sse_poll_seconds = 3600.0  # type: ignore[attr-defined]  # never polls the database
        a.app.state.sse_fallback_seconds = 3600.0  # type: ignore[attr-defined]
        a.app.state.sse_max_seconds = 4.0  # type: ignore[attr-defined]
        code = b.post("/v1/workshops", json={"title": "Clinic"}).json()["code"]
        sid = b.post("/v1/sessions", json={"mode": "workshop", "workshop": code, "participant": "Ben"}).json()["id"]
        result: dict[str, Any] = {}

        def listen() -> None:
            result["r"] = a.get(f"/v1/workshops/{code}/events")

        t = threading.Thread(target=listen)
        t.start()
        time.sleep(1.0)
        turn = b.post(f"/v1/sessions/{sid}/messages", json={"text": "Fewer new hires quit in their first year"})
        assert turn.status_code == 200
        t.join(30)
        events = parse_sse(result["r"].text)
    finally:
        a.close()
        b.close()
        first.close()
        second.close()
    assert events[0]["event"] == "snapshot" and json.loads(events[0]["data"])["statements"] == []
    live = [json.loads(e["data"]) for e in events if e["event"] == "statement"]
    assert [s["participant"] for s in live] == ["Ben"], events
