"""Classify, measures, knowledge search and corrections over HTTP."""

from __future__ import annotations

from typing import Any

from apikit import assert_problem, bearer, new_key
from fastapi.testclient import TestClient


def test_classify_splits_statements(client: TestClient) -> None:
    r = client.post(
        "/v1/classify", json={"text": "We ran 14 workshops for team leads. New hires stay past their first year."}
    )
    assert r.status_code == 200, r.text
    st = r.json()["statements"]
    assert [s["label"] for s in st] == ["output", "outcome"]
    for s in st:
        assert 0.5 <= s["confidence"] <= 1 and s["rationale"] and s["evidence"]
        assert {"text", "start", "end", "needs_clarification"} <= s.keys()
    one = client.post("/v1/classify", json={"text": "We ran workshops. And surveys.", "split": False}).json()
    assert len(one["statements"]) == 1


def test_classify_rejects_empty_text(client: TestClient) -> None:
    body = assert_problem(client.post("/v1/classify", json={"text": "   "}), 422)
    assert "empty" in body["detail"]


def test_measures_for_an_outcome(client: TestClient) -> None:
    r = client.post("/v1/measures", json={"outcome": "Fewer new hires leave in their first year", "k": 2})
    assert r.status_code == 200, r.text
    ms = r.json()["measures"]
    assert len(ms) == 2
    assert {"name", "kind", "definition", "data_sources", "cadence", "balancing_measure", "baseline_prompt"} <= ms[
        0
    ].keys()
    assert_problem(client.post("/v1/measures", json={"outcome": "x", "k": 11}), 422)
    assert_problem(client.post("/v1/measures", json={"outcome": "y" * 2001}), 422)


def test_knowledge_search_with_citations(client: TestClient) -> None:
    r = client.get(
        "/v1/knowledge/search", params={"q": "what is the difference between an output and an outcome", "k": 3}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["kind"] == "guidance" and len(body["results"]) == 3
    assert body["results"][0]["citation"]["title"]
    m = client.get("/v1/knowledge/search", params={"q": "staff retention", "kind": "measures", "k": 2}).json()
    assert all(p["kind"] == "measures" for p in m["results"])
    body = assert_problem(client.get("/v1/knowledge/search", params={"q": "x", "kind": "secrets"}), 422)
    assert body["errors"][0]["field"] == "query.kind"
    assert_problem(client.get("/v1/knowledge/search"), 422)


def test_corrections_need_staff_and_apply_at_once(make_client: Any, team: str) -> None:
    c = make_client(require_keys=True)
    key = new_key(c, team)
    text = f"Refreshed the {team} dashboard for the leadership offsite"
    r = c.post("/v1/corrections", json={"text": text, "label": "outcome"}, headers=bearer(key))
    assert r.status_code == 201, r.text
    assert r.json()["id"] > 0 and r.json()["label"] == "outcome"
    got = c.post("/v1/classify", json={"text": text, "split": False}, headers=bearer(key)).json()["statements"][0]
    assert got["label"] == "outcome"
    body = assert_problem(c.post("/v1/corrections", json={"text": text, "label": "impact"}, headers=bearer(key)), 422)
    assert body["errors"][0]["field"] == "body.label"
