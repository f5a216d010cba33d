"""`?render=slack|markdown` on POST /v1/sessions/{id}/messages and POST /v1/classify: the same Block Kit our own
Slack app posts, within Slack's limits, buttons whose value is the text to send back; mrkdwn without tables."""

from __future__ import annotations

import json
from typing import Any

from apikit import assert_problem, parse_sse
from fastapi.testclient import TestClient

from api.render.kit import check_limits
from api.render.slack import REPLY_ACTIONS, reply_blocks
from coach.domain import CoachReply

WORKSHOPS = "We ran 14 workshops for team leads this quarter"


def texts(blocks: list[dict[str, Any]]) -> str:
    out: list[str] = []

    def walk(x: Any) -> None:
        if isinstance(x, dict):
            if x.get("type") in ("mrkdwn", "plain_text"):
                out.append(x["text"])
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(blocks)
    return "\n".join(out)


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def start(client: TestClient) -> str:
    return str(client.post("/v1/sessions", json={}).json()["id"])


def test_render_slack_adds_blocks_built_by_the_one_renderer(client: TestClient) -> None:
    sid = start(client)
    r = client.post(f"/v1/sessions/{sid}/messages?render=slack", json={"text": WORKSHOPS})
    assert r.status_code == 200, r.text
    reply = r.json()["reply"]
    blocks = reply["blocks"]
    assert blocks and check_limits(blocks) == [] and len(blocks) <= 50
    assert reply["mrkdwn"] is None and reply["fallback"] and len(reply["fallback"]) <= 3000
    # the very blocks our own Slack app posts for this reply (without its session id in the block ids)
    plain = CoachReply.model_validate({k: v for k, v in reply.items() if k not in ("blocks", "fallback", "mrkdwn")})
    assert blocks == json.loads(json.dumps(reply_blocks(plain)))
    assert reply["question"] and reply["question"] in texts(blocks)
    sent = {e["action_id"]: e["value"] for e in buttons(blocks)}
    assert reply["options"], "the coach offers directions for an output"
    assert {a: said for a, (_, said) in REPLY_ACTIONS.items()}.items() <= sent.items()
    for i, option in enumerate(reply["options"]):
        assert sent[f"coach_option_{i}"] == option  # the value is exactly the text to send back
    assert all(len(v) <= 2000 for v in sent.values())

    # a button's value sent back is an ordinary next message
    r = client.post(f"/v1/sessions/{sid}/messages?render=slack", json={"text": sent["coach_option_0"]})
    assert r.status_code == 200 and check_limits(r.json()["reply"]["blocks"]) == []
    turns = client.get(f"/v1/sessions/{sid}").json()["messages"]
    assert [t["text"] for t in turns if t["role"] == "user"] == [WORKSHOPS, reply["options"][0]]


def test_render_markdown_and_none(client: TestClient) -> None:
    sid = start(client)
    plain = client.post(f"/v1/sessions/{sid}/messages", json={"text": WORKSHOPS}).json()["reply"]
    assert plain["blocks"] is None and plain["mrkdwn"] is None and plain["fallback"] is None
    client.post(f"/v1/sessions/{sid}/messages", json={"text": "so more people come to the sessions"})  # one rung up
    md = client.post(f"/v1/sessions/{sid}/messages?render=markdown", json={"text": "That's the result"}).json()
    text = md["reply"]["mrkdwn"]
    assert isinstance(text, str) and md["reply"]["blocks"] is None
    assert md["reply"]["question"] in text and "**" not in text
    summary = client.post(f"/v1/sessions/{sid}/messages?render=markdown", json={"text": "summary"}).json()["reply"]
    assert "|" not in summary["mrkdwn"] and "# " not in summary["mrkdwn"]  # the map, never a Markdown table
    slack = client.post(f"/v1/sessions/{sid}/messages?render=slack", json={"text": "summary"}).json()["reply"]
    assert check_limits(slack["blocks"]) == [] and "|" not in texts(slack["blocks"])
    # the map comes from the data: a header and a section per chain, with its measures (owner, cadence)
    assert [b["text"]["text"] for b in slack["blocks"] if b["type"] == "header"] == ["Outcome map"]
    assert "• *Output:* " + WORKSHOPS in texts(slack["blocks"]) and "owner: " in texts(slack["blocks"])


def test_a_replayed_turn_is_rendered_too(client: TestClient) -> None:
    sid = start(client)
    url = f"/v1/sessions/{sid}/messages?render=slack"
    first = client.post(url, json={"text": WORKSHOPS}, headers={"Idempotency-Key": "ev-1"}).json()
    again = client.post(url, json={"text": WORKSHOPS}, headers={"Idempotency-Key": "ev-1"}).json()
    assert again["replayed"] is True and again["reply"]["blocks"] == first["reply"]["blocks"]


def test_render_on_the_event_stream(client: TestClient) -> None:
    sid = start(client)
    r = client.post(
        f"/v1/sessions/{sid}/messages?render=slack",
        json={"text": WORKSHOPS},
        headers={"Accept": "text/event-stream"},
    )
    done = json.loads(next(e for e in parse_sse(r.text) if e.get("event") == "done")["data"])
    assert check_limits(done["reply"]["blocks"]) == [] and done["reply"]["fallback"]


def test_classify_render(client: TestClient) -> None:
    text = "We ran 14 workshops. Customers renew their contracts more often."
    slack = client.post("/v1/classify?render=slack", json={"text": text}).json()
    assert len(slack["statements"]) == 2 and check_limits(slack["blocks"]) == []
    shown = texts(slack["blocks"])
    assert "*Output* · " in shown and "*Outcome* · " in shown and ":speech_balloon:" in shown
    [start_button] = buttons(slack["blocks"])
    assert start_button["action_id"] == "coach_start" and start_button["value"] == text
    assert "Only you can see this" not in shown  # our app's ephemeral note is not the API's
    md = client.post("/v1/classify?render=markdown", json={"text": text}).json()
    assert md["blocks"] is None and "*Output* · " in md["mrkdwn"] and "*Outcome* · " in md["mrkdwn"]
    assert client.post("/v1/classify", json={"text": text}).json()["blocks"] is None


def test_unknown_render_is_a_clear_422(client: TestClient) -> None:
    sid = start(client)
    for r in (
        client.post(f"/v1/sessions/{sid}/messages?render=teams", json={"text": WORKSHOPS}),
        client.post("/v1/classify?render=html", json={"text": WORKSHOPS}),
    ):
        body = assert_problem(r, 422)
        assert body["errors"][0]["field"] == "query.render" and "slack" in body["detail"]


def test_openapi_documents_render_with_examples(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/v1/sessions/{session_id}/messages", "/v1/classify"):
        [param] = [p for p in spec["paths"][path]["post"]["parameters"] if p["name"] == "render"]
        assert param["in"] == "query" and set(param["examples"]) == {"slack", "markdown"}
        assert "value" in param["description"]
    schemas = spec["components"]["schemas"]
    reply = schemas["RenderedReply"]["properties"]
    assert reply["blocks"]["examples"][0][0]["type"] == "section" and reply["mrkdwn"]["examples"]
    assert {"blocks", "fallback", "mrkdwn", "statements"} <= schemas["ClassifyResponse"]["properties"].keys()
    assert "user_message" in schemas["Problem"]["properties"]
