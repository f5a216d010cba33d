"""Trainer workshops: create, join, the live event stream, the trainer page and the workshop map."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from apikit import assert_problem, bearer, new_key, parse_sse
from fastapi.testclient import TestClient


def workshop(c: TestClient, headers: dict[str, str] | None = None, title: str = "Outcomes clinic") -> str:
    r = c.post("/v1/workshops", json={"title": title}, headers=headers or {})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["trainer_page"] == f"/trainer/{body['code']}" and r.headers["location"].endswith(body["code"])
    return str(body["code"])


def join(c: TestClient, code: str, name: str, headers: dict[str, str] | None = None) -> str:
    r = c.post("/v1/sessions", json={"mode": "workshop", "workshop": code, "participant": name}, headers=headers or {})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_workshop_collects_participants_statements(client: TestClient) -> None:
    code = workshop(client)
    assert len(code) == 6
    a, b = join(client, code, "Ada"), join(client, code, "Ben")
    client.post(f"/v1/sessions/{a}/messages", json={"text": "We ran 14 workshops for team leads"})
    client.post(f"/v1/sessions/{b}/messages", json={"text": "Fewer new hires quit in their first year"})
    view = client.get(f"/v1/workshops/{code}").json()
    assert view["participants"] == 2
    assert view["counts"] == {"output": 1, "outcome": 1}
    assert [(s["participant"], s["label"]) for s in view["statements"]] == [("Ada", "output"), ("Ben", "outcome")]
    later = client.get(f"/v1/workshops/{code}", params={"after": view["statements"][0]["id"]}).json()
    assert [s["participant"] for s in later["statements"]] == ["Ben"]


def test_workshop_map_exports(client: TestClient) -> None:
    code = workshop(client, title="March clinic")
    sid = join(client, code, "Ada")
    client.post(f"/v1/sessions/{sid}/messages", json={"text": "We ran 14 workshops for team leads"})
    client.post(f"/v1/sessions/{sid}/messages", json={"text": "Fewer new hires quit in their first year"})
    md = client.get(f"/v1/workshops/{code}/map", params={"format": "md"})
    assert md.status_code == 200 and md.text.startswith("# Outcome map — March clinic")
    svg = client.get(f"/v1/workshops/{code}/map", params={"format": "svg", "download": True})
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.headers["content-disposition"] == f'attachment; filename="workshop-{code}.svg"'
    assert client.get(f"/v1/workshops/{code}/map", params={"format": "csv"}).text.startswith("chain,")
    assert client.get(f"/v1/workshops/{code}/map").json()["nodes"]
    body = assert_problem(client.get("/v1/workshops/ZZZZZZ/map"), 404)
    assert "No workshop with code 'ZZZZZZ'" in body["detail"]


def test_event_stream_snapshot_then_live_statements(client: TestClient) -> None:
    client.app.state.sse_poll_seconds = 0.1  # type: ignore[attr-defined]
    client.app.state.sse_max_seconds = 1.5  # type: ignore[attr-defined]
    code = workshop(client)
    first = join(client, code, "Ada")
    client.post(f"/v1/sessions/{first}/messages", json={"text": "We ran 14 workshops for team leads"})
    second = join(client, code, "Ben")
    result: dict[str, Any] = {}

    def listen() -> None:
        result["r"] = client.get(f"/v1/workshops/{code}/events")

    t = threading.Thread(target=listen)
    t.start()
    time.sleep(0.5)
    client.post(f"/v1/sessions/{second}/messages", json={"text": "Fewer new hires quit in their first year"})
    t.join(10)
    r = result["r"]
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    events = parse_sse(r.text)
    assert events[0]["event"] == "snapshot"
    snap = json.loads(events[0]["data"])
    assert [s["participant"] for s in snap["statements"]] == ["Ada"]
    assert events[0]["id"] == str(snap["last_id"]) and "retry" in events[0]
    live = [e for e in events[1:] if e["event"] == "statement"]
    assert [json.loads(e["data"])["participant"] for e in live] == ["Ben"]
    assert live[0]["id"] == str(json.loads(live[0]["data"])["id"])
    summaries = [json.loads(e["data"]) for e in events if e["event"] == "summary"]
    assert summaries and summaries[-1]["counts"] == {"output": 1, "outcome": 1}


def test_event_stream_resumes_from_last_event_id(client: TestClient) -> None:
    client.app.state.sse_max_seconds = 0.2  # type: ignore[attr-defined]
    code = workshop(client)
    sid = join(client, code, "Ada")
    client.post(f"/v1/sessions/{sid}/messages", json={"text": "We ran 14 workshops for team leads"})
    client.post(f"/v1/sessions/{sid}/messages", json={"text": "Fewer new hires quit in their first year"})
    all_ids = [s["id"] for s in client.get(f"/v1/workshops/{code}").json()["statements"]]
    r = client.get(f"/v1/workshops/{code}/events", headers={"Last-Event-ID": str(all_ids[0])})
    snap = json.loads(parse_sse(r.text)[0]["data"])
    assert [s["id"] for s in snap["statements"]] == all_ids[1:]
    assert snap["counts"]["output"] + snap["counts"]["outcome"] == len(all_ids)


def test_workshop_auth(make_client: Any, team: str) -> None:
    c = make_client(require_keys=True)
    trainer, api = new_key(c, team, "trainer"), new_key(c, team, "api")
    code = workshop(c, bearer(trainer))
    workshop(c, bearer(api))
    assert_problem(c.post("/v1/workshops", json={}), 401)
    assert c.get(f"/v1/workshops/{code}", params={"key": trainer}).status_code == 200  # query key: pages, streams
    assert_problem(c.get(f"/v1/workshops/{code}/events", params={"key": "oc_t_wrong"}), 401)
    other = new_key(c, team + "-other", "trainer")
    assert_problem(c.get(f"/v1/workshops/{code}/events", params={"key": other}), 404)
    assert_problem(c.get(f"/v1/workshops/{code}/map", headers=bearer(other)), 404)


def test_trainer_page(make_client: Any, team: str) -> None:
    c = make_client(require_keys=True)
    trainer = new_key(c, team, "trainer")
    code = workshop(c, bearer(trainer), title='Clinic <script>alert("x")</script>')
    r = c.get(f"/trainer/{code}", params={"key": trainer})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert f'data-code="{code}"' in r.text and "/static/trainer.js" in r.text
    assert "<script>alert" not in r.text and "&lt;script&gt;alert(&quot;x&quot;)" in r.text
    assert "script-src 'self'" in r.headers["content-security-policy"]
    denied = c.get(f"/trainer/{code}")
    assert denied.status_code == 401 and "An API key is required." in denied.text
    missing = c.get("/trainer/NOPE42", params={"key": trainer})
    assert missing.status_code == 404 and "No workshop with code" in missing.text


def test_demo_page_and_widget_files(client: TestClient) -> None:
    r = client.get("/", params={"key": 'oc_w_"><script>x</script>'})
    assert r.status_code == 200 and '<script src="/widget.js"' in r.text
    assert "<script>x</script>" not in r.text and 'data-key="oc_w_&quot;&gt;&lt;script&gt;' in r.text
    js = client.get("/widget.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert "innerHTML" not in js.text and "insertAdjacentHTML" not in js.text and "outerHTML" not in js.text
    assert client.get("/widget.css").headers["content-type"].startswith("text/css")
    trainer_js = client.get("/static/trainer.js").text
    assert "innerHTML" not in trainer_js
