"""Sessions over HTTP: start, converse (JSON and server-sent events), idempotent retries, maps, delete."""

from __future__ import annotations

import csv
import io
import json

from apikit import assert_problem, parse_sse
from fastapi.testclient import TestClient

OUTPUT = "We ran 14 workshops for team leads this quarter"
OUTCOME = "Team leads give clearer feedback, so fewer new hires quit in their first year"


def start(c: TestClient, **body: object) -> dict:
    r = c.post("/v1/sessions", json=body)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def test_start_session_greets_and_sets_location(client: TestClient) -> None:
    r = client.post("/v1/sessions", json={"mode": "coach"})
    assert r.status_code == 201
    body = r.json()
    assert r.headers["location"] == f"/v1/sessions/{body['id']}"
    assert body["mode"] == "coach" and body["workshop"] is None
    assert [m["role"] for m in body["messages"]] == ["coach"]
    assert body["messages"][0]["reply"]["state"] == "welcome"
    assert body["map"]["nodes"] == []


def test_unknown_mode_and_missing_workshop_are_problems(client: TestClient) -> None:
    body = assert_problem(client.post("/v1/sessions", json={"mode": "chat"}), 422)
    assert body["errors"][0]["field"] == "body.mode"
    body = assert_problem(client.post("/v1/sessions", json={"mode": "workshop"}), 422)
    assert "code" in body["detail"]
    body = assert_problem(client.post("/v1/sessions", json={"mode": "workshop", "workshop": "NOPE99"}), 404)
    assert "No workshop with code 'NOPE99'" in body["detail"]


def test_conversation_output_then_outcome_gives_measures_and_map(client: TestClient) -> None:
    sid = start(client)["id"]
    r = client.post(f"/v1/sessions/{sid}/messages", json={"text": OUTPUT})
    assert r.status_code == 200, r.text
    turn = r.json()
    reply = turn["reply"]
    assert reply["statements"][0]["label"] == "output"
    assert 0 <= reply["statements"][0]["confidence"] <= 1 and reply["statements"][0]["rationale"]
    assert reply["question"] and reply["question"] in reply["text"]
    assert turn["replayed"] is False
    turn = client.post(f"/v1/sessions/{sid}/messages", json={"text": OUTCOME}).json()
    assert turn["reply"]["statements"][0]["label"] == "outcome"
    assert len(turn["reply"]["measures"]) >= 1
    kinds = {n["kind"] for n in turn["map"]["nodes"]}
    assert {"output", "outcome", "measure"} <= kinds

    view = client.get(f"/v1/sessions/{sid}").json()
    assert [m["role"] for m in view["messages"]] == ["coach", "user", "coach", "user", "coach"]
    assert [m["text"] for m in view["messages"] if m["role"] == "user"] == [OUTPUT, OUTCOME]
    assert view["map"] == turn["map"]


def test_idempotency_key_replays_instead_of_recording_twice(client: TestClient) -> None:
    sid = start(client)["id"]
    headers = {"Idempotency-Key": "msg-1"}
    first = client.post(f"/v1/sessions/{sid}/messages", json={"text": OUTPUT}, headers=headers).json()
    again = client.post(f"/v1/sessions/{sid}/messages", json={"text": OUTPUT}, headers=headers).json()
    assert again["replayed"] is True and again["reply"] == first["reply"]
    users = [m for m in client.get(f"/v1/sessions/{sid}").json()["messages"] if m["role"] == "user"]
    assert len(users) == 1
    assert_problem(
        client.post(f"/v1/sessions/{sid}/messages", json={"text": OUTPUT}, headers={"Idempotency-Key": "k" * 201}), 422
    )


def test_message_streams_as_server_sent_events(client: TestClient) -> None:
    sid = start(client)["id"]
    r = client.post(f"/v1/sessions/{sid}/messages", json={"text": OUTPUT}, headers={"Accept": "text/event-stream"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/event-stream")
    assert "\r\n\r\n" in r.text or "\n\n" in r.text
    events = parse_sse(r.text)
    names = [e["event"] for e in events]
    assert names[0] == "accepted" and names[-1] == "done"
    assert names.index("statement") < names.index("delta") < names.index("map") < names.index("done")
    assert json.loads(events[0]["data"]) == {"session_id": sid}
    done = json.loads(events[-1]["data"])
    deltas = [json.loads(e["data"])["text"] for e in events if e["event"] == "delta"]
    assert "\n\n".join(deltas) == done["reply"]["text"]
    assert json.loads(next(e["data"] for e in events if e["event"] == "statement"))["label"] == "output"
    # the streamed turn is stored exactly like a JSON one
    users = [m for m in client.get(f"/v1/sessions/{sid}").json()["messages"] if m["role"] == "user"]
    assert [u["text"] for u in users] == [OUTPUT]


def test_streamed_message_refuses_bad_input_before_streaming(client: TestClient) -> None:
    sid = start(client)["id"]
    sse = {"Accept": "text/event-stream"}
    assert_problem(client.post(f"/v1/sessions/{sid}/messages", json={"text": "   "}, headers=sse), 422)
    assert_problem(client.post("/v1/sessions/0000/messages", json={"text": OUTPUT}, headers=sse), 404)


def test_map_exports_in_every_format(client: TestClient) -> None:
    sid = start(client)["id"]
    client.post(f"/v1/sessions/{sid}/messages", json={"text": OUTPUT})
    client.post(f"/v1/sessions/{sid}/messages", json={"text": OUTCOME})
    r = client.get(f"/v1/sessions/{sid}/map", params={"format": "json"})
    assert r.headers["content-type"].startswith("application/json") and r.json()["nodes"]
    r = client.get(f"/v1/sessions/{sid}/map", params={"format": "md"})
    assert r.headers["content-type"].startswith("text/markdown") and r.text.startswith("# Outcome map")
    r = client.get(f"/v1/sessions/{sid}/map", params={"format": "csv"})
    rows = list(csv.reader(io.StringIO(r.text)))
    assert r.headers["content-type"].startswith("text/csv") and rows[0][0] == "chain" and len(rows) > 1
    r = client.get(f"/v1/sessions/{sid}/map", params={"format": "svg", "download": "true"})
    assert r.headers["content-type"].startswith("image/svg+xml") and r.text.startswith("<svg")
    assert r.headers["content-disposition"] == f'attachment; filename="outcome-map-{sid[:8]}.svg"'
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    body = assert_problem(client.get(f"/v1/sessions/{sid}/map", params={"format": "pdf"}), 422)
    assert body["errors"][0]["field"] == "query.format"


def test_delete_removes_the_session(client: TestClient) -> None:
    sid = start(client)["id"]
    client.post(f"/v1/sessions/{sid}/messages", json={"text": OUTPUT})
    assert client.delete(f"/v1/sessions/{sid}").status_code == 204
    for r in (
        client.get(f"/v1/sessions/{sid}"),
        client.get(f"/v1/sessions/{sid}/map"),
        client.post(f"/v1/sessions/{sid}/messages", json={"text": OUTPUT}),
        client.delete(f"/v1/sessions/{sid}"),
    ):
        assert_problem(r, 404)


def test_list_sessions_in_dev_mode(client: TestClient) -> None:
    sid = start(client)["id"]
    ids = [s["id"] for s in client.get("/v1/sessions").json()["sessions"]]
    assert sid in ids


def test_unknown_session_is_404_problem(client: TestClient) -> None:
    body = assert_problem(client.get("/v1/sessions/does-not-exist"), 404)
    assert body["type"].endswith("session_not_found") and body["title"] == "Session not found"
