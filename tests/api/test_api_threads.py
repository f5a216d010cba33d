"""PUT/GET /v1/threads/{external_id}: a bot's thread id → its coach session, started on first use, per team."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import quote

import pytest
from apikit import assert_problem, bearer, new_key
from fastapi.testclient import TestClient

SLACK_ID = "slack:T1:C1:1712345.000100"


@pytest.fixture
def keyed(make_client: Any) -> TestClient:
    return make_client(require_keys=True)


def test_first_use_starts_a_session_then_the_same_one_comes_back(keyed: TestClient, team: str) -> None:
    h = bearer(new_key(keyed, team))
    assert_problem(keyed.get(f"/v1/threads/{SLACK_ID}", headers=h), 404)
    first = keyed.put(f"/v1/threads/{SLACK_ID}", headers=h)
    assert first.status_code == 201, first.text
    body = first.json()
    sid = body["session_id"]
    assert body["created"] is True and body["external_id"] == SLACK_ID and body["session"]["id"] == sid
    assert first.headers["location"] == f"/v1/sessions/{sid}"
    assert body["session"]["messages"][0]["role"] == "coach"  # the greeting
    keyed.post(f"/v1/sessions/{sid}/messages", json={"text": "We ran 14 workshops"}, headers=h)
    again = keyed.put(f"/v1/threads/{SLACK_ID}", headers=h)
    assert again.status_code == 200 and again.json()["created"] is False and again.json()["session_id"] == sid
    assert [t["text"] for t in again.json()["session"]["messages"] if t["role"] == "user"] == ["We ran 14 workshops"]
    got = keyed.get(f"/v1/threads/{SLACK_ID}", headers=h)
    assert got.status_code == 200 and got.json()["session_id"] == sid
    # percent-encoded ids (what HTTP clients send) name the same thread
    assert keyed.put(f"/v1/threads/{quote(SLACK_ID, safe='')}", headers=h).json()["session_id"] == sid


def test_threads_are_scoped_to_the_keys_team(keyed: TestClient, team: str) -> None:
    mine, theirs = bearer(new_key(keyed, team)), bearer(new_key(keyed, team + "-other"))
    sid = keyed.put(f"/v1/threads/{SLACK_ID}", headers=mine).json()["session_id"]
    other = keyed.put(f"/v1/threads/{SLACK_ID}", headers=theirs).json()
    assert other["created"] is True and other["session_id"] != sid
    assert_problem(keyed.get(f"/v1/sessions/{sid}", headers=theirs), 404)
    assert [s["id"] for s in keyed.get("/v1/sessions", headers=mine).json()["sessions"]] == [sid]


def test_concurrent_first_messages_get_one_session(keyed: TestClient, team: str) -> None:
    h = bearer(new_key(keyed, team))
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda _: keyed.put("/v1/threads/teams:19:abc@thread.v2", headers=h), range(6)))
    assert all(r.status_code in (200, 201) for r in results), [r.text for r in results]
    assert len({r.json()["session_id"] for r in results}) == 1
    assert sum(r.json()["created"] for r in results) == 1
    assert len(keyed.get("/v1/sessions", headers=h).json()["sessions"]) == 1  # the losers' sessions are gone


@pytest.mark.parametrize(
    ("external_id", "words"),
    [
        ("x" * 201, "too long (201 characters; the limit is 200)"),
        ("slack:T1:C1:has space", "not allowed: ' ' at position 16"),
        ("slack/T1/C1", "not allowed: '/' at position 6"),
        ("slack:T1:%0A", "not allowed: U+000A at position 10"),
        ("caf%C3%A9", "not allowed: 'é' at position 4"),
    ],
)
def test_bad_ids_are_clear_422s(keyed: TestClient, team: str, external_id: str, words: str) -> None:
    h = bearer(new_key(keyed, team))
    for r in (keyed.put(f"/v1/threads/{external_id}", headers=h), keyed.get(f"/v1/threads/{external_id}", headers=h)):
        body = assert_problem(r, 422)
        assert words in body["detail"], body["detail"]
        assert "letters, digits" in body["hint"] and "whoever runs this bot" in body["user_message"]
    assert keyed.get("/v1/sessions", headers=h).json()["sessions"] == []  # nothing was started


def test_widget_keys_cannot_map_threads(keyed: TestClient, team: str) -> None:
    site = "https://intranet.example.org"
    h = bearer(new_key(keyed, team, "widget", (site,)), Origin=site)
    body = assert_problem(keyed.put(f"/v1/threads/{SLACK_ID}", headers=h), 403)
    assert "widget key cannot map threads" in body["detail"]
    assert_problem(keyed.put(f"/v1/threads/{SLACK_ID}"), 401)


def test_openapi_documents_threads(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    put = spec["paths"]["/v1/threads/{external_id}"]["put"]
    assert {"200", "201", "422"} <= put["responses"].keys()
    [param] = put["parameters"]
    assert param["schema"]["examples"] == [SLACK_ID] and "letters, digits" in param["description"]
