"""Request verification (401, nothing touched), missing settings (503, the rest runs), secrets never logged."""

from __future__ import annotations

import logging
import time
from typing import Any

import httpx
import pytest
from slack_rig import BOT_USER, SECRET, TOKEN, block_text, drain, make_app, new_id, with_slack

from api.slack import NOT_CONFIGURED
from api.slack.threads import ThreadStore, team_name


def nothing_touched(slack: Any, channel: str, team: str, calls_before: int) -> None:
    assert len(slack.fake.calls) == calls_before, "a rejected request reached the Slack API (even auth.test)"
    assert ThreadStore(slack.service).latest(team, channel) is None
    assert slack.service.list_sessions(team_name(team)) == []


@pytest.mark.parametrize(
    "case", ["bad signature", "wrong secret", "missing signature", "old timestamp", "future timestamp", "tampered body"]
)
async def test_unverified_requests_get_401_and_touch_nothing(slack: Any, case: str) -> None:
    team, channel = new_id("T"), new_id("C")
    before = len(slack.fake.calls)
    kwargs: dict[str, Any] = {}
    headers: dict[str, str] = {}
    if case == "bad signature":
        headers = {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=" + "0" * 64}
        kwargs = {"signed": False}
    elif case == "wrong secret":
        kwargs = {"secret": "not-the-secret"}
    elif case == "missing signature":
        kwargs = {"signed": False}
    elif case == "old timestamp":
        kwargs = {"signed_at": int(time.time()) - 6 * 60}
    elif case == "future timestamp":
        kwargs = {"signed_at": int(time.time()) + 6 * 60}
    if case == "tampered body":
        from slack_rig import sign

        headers = sign("{}")
        kwargs = {"signed": False}
    for send in (
        lambda: slack.mention("We ran 14 workshops", team=team, channel=channel, headers=headers, **kwargs),
        lambda: slack.command("We ran 14 workshops", team=team, channel=channel, headers=headers, **kwargs),
        lambda: slack.click(
            "coach_start", "We ran 14 workshops", team=team, channel=channel, headers=headers, ephemeral=True, **kwargs
        ),
    ):
        r = await send()
        assert r.status_code == 401, (case, r.text)
    await drain()
    nothing_touched(slack, channel, team, before)


async def test_a_timestamp_within_five_minutes_is_accepted(slack: Any) -> None:
    challenge = '{"type":"url_verification","challenge":"abc123","token":"t"}'
    r = await slack.send(challenge, "application/json", signed_at=int(time.time()) - 4 * 60)
    assert r.status_code == 200 and r.json() == {"challenge": "abc123"}
    r = await slack.send(challenge, "application/json", signed_at=int(time.time()) - 6 * 60)
    assert r.status_code == 401


@pytest.mark.parametrize("missing", [("secret",), ("token",), ("secret", "token")])
async def test_missing_settings_answer_503_and_the_rest_runs(
    fake_slack: Any, slack_container: Any, caplog: pytest.LogCaptureFixture, missing: tuple[str, ...]
) -> None:
    settings = with_slack(
        fake_slack,
        secret=None if "secret" in missing else SECRET,
        token="" if "token" in missing else TOKEN,
    )
    with caplog.at_level(logging.WARNING):
        app = make_app(slack_container, settings)
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING and "Slack" in r.getMessage()]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    named = warnings[0].getMessage().split(".")[0]  # "Slack is not configured: missing A and B"
    expected = [
        n for k, n in (("secret", "COACH_SLACK_SIGNING_SECRET"), ("token", "COACH_SLACK_BOT_TOKEN")) if k in missing
    ]
    assert named == "Slack is not configured: missing " + " and ".join(expected)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http:
        r = await http.post("/slack/events", content=b"{}", headers={"Content-Type": "application/json"})
        assert r.status_code == 503
        assert r.headers["content-type"].startswith("application/problem+json")
        body = r.json()
        assert body["detail"] == NOT_CONFIGURED
        assert body["status"] == 503 and body["title"] == "Slack is not configured"
        health = await http.get("/healthz")
        assert health.status_code == 200 and health.json() == {"status": "ok"}


async def test_secrets_are_never_logged(slack: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("slack_sdk", "slack_bolt", "api.slack", "api.slack.bolt", "aiohttp", "httpx"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        channel = new_id("C")
        await slack.command("We ran 14 workshops this quarter. Customers renew more often.", channel=channel)
        ts = slack.fake.next_ts()
        await slack.mention("We ran 14 workshops this quarter", channel=channel, ts=ts)
        await drain()
        sid = ThreadStore(slack.service).session_for("T1", channel, ts)
        await slack.click("coach_accept", sid, channel=channel, thread_ts=ts)
        await slack.click("coach_summary", sid, channel=channel, thread_ts=ts)
        await slack.mention("hello", channel=channel, secret="wrong-secret")  # a rejected one, logged by Bolt
        await drain()
    finally:
        for name in ("slack_sdk", "slack_bolt", "api.slack", "api.slack.bolt", "aiohttp", "httpx"):
            logging.getLogger(name).setLevel(logging.NOTSET)
    # The flow really ran with the token …
    posts = slack.posts(channel)
    assert len(posts) == 3 and all(p["auth"] == f"Bearer {TOKEN}" for p in posts)
    assert "Outcome map" in block_text(posts[-1]["args"]["blocks"])
    # … and it appears in no log record, nor does the signing secret.
    logged = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    assert len(caplog.records) > 10, "debug logging was not captured"
    assert TOKEN not in logged and TOKEN[5:] not in logged
    assert SECRET not in logged
    assert BOT_USER  # the bot's public id may be logged; secrets may not
