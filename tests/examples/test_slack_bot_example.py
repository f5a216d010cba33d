"""examples/slack-bot end to end, over real HTTP: Slack (a fake Web API on loopback) → the example bot (its own
process) → our server (uvicorn, keys required) → back to Slack. Threads keep one session, buttons send their
value, Slack retries are answered once, errors are shown with `user_message`, and the bot uses the API only."""

from __future__ import annotations

import ast
import asyncio
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import BOT_DIR
from slack_rig import FakeSlack, SlackDriver, new_id

from api.render.kit import check_limits

TEAM = "T1"  # the fake Slack's workspace; the coach team is the bot's key's team


def driver(bot: dict[str, Any], fake: FakeSlack) -> SlackDriver:
    """Signed Slack requests to the bot's own HTTP endpoint (the rig's payloads, sent over the network)."""
    d = SlackDriver.__new__(SlackDriver)
    d.fake = fake
    d.http = httpx.AsyncClient(base_url=bot["url"], timeout=30)
    return d


async def wait_for(what: str, check: Callable[[], Any], bot: dict[str, Any], timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        await asyncio.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}; bot log:\n{bot['log'].read_text()}")


def thread_posts(fake: FakeSlack, channel: str, ts: str) -> list[dict[str, Any]]:
    return [c["args"] for c in fake.find("chat.postMessage", channel=channel) if c["args"].get("thread_ts") == ts]


def session(coach_api: dict[str, Any], bot: dict[str, Any], channel: str, ts: str) -> dict[str, Any]:
    """The coach's own view of the thread (asked with the bot's key: the thread belongs to its team)."""
    r = httpx.get(
        f"{coach_api['url']}/v1/threads/slack:{TEAM}:{channel}:{ts}",
        headers={"Authorization": f"Bearer {bot['key']}"},
    )
    assert r.status_code == 200, r.text
    return r.json()["session"]  # type: ignore[no-any-return]


def user_texts(s: dict[str, Any]) -> list[str]:
    return [t["text"] for t in s["messages"] if t["role"] == "user"]


@pytest.fixture(scope="module")
def bot(start_bot: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    return start_bot("acme-bot")


async def test_a_mention_coaches_in_its_thread_and_replies_there_continue(
    bot: dict[str, Any], example_slack: FakeSlack, coach_api: dict[str, Any]
) -> None:
    slack, channel = driver(bot, example_slack), new_id("C")
    ts = example_slack.next_ts()
    r = await slack.mention("We ran 14 workshops for team leads this quarter", channel=channel, ts=ts)
    assert r.status_code == 200
    [first] = await wait_for("the coach's first reply", lambda: thread_posts(example_slack, channel, ts), bot)
    assert first["text"] and check_limits(first["blocks"]) == []
    values = {e["action_id"]: e["value"] for b in first["blocks"] if b["type"] == "actions" for e in b["elements"]}
    assert values["coach_accept"] == "That's the result" and "coach_option_0" in values
    assert user_texts(session(coach_api, bot, channel, ts)) == ["We ran 14 workshops for team leads this quarter"]

    # a reply in the thread, without a mention, goes on with the same session
    await slack.message("Team leads give clearer feedback", channel=channel, thread_ts=ts)
    await wait_for("the second reply", lambda: len(thread_posts(example_slack, channel, ts)) == 2, bot)
    assert user_texts(session(coach_api, bot, channel, ts))[-1] == "Team leads give clearer feedback"

    # a thread the coach was never asked into stays quiet; a DM gets an answer (and marks that all was handled)
    other = example_slack.next_ts()
    await slack.message("Unrelated chatter", channel=channel, ts=example_slack.next_ts(), thread_ts=other)
    await slack.message("A bot's own words", channel=channel, thread_ts=ts, extra={"bot_id": "BOTHER"})
    dm, dm_ts = new_id("D"), example_slack.next_ts()
    await slack.message("Customers renew their contracts more often", channel=dm, channel_type="im", ts=dm_ts)
    await wait_for("the DM reply", lambda: thread_posts(example_slack, dm, dm_ts), bot)
    assert thread_posts(example_slack, channel, other) == []
    assert len(thread_posts(example_slack, channel, ts)) == 2  # bots (this one included) are never answered
    await slack.http.aclose()


async def test_buttons_send_their_value_as_the_next_message(
    bot: dict[str, Any], example_slack: FakeSlack, coach_api: dict[str, Any]
) -> None:
    slack, channel = driver(bot, example_slack), new_id("C")
    ts = example_slack.next_ts()
    await slack.mention("We ran 14 workshops for team leads this quarter", channel=channel, ts=ts)
    [first] = await wait_for("the first reply", lambda: thread_posts(example_slack, channel, ts), bot)
    option = next(e for b in first["blocks"] if b.get("block_id") == "coach_options" for e in b["elements"])
    await slack.click(option["action_id"], option["value"], channel=channel, thread_ts=ts)
    await wait_for("the reply to the option", lambda: len(thread_posts(example_slack, channel, ts)) == 2, bot)
    assert user_texts(session(coach_api, bot, channel, ts))[-1] == option["value"]

    await slack.click("coach_summary", "summary", channel=channel, thread_ts=ts)
    posts = await wait_for("the summary", lambda: thread_posts(example_slack, channel, ts)[2:], bot)
    summary = posts[0]["blocks"]
    assert check_limits(summary) == [] and any(b["type"] == "header" for b in summary)
    await slack.http.aclose()


async def test_slack_retries_are_answered_once(
    bot: dict[str, Any], example_slack: FakeSlack, coach_api: dict[str, Any]
) -> None:
    slack, channel = driver(bot, example_slack), new_id("C")
    ts = example_slack.next_ts()
    await slack.mention("We launched the new booking portal", channel=channel, ts=ts, event_id="EvFIRST")
    await wait_for("the first reply", lambda: thread_posts(example_slack, channel, ts), bot)
    # Slack thought the delivery was lost: the same event again, and the message event for the same message
    await slack.mention("We launched the new booking portal", channel=channel, ts=ts, event_id="EvFIRST", retry=1)
    await slack.mention("We launched the new booking portal", channel=channel, ts=ts, event_id="EvFIRST", retry=2)
    # then a new message in the thread: once it is answered, the retries before it were handled too
    await slack.message("Customers book without calling us", channel=channel, thread_ts=ts)
    await wait_for("the next reply", lambda: len(thread_posts(example_slack, channel, ts)) >= 2, bot)
    await asyncio.sleep(1.0)  # let any retry still in flight finish: it must not post
    assert len(thread_posts(example_slack, channel, ts)) == 2
    assert user_texts(session(coach_api, bot, channel, ts)) == [
        "We launched the new booking portal",
        "Customers book without calling us",
    ]
    await slack.http.aclose()


async def test_outcome_command_classifies_privately_and_opens_a_thread(
    bot: dict[str, Any], example_slack: FakeSlack, coach_api: dict[str, Any]
) -> None:
    slack, channel = driver(bot, example_slack), new_id("C")
    text = "We ran 14 workshops. Customers renew their contracts more often."
    url = example_slack.response_url()
    await slack.command(text, channel=channel, response_url=url)
    [answer] = await wait_for(
        "the ephemeral answer", lambda: [c for c in example_slack.find("response_url") if c.get("url") == url], bot
    )
    blocks = answer["args"]["blocks"]
    assert answer["args"]["response_type"] == "ephemeral" and check_limits(blocks) == []
    [start] = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert start["action_id"] == "coach_start" and start["value"] == text
    before = len(example_slack.find("chat.postMessage", channel=channel))
    await slack.click("coach_start", start["value"], channel=channel, ephemeral=True)
    posts = await wait_for(
        "the new thread",
        lambda: [c["args"] for c in example_slack.find("chat.postMessage", channel=channel)][before:][1:],
        bot,
    )
    root = example_slack.find("chat.postMessage", channel=channel)[before]["args"]
    assert "asked to be coached on" in root["text"] and root.get("thread_ts") is None
    assert posts[0]["thread_ts"] and posts[0]["blocks"]
    assert user_texts(session(coach_api, bot, channel, posts[0]["thread_ts"])) == [text]
    await slack.http.aclose()


async def test_errors_are_shown_with_user_message(
    bot: dict[str, Any], example_slack: FakeSlack, coach_api: dict[str, Any], start_bot: Any
) -> None:
    slack, channel = driver(bot, example_slack), new_id("C")
    ts = example_slack.next_ts()
    await slack.mention("We ran 14 workshops", channel=channel, ts=ts)
    await wait_for("the first reply", lambda: thread_posts(example_slack, channel, ts), bot)
    await slack.message("word " * 2001, channel=channel, thread_ts=ts)
    posts = await wait_for("the error", lambda: thread_posts(example_slack, channel, ts)[1:], bot)
    # the person's words as Slack sent them, less the trailing space: 10,004 characters
    assert posts[0]["text"].startswith("The message is too long (10,004 characters; the limit is 10,000).")
    assert "shorter" in posts[0]["text"]
    await slack.http.aclose()

    # the bot's key revoked: the person reads the coach's sentence for that, not a stack trace
    other = start_bot("acme-revoked")
    coach_api["container"].keys.revoke(other["key"][:12])
    slack, ts = driver(other, example_slack), example_slack.next_ts()
    await slack.mention("We ran 14 workshops", channel=channel, ts=ts)
    [error] = await wait_for("the auth error", lambda: thread_posts(example_slack, channel, ts), other)
    assert "did not accept this bot's access key" in error["text"]
    await slack.http.aclose()


def test_the_example_uses_only_the_http_api_and_the_client() -> None:
    allowed = {"outcome_coach_client", "slack_bolt", "slack_sdk", "httpx"}
    for path in Path(BOT_DIR).glob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                assert top not in {"coach", "api"}, f"{path.name} imports {name}"
                assert top in allowed or top in sys.stdlib_module_names or top == "__future__", f"{path.name}: {name}"
