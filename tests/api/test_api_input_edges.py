"""Input at the edges: text that is not valid Unicode, NUL on both databases, a reused Idempotency-Key, too many
statements in one request, and statements counted by the rate limit."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from apikit import LOCAL, assert_problem, bearer, new_key, parse_sse
from fastapi.testclient import TestClient

from api.app import create_app
from coach.errors import InvalidInput
from coach.text import clean

SURROGATE = '"We ran 14 workshops \\ud800 for team leads"'  # a JSON escape of a lone surrogate


def raw(c: TestClient, path: str, body: str, **headers: str) -> Any:
    return c.post(path, content=body.encode(), headers={"content-type": "application/json", **headers})


def new_session(c: TestClient, **headers: str) -> str:
    r = c.post("/v1/sessions", json={}, headers=headers)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


# ----- lone surrogates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "template", "field"),
    [
        ("/v1/classify", '{"text": %s}', "body.text"),
        ("/v1/classify", '{"text": "fine", "split": false, "extra": [%s]}', "body.extra.0"),
        ("/v1/measures", '{"outcome": %s, "k": 3}', "body.outcome"),
        ("/v1/corrections", '{"text": %s, "label": "output"}', "body.text"),
        ("/v1/workshops", '{"title": %s}', "body.title"),
        ("/v1/sessions", '{"mode": "coach", "participant": %s}', "body.participant"),
        ("SESSION/messages", '{"text": %s}', "body.text"),
    ],
)
def test_a_lone_surrogate_in_any_text_field_is_a_422_naming_the_field(
    client: TestClient, path: str, template: str, field: str
) -> None:
    if path.startswith("SESSION"):
        path = f"/v1/sessions/{new_session(client)}/messages"
    body = assert_problem(raw(client, path, template % SURROGATE), 422)
    assert body["errors"][0]["field"] == field, body
    assert "surrogate" in body["detail"] and field in body["detail"]


def test_a_lone_surrogate_in_a_streamed_message_is_a_422_before_the_stream(client: TestClient) -> None:
    sid = new_session(client)
    r = raw(client, f"/v1/sessions/{sid}/messages", f'{{"text": {SURROGATE}}}', accept="text/event-stream")
    body = assert_problem(r, 422)
    assert body["errors"][0]["field"] == "body.text"
    # nothing was recorded, and the session goes on
    assert [m["role"] for m in client.get(f"/v1/sessions/{sid}").json()["messages"]] == ["coach"]
    ok = client.post(f"/v1/sessions/{sid}/messages", json={"text": "We ran 14 workshops for team leads"})
    assert ok.status_code == 200, ok.text


def test_a_surrogate_pair_is_ordinary_text(client: TestClient) -> None:
    r = raw(client, "/v1/classify", '{"text": "We shipped the portal \\ud83d\\ude80", "split": false}')
    assert r.status_code == 200, r.text
    assert "\U0001f680" in r.json()["statements"][0]["text"]


def test_the_core_refuses_a_lone_surrogate_from_any_channel() -> None:
    with pytest.raises(InvalidInput) as info:
        clean("We ran \ud800 workshops", what="message")
    assert "surrogate" in info.value.message and "character 8" in info.value.message


def test_a_failure_inside_a_message_stream_arrives_as_an_error_event(api_container: Any, api_settings: Any) -> None:
    from types import SimpleNamespace

    class Broken:
        """The real service, except that handling a message fails in an unexpected way."""

        def __init__(self, real: Any) -> None:
            self._real = real

        def __getattr__(self, name: str) -> Any:
            return getattr(self._real, name)

        def handle_message(self, *args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("the disk caught fire")

    broken = SimpleNamespace(
        settings=api_container.settings,
        db=api_container.db,
        keys=api_container.keys,
        service=Broken(api_container.service),
    )
    with TestClient(create_app(api_settings, container=broken), client=LOCAL) as c:  # type: ignore[arg-type]
        sid = new_session(c)
        r = c.post(
            f"/v1/sessions/{sid}/messages",
            json={"text": "We ran 14 workshops"},
            headers={"accept": "text/event-stream"},
        )
    events = parse_sse(r.text)
    assert [e["event"] for e in events] == ["accepted", "error"], events
    problem = json.loads(events[-1]["data"])
    assert problem["status"] == 500 and problem["request_id"] and "fire" not in r.text


# ----- NUL on both databases --------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgres"])
def db_client(request: pytest.FixtureRequest, api_container: Any, api_settings: Any) -> Iterator[TestClient]:
    """A client over SQLite (the shared container) or over a fresh PostgreSQL schema with the same index."""
    if request.param == "sqlite":
        with TestClient(create_app(api_settings, container=api_container), client=LOCAL) as c:
            yield c
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from api.container import build

    base = request.getfixturevalue("pg_url")
    schema = f"coach_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    settings = api_settings.model_copy(update={"database_url": url.render_as_string(hide_password=False)})
    container = build(settings)
    try:
        with TestClient(create_app(settings, container=container), client=LOCAL) as c:
            yield c
    finally:
        container.close()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def test_nul_in_names_codes_and_ids_is_422_or_404_on_both_databases(db_client: TestClient) -> None:
    c = db_client
    code = c.post("/v1/workshops", json={"title": "Clinic"}).json()["code"]
    body = assert_problem(c.post("/v1/workshops", json={"title": "Clinic\u0000"}), 422)
    assert body["errors"][0]["field"] == "body.title"
    body = assert_problem(
        c.post("/v1/sessions", json={"mode": "workshop", "workshop": code, "participant": "A\u0000"}), 422
    )
    assert body["errors"][0]["field"] == "body.participant"
    body = assert_problem(c.post("/v1/sessions", json={"mode": "workshop", "workshop": code + "\u0000"}), 422)
    assert body["errors"][0]["field"] == "body.workshop"
    assert_problem(c.get("/v1/sessions/abc%00def"), 404)
    assert_problem(c.post("/v1/sessions/abc%00def/messages", json={"text": "We ran workshops"}), 404)
    assert_problem(c.delete("/v1/sessions/%00"), 404)
    assert_problem(c.get(f"/v1/workshops/{code}%00"), 404)
    assert_problem(c.get(f"/v1/workshops/{code}%00/map"), 404)
    assert_problem(
        c.post("/v1/corrections", json={"text": "We ran workshops", "label": "output", "session_id": "a\u0000"}), 404
    )
    assert c.get(f"/trainer/{code}%00").status_code == 404
    # and the database is still fine
    sid = c.post("/v1/sessions", json={"mode": "workshop", "workshop": code, "participant": "Ada"}).json()["id"]
    assert (
        c.post(f"/v1/sessions/{sid}/messages", json={"text": "We ran 14 workshops\u0000 for leads"}).status_code == 200
    )


# ----- Idempotency-Key reused with another message ----------------------------------------------------


def test_an_idempotency_key_reused_with_a_different_message_is_refused(client: TestClient) -> None:
    sid = new_session(client)
    first = client.post(
        f"/v1/sessions/{sid}/messages", json={"text": "We ran 14 workshops"}, headers={"Idempotency-Key": "k-1"}
    )
    assert first.status_code == 200 and first.json()["replayed"] is False
    again = client.post(
        f"/v1/sessions/{sid}/messages", json={"text": "We ran 14 workshops"}, headers={"Idempotency-Key": "k-1"}
    )
    assert again.status_code == 200 and again.json()["replayed"] is True
    other = client.post(
        f"/v1/sessions/{sid}/messages", json={"text": "Fewer new hires quit"}, headers={"Idempotency-Key": "k-1"}
    )
    body = assert_problem(other, 422)
    assert body["type"].endswith("idempotency_key_reused") and body["title"] == "Idempotency key reused"
    assert "new key" in body["hint"]
    streamed = client.post(
        f"/v1/sessions/{sid}/messages",
        json={"text": "Fewer new hires quit"},
        headers={"Idempotency-Key": "k-1", "accept": "text/event-stream"},
    )
    error = [e for e in parse_sse(streamed.text) if e["event"] == "error"]
    assert error and json.loads(error[0]["data"])["status"] == 422
    users = [m["text"] for m in client.get(f"/v1/sessions/{sid}").json()["messages"] if m["role"] == "user"]
    assert users == ["We ran 14 workshops"]  # the refused message was not recorded, nor the first twice


# ----- statements per request -------------------------------------------------------------------------


def items(n: int) -> str:
    """`n` one-word list items; 2,500 of them still fit the 10,000-character message limit."""
    return "\n".join(f"- {chr(97 + i % 26)}" for i in range(n))


def test_too_many_statements_in_one_request_is_a_422_naming_the_limit(make_client: Any) -> None:
    c = make_client(max_statements=50, rate_limit_per_minute=100_000)
    body = assert_problem(c.post("/v1/classify", json={"text": items(2500)}), 422)
    assert "2,500 statements" in body["detail"] and "limit is 50" in body["detail"]
    assert c.post("/v1/classify", json={"text": items(50)}).status_code == 200
    sid = new_session(c)
    body = assert_problem(c.post(f"/v1/sessions/{sid}/messages", json={"text": items(51)}), 422)
    assert "51 statements" in body["detail"] and "50" in body["hint"]
    streamed = c.post(f"/v1/sessions/{sid}/messages", json={"text": items(51)}, headers={"accept": "text/event-stream"})
    error = [e for e in parse_sse(streamed.text) if e["event"] == "error"]
    assert error and "limit is 50" in json.loads(error[0]["data"])["detail"]
    ok = c.post(f"/v1/sessions/{sid}/messages", json={"text": items(5)})
    assert ok.status_code == 200 and len(ok.json()["reply"]["queued"]) <= 50


def test_the_rate_limit_counts_statements(make_client: Any, team: str) -> None:
    c = make_client(require_keys=True, rate_limit_per_minute=10)
    key = new_key(c, team)
    assert c.post("/v1/classify", json={"text": items(8)}, headers=bearer(key)).status_code == 200
    assert c.post("/v1/classify", json={"text": "We ran a survey"}, headers=bearer(key)).status_code == 200
    r = c.post("/v1/classify", json={"text": items(3)}, headers=bearer(key))
    body = assert_problem(r, 429)
    assert int(r.headers["retry-after"]) >= 1 and body["type"].endswith("rate_limited")


# ----- query parameters ---------------------------------------------------------------------------------


def test_an_operation_refuses_a_query_parameter_it_does_not_declare_but_a_page_takes_any(client: TestClient) -> None:
    r = client.post("/v1/classify?rendre=slack", json={"text": "We ran 14 workshops"})
    assert_problem(r, 422)
    assert "rendre" in r.json()["detail"]
    page = client.get("/?coach-join=K7QX4M&utm_source=intranet")  # a join link on an intranet page
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]


def test_a_count_must_be_a_json_integer_and_a_switch_a_json_boolean(client: TestClient) -> None:
    for body in ({"outcome": "Fewer repeat incidents", "k": True}, {"outcome": "Fewer repeat incidents", "k": "3"}):
        assert "body.k" in assert_problem(client.post("/v1/measures", json=body), 422)["detail"]
    assert client.post("/v1/measures", json={"outcome": "Fewer repeat incidents", "k": 2.0}).status_code == 200
    r = client.post("/v1/classify", json={"text": "We ran 14 workshops", "split": "yes"})
    assert "body.split" in assert_problem(r, 422)["detail"]
