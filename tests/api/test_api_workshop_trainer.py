"""The trainer's real workshop: join link and QR code, start / close / reset, close calls worth discussing,
outputs that never reached an outcome, participants named in exports, and an incremental view in SQL."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from apikit import assert_problem, bearer, new_key, parse_sse
from fastapi.testclient import TestClient
from sqlalchemy import event

from coach.domain import Chain, Classification


def workshop(c: TestClient, headers: dict[str, str] | None = None, **body: Any) -> dict[str, Any]:
    r = c.post("/v1/workshops", json={"title": "Clinic", **body}, headers=headers or {})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def join(c: TestClient, code: str, name: str) -> Any:
    return c.post("/v1/sessions", json={"mode": "workshop", "workshop": code, "participant": name})


def stated(service: Any, sid: str, *items: tuple[str, str, float, bool]) -> None:
    """Record classified statements in a session as a turn would (text, label, confidence, flagged)."""
    with service.sessions.transaction() as tx:
        tx.add_statements(
            sid,
            1,
            [
                Classification(text=t, label=lab, confidence=conf, rationale="r", needs_clarification=flag)  # type: ignore[arg-type]
                for t, lab, conf, flag in items
            ],
        )


def test_close_calls_are_worth_discussing_not_only_the_ones_the_coach_asked_about(
    client: TestClient, api_service: Any
) -> None:
    code = workshop(client)["code"]
    sid = join(client, code, "Ada").json()["id"]
    stated(
        api_service,
        sid,
        ("We ran nine workshops", "output", 0.97, False),
        ("Managers feel more confident", "outcome", 0.69, False),  # the 69 % one that never showed
        ("We improved onboarding", "output", 0.58, True),
        ("Attrition falls", "outcome", 0.91, False),
    )
    view = client.get(f"/v1/workshops/{code}").json()
    assert [u["text"] for u in view["unsure"]] == ["We improved onboarding", "Managers feel more confident"]
    assert view["counts"] == {"output": 2, "outcome": 2}


def test_outputs_that_never_reached_an_outcome_are_shown_and_participants_named_in_exports(
    client: TestClient, api_service: Any
) -> None:
    code = workshop(client, title="March clinic")["code"]
    ada, ben = join(client, code, "Ada").json()["id"], join(client, code, "Ben").json()["id"]
    with api_service.sessions.transaction() as tx:
        tx.save_chains(
            ada,
            [
                Chain(id="a1", origin="We sent a newsletter", origin_label="output", status="skipped"),
                Chain(
                    id="a2",
                    origin="We ran 14 workshops",
                    origin_label="output",
                    rungs=["Leads give feedback"],
                    outcome="New hires stay",
                    status="outcome",
                ),
            ],
        )
        tx.save_chains(
            ben,
            [Chain(id="b1", origin="We migrated 300 servers", origin_label="output", rungs=["Fewer outages"])],
        )
    view = client.get(f"/v1/workshops/{code}").json()
    assert [(c["origin"], c["participant"], c["status"]) for c in view["stuck"]] == [
        ("We sent a newsletter", "Ada", "skipped"),
        ("We migrated 300 servers", "Ben", "open"),
    ]
    assert [c["participant"] for c in view["chains"]] == ["Ada", "Ben"]
    md = client.get(f"/v1/workshops/{code}/map", params={"format": "md"}).text
    assert "**Participant:** Ada" in md and "**Participant:** Ben" in md
    rows = list(csv.DictReader(io.StringIO(client.get(f"/v1/workshops/{code}/map", params={"format": "csv"}).text)))
    assert {(r["participant"], r["output"]) for r in rows} >= {
        ("Ada", "We ran 14 workshops"),
        ("Ben", "We migrated 300 servers"),
    }
    svg = client.get(f"/v1/workshops/{code}/map", params={"format": "svg"}).text
    assert "— Ada" in svg and "— Ben" in svg


def test_start_close_and_reset(client: TestClient) -> None:
    w = workshop(client, start=False)
    code = w["code"]
    assert w["status"] == "waiting"
    body = assert_problem(join(client, code, "Early"), 409)
    assert "has not started" in body["detail"] and "Wait for your trainer" in body["hint"]
    assert client.post(f"/v1/workshops/{code}/start").json() == {"code": code, "status": "live", "removed": 0}
    sid = join(client, code, "Ada").json()["id"]
    assert client.post(f"/v1/sessions/{sid}/messages", json={"text": "We ran 14 workshops"}).status_code == 200
    assert client.post(f"/v1/workshops/{code}/close").json()["status"] == "closed"
    body = assert_problem(join(client, code, "Late"), 409)
    assert "has closed" in body["detail"]
    # nothing anyone said is lost by closing: the participant can still finish a thought
    assert client.post(f"/v1/sessions/{sid}/messages", json={"text": "New hires stay longer"}).status_code == 200
    assert client.get(f"/v1/workshops/{code}").json()["status"] == "closed"
    listed = {w["code"]: w for w in client.get("/v1/workshops").json()["workshops"]}
    assert listed[code]["status"] == "closed" and listed[code]["participants"] == 1
    reset = client.post(f"/v1/workshops/{code}/reset").json()
    assert reset == {"code": code, "status": "waiting", "removed": 1}
    assert_problem(client.get(f"/v1/sessions/{sid}"), 404)
    view = client.get(f"/v1/workshops/{code}").json()
    assert view["participants"] == 0 and view["statements"] == [] and view["counts"] == {"output": 0, "outcome": 0}
    assert_problem(join(client, "ZZZZZ9", "Ada"), 404)  # an unknown code is not there: 404, not a 422


def test_workshop_controls_need_the_trainers_team(make_client: Any, team: str) -> None:
    c = make_client(require_keys=True)
    trainer = new_key(c, team, "trainer")
    code = workshop(c, bearer(trainer))["code"]
    other = new_key(c, team + "-x", "trainer")
    widget = new_key(c, team, "widget", ("https://intranet.example.org",))
    assert_problem(c.post(f"/v1/workshops/{code}/close", headers=bearer(other)), 404)
    assert_problem(
        c.post(f"/v1/workshops/{code}/reset", headers=bearer(widget, origin="https://intranet.example.org")), 403
    )
    assert c.post(f"/v1/workshops/{code}/close", params={"key": trainer}).json()["status"] == "closed"


def test_join_link_and_qr_code_on_the_trainer_page(make_client: Any, team: str) -> None:
    c = make_client(require_keys=True, join_page="https://intranet.example.org/planning?tab=2")
    trainer = new_key(c, team, "trainer")
    w = workshop(c, bearer(trainer))
    link = urlsplit(w["join_url"])
    assert (link.scheme, link.netloc, link.path) == ("https", "intranet.example.org", "/planning")
    assert parse_qs(link.query) == {"tab": ["2"], "coach-join": [w["code"]]}
    page = c.get(f"/trainer/{w['code']}", params={"key": trainer}).text
    assert 'src="data:image/svg+xml' in page and w["join_url"].replace("&", "&amp;") in page
    assert 'id="t-start"' in page and 'id="t-close"' in page and 'id="t-reset-dialog"' in page
    default = make_client()
    assert workshop(default)["join_url"].startswith("http://testserver/?coach-join=")


def test_qr_code_encodes_the_join_link(client: TestClient) -> None:
    import base64
    import re
    from urllib.parse import unquote

    w = workshop(client)
    page = client.get(f"/trainer/{w['code']}").text
    uri = re.search(r'src="(data:image/svg\+xml[^"]*)"', page)
    assert uri is not None
    data = uri.group(1).split(",", 1)[1]
    svg = base64.b64decode(data).decode() if ";base64" in uri.group(1) else unquote(data)
    assert svg.lstrip().startswith("<svg") or "<svg" in svg[:200]
    # The same link, encoded by the same library, gives the same symbol: the QR is of the join link.
    import segno

    from api.routes.pages import qr_data_uri

    assert uri.group(1).replace("&amp;", "&") == qr_data_uri(w["join_url"])
    assert segno.make(w["join_url"], error="m").designator


# ----- the incremental view: SQL only, no session state -----------------------------------------------


@pytest.fixture
def sql_log(api_container: Any) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(api_container.db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(api_container.db.engine, "before_cursor_execute", record)


def test_incremental_view_reads_neither_session_state_nor_old_statements(
    client: TestClient, api_service: Any, sql_log: list[str]
) -> None:
    code = workshop(client)["code"]
    sids = [join(client, code, f"P{i}").json()["id"] for i in range(12)]
    for i, sid in enumerate(sids):
        stated(api_service, sid, (f"We ran {i} workshops", "output", 0.9, False))
    last = client.get(f"/v1/workshops/{code}").json()["last_id"]
    stated(api_service, sids[0], ("New hires stay longer", "outcome", 0.95, False))
    sql_log.clear()
    later = client.get(f"/v1/workshops/{code}", params={"after": last}).json()
    assert [s["text"] for s in later["statements"]] == ["New hires stay longer"]
    assert later["counts"] == {"output": 12, "outcome": 1} and later["participants"] == 12
    reads = [q for q in sql_log if q.lstrip().upper().startswith("SELECT")]
    assert not any("sessions.state" in q for q in reads), reads
    assert len(reads) <= 8, reads  # a fixed number of queries, not one (or more) per participant
    assert any("statements.id >" in q for q in reads)  # only the new statements are fetched


def test_event_stream_sends_a_fresh_snapshot_after_a_reset_and_the_status(client: TestClient) -> None:
    client.app.state.sse_poll_seconds = 0.05  # type: ignore[attr-defined]
    client.app.state.sse_max_seconds = 1.5  # type: ignore[attr-defined]
    code = workshop(client)["code"]
    sid = join(client, code, "Ada").json()["id"]
    client.post(f"/v1/sessions/{sid}/messages", json={"text": "We ran 14 workshops for team leads"})
    result: dict[str, Any] = {}

    def listen() -> None:
        result["r"] = client.get(f"/v1/workshops/{code}/events")

    t = threading.Thread(target=listen)
    t.start()
    time.sleep(0.4)
    client.post(f"/v1/workshops/{code}/close")
    time.sleep(0.3)
    client.post(f"/v1/workshops/{code}/reset")
    t.join(10)
    events = parse_sse(result["r"].text)
    kinds = [e["event"] for e in events]
    assert kinds[0] == "snapshot" and kinds.count("snapshot") == 2, kinds
    statuses = [json.loads(e["data"])["status"] for e in events if e["event"] in ("summary", "snapshot")]
    assert "closed" in statuses
    final = json.loads([e for e in events if e["event"] == "snapshot"][-1]["data"])
    assert final["statements"] == [] and final["participants"] == 0
