"""Every problem+json carries `user_message`: one short sentence a bot can post in a channel as is, for each
kind of failure (401, 403, 404, 405, 409, 413, 422, 429, 500, 503, and the error event of a stream)."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace
from typing import Any

import pytest
from apikit import LOCAL, assert_problem, bearer, new_key, parse_sse
from fastapi.testclient import TestClient

from api.app import create_app
from api.errors import USER_MESSAGES, user_message
from api.slack.settings import SlackSettings
from coach.errors import Conflict, IndexNotReady, LLMUnavailable

SITE = "https://intranet.example.org"
# What must never reach a person in a channel: codes, field paths, API paths, markup, ids, internals.
INTERNALS = re.compile(r"`|/v1|body\.|query\.|Bearer|Idempotency|[a-z]+_[a-z]+|Traceback|\{|\}|<|>|request id")


def postable(body: dict[str, Any]) -> str:
    """The user_message is there, short, one or two plain sentences, with nothing internal in it."""
    msg = body.get("user_message")
    assert isinstance(msg, str) and msg.strip(), body
    assert len(msg) <= 160, msg
    assert msg[0].isupper() and msg.rstrip().endswith((".", "”.")), msg
    assert not INTERNALS.search(msg), msg
    assert body.get("request_id") is None or body["request_id"] not in msg
    return msg


class Failing:
    """The real service, with one method replaced by a failure (passed in through the container)."""

    def __init__(self, inner: Any, method: str, exc: Exception) -> None:
        self.inner, self.method, self.exc = inner, method, exc

    def __getattr__(self, name: str) -> Any:
        if name == self.method:

            def fail(*_a: Any, **_k: Any) -> Any:
                raise self.exc

            return fail
        return getattr(self.inner, name)


def failing_client(api_container: Any, api_settings: Any, method: str, exc: Exception) -> TestClient:
    container = SimpleNamespace(
        settings=api_settings,
        db=api_container.db,
        keys=api_container.keys,
        service=Failing(api_container.service, method, exc),
    )
    return TestClient(create_app(api_settings, container=container), client=LOCAL)  # type: ignore[arg-type]


def test_auth_failures(make_client: Any, team: str) -> None:
    keyed = make_client(require_keys=True)
    none = postable(assert_problem(keyed.post("/v1/sessions", json={}), 401))
    bad = postable(assert_problem(keyed.post("/v1/sessions", json={}, headers=bearer("oc_a_nope")), 401))
    assert none == bad and "access key" in none and "whoever runs this bot" in none
    widget = new_key(keyed, team, "widget", (SITE,))
    foreign = keyed.get("/v1/sessions", headers=bearer(widget, Origin="https://evil.example"))
    listing = keyed.get("/v1/sessions", headers=bearer(widget, Origin=SITE))
    for r in (foreign, listing):
        assert "not allowed" in postable(assert_problem(r, 403))


def test_not_found_wrong_method_and_validation(client: TestClient) -> None:
    gone = postable(assert_problem(client.get("/v1/sessions/no-such-session"), 404))
    assert gone == USER_MESSAGES["session_not_found"] and "new thread" in gone
    postable(assert_problem(client.get("/v1/nothing-here"), 404))
    postable(assert_problem(client.put("/v1/classify", json={"text": "x"}), 405))
    invalid = postable(assert_problem(client.post("/v1/classify", json={"txt": "We ran workshops"}), 422))
    assert "could not read" in invalid


def test_what_the_person_wrote_is_explained_to_them(client: TestClient) -> None:
    sid = client.post("/v1/sessions", json={}).json()["id"]
    long = postable(assert_problem(client.post(f"/v1/sessions/{sid}/messages", json={"text": "word " * 2001}), 422))
    assert long.startswith("The message is too long (10,005 characters; the limit is 10,000).")
    assert "shorter" in long
    empty = postable(assert_problem(client.post(f"/v1/sessions/{sid}/messages", json={"text": "   "}), 422))
    assert "empty" in empty
    statement = postable(assert_problem(client.post("/v1/classify", json={"text": "x" * 2001, "split": False}), 422))
    assert "too long" in statement and "2,001" in statement


def test_a_reused_idempotency_key(client: TestClient) -> None:
    sid = client.post("/v1/sessions", json={}).json()["id"]
    url = f"/v1/sessions/{sid}/messages"
    assert client.post(url, json={"text": "We ran 14 workshops"}, headers={"Idempotency-Key": "k1"}).status_code == 200
    r = client.post(url, json={"text": "Something else"}, headers={"Idempotency-Key": "k1"})
    body = assert_problem(r, 422)
    assert body["type"].endswith("idempotency_key_reused") and "send it again" in postable(body)


def test_body_too_large_and_rate_limited(make_client: Any, team: str) -> None:
    small = make_client(max_body_bytes=1000)
    postable(assert_problem(small.post("/v1/classify", json={"text": "x" * 2000}), 413))
    limited = make_client(require_keys=True, rate_limit_per_minute=1)
    key = new_key(limited, team)
    assert limited.post("/v1/classify", json={"text": "We ran a survey"}, headers=bearer(key)).status_code == 200
    r = limited.post("/v1/classify", json={"text": "We ran a survey"}, headers=bearer(key))
    msg = postable(assert_problem(r, 429))
    assert f"try again in {r.headers['retry-after']} second" in msg


@pytest.mark.parametrize(
    ("exc", "status", "words"),
    [
        (Conflict("Session changed while this turn was worked out.", "Send it again."), 409, "same moment"),
        (IndexNotReady("The guidance index is empty.", "Run `coach ingest`."), 503, "not ready"),
        (LLMUnavailable("The LLM at http://10.0.0.1 timed out.", ""), 503, "not available"),
        (RuntimeError("db password is hunter2"), 500, "went wrong"),
    ],
)
def test_service_failures(api_container: Any, api_settings: Any, exc: Exception, status: int, words: str) -> None:
    c = failing_client(api_container, api_settings, "handle_message", exc)
    sid = c.post("/v1/sessions", json={}).json()["id"]
    r = c.post(f"/v1/sessions/{sid}/messages", json={"text": "We ran 14 workshops"})
    msg = postable(assert_problem(r, status))
    assert words in msg and "hunter2" not in msg and "10.0.0.1" not in msg


def test_the_error_event_of_a_stream_carries_it(api_container: Any, api_settings: Any) -> None:
    c = failing_client(api_container, api_settings, "handle_message", Conflict("Changed.", "Send it again."))
    sid = c.post("/v1/sessions", json={}).json()["id"]
    r = c.post(
        f"/v1/sessions/{sid}/messages", json={"text": "We ran 14 workshops"}, headers={"Accept": "text/event-stream"}
    )
    [error] = [e for e in parse_sse(r.text) if e.get("event") == "error"]
    assert "same moment" in postable(json.loads(error["data"]))


def test_slack_not_configured_problem_carries_it(api_container: Any, api_settings: Any) -> None:
    unset = SlackSettings(_env_file=None, signing_secret=None, bot_token=None)  # type: ignore[call-arg]
    c = TestClient(create_app(api_settings, container=api_container, slack=unset), client=LOCAL)
    r = c.post("/slack/events", content=b"{}", headers={"content-type": "application/json"})
    assert r.status_code == 503 and "Slack" in postable(r.json())


def test_every_code_and_status_has_a_sentence() -> None:
    for code in [*USER_MESSAGES, "invalid_input", "coach_error", None]:
        for status in (400, 401, 403, 404, 405, 409, 413, 422, 429, 500, 503):
            postable({"user_message": user_message(code, status, "Unknown mode 'x'.")})
