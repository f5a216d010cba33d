"""Per-key token bucket: 429 problem with Retry-After; keys do not share a bucket."""

from __future__ import annotations

from typing import Any

import pytest
from apikit import assert_problem, bearer, new_key

from api.ratelimit import TokenBucketLimiter
from coach.errors import RateLimited


def test_429_with_retry_after_per_key(make_client: Any, team: str) -> None:
    c = make_client(require_keys=True, rate_limit_per_minute=3)
    a, b = new_key(c, team), new_key(c, team)
    for _ in range(3):
        assert c.post("/v1/classify", json={"text": "We ran a survey"}, headers=bearer(a)).status_code == 200
    r = c.post("/v1/classify", json={"text": "We ran a survey"}, headers=bearer(a))
    body = assert_problem(r, 429)
    assert int(r.headers["retry-after"]) >= 1
    assert body["type"].endswith("rate_limited") and "seconds" in body["hint"]
    assert c.post("/v1/classify", json={"text": "We ran a survey"}, headers=bearer(b)).status_code == 200
    assert c.get("/healthz").status_code == 200  # probes are never limited


def test_keyless_dev_requests_are_limited_per_client(make_client: Any) -> None:
    c = make_client(rate_limit_per_minute=2)
    assert c.post("/v1/sessions", json={}).status_code == 201
    assert c.post("/v1/sessions", json={}).status_code == 201
    assert_problem(c.post("/v1/sessions", json={}), 429)


def test_bucket_refills_at_the_configured_rate() -> None:
    now = [0.0]
    limiter = TokenBucketLimiter(60, clock=lambda: now[0])  # one token a second, bursts of 60
    for _ in range(60):
        limiter.check("k")
    with pytest.raises(RateLimited) as info:
        limiter.check("k")
    assert info.value.retry_after == 1
    now[0] += 1.0
    limiter.check("k")
    limiter.check("other")  # its own bucket
    assert TokenBucketLimiter(0).enabled is False
    TokenBucketLimiter(0).check("k")  # disabled: never raises


def test_one_widget_visitor_cannot_lock_out_a_workshop(make_client: Any, team: str) -> None:
    """All visitors share the widget key; each visitor (session) has its own bucket as well, so the one who sends
    too much is slowed down alone while the other 29 people in the room carry on."""
    from apikit import REMOTE

    site = "https://intranet.example.org"
    c = make_client(
        client=REMOTE,
        require_keys=True,
        rate_limit_per_minute=60,
        visitor_rate_limit_per_minute=3,
        widget_rate_limit_per_minute=600,
    )
    key = new_key(c, team, "widget", (site,))
    headers = bearer(key, origin=site)
    sessions = []
    for _ in range(30):  # a whole workshop joins from one office address
        r = c.post("/v1/sessions", json={}, headers=headers)
        assert r.status_code == 201, r.text
        sessions.append(r.json()["id"])
    noisy, others = sessions[0], sessions[1:]
    for _ in range(3):
        ok = c.post(f"/v1/sessions/{noisy}/messages", json={"text": "We ran a survey"}, headers=headers)
        assert ok.status_code == 200, ok.text
    r = c.post(f"/v1/sessions/{noisy}/messages", json={"text": "We ran a survey"}, headers=headers)
    assert_problem(r, 429)
    for sid in others:  # everyone else is still heard
        ok = c.post(f"/v1/sessions/{sid}/messages", json={"text": "We ran a survey"}, headers=headers)
        assert ok.status_code == 200, ok.text
