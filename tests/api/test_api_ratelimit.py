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
