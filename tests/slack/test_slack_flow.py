"""The Slack app end to end over the fake Slack Web API: slash command, threads, buttons, summary, retries, bots."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from fastapi import FastAPI
from slack_rig import BOT_ID, BOT_USER, TEAM2_TOKEN, TOKEN, SlackDriver, block_text, drain, new_id, with_slack

from api.slack import mount
from api.slack.blocks import REPLY_ACTIONS, START_ACTION, check_limits
from api.slack.threads import ThreadStore, external_id, team_name
from api.tables import SlackInstallRow
from coach.adapters.repository import SqlSessionStore
from coach.adapters.sql import Database

TWO = "We ran 14 workshops this quarter. Customers renew their contracts more often."


def user_turns(service: Any, session_id: str) -> int:
    return sum(1 for t in service.get_session(session_id).messages if t.role == "user")


async def start_thread(
    slack: Any, channel: str, text: str = "We ran 14 workshops this quarter", team: str = "T1"
) -> tuple[str, str]:
    """Mention the app at the top of a channel: returns (thread ts, session id)."""
    ts = slack.fake.next_ts()
    r = await slack.mention(text, team=team, channel=channel, ts=ts)
    assert r.status_code == 200
    await drain()
    sid = ThreadStore(slack.service).session_for(team, channel, ts)
    assert sid, "the thread was not mapped to a session"
    return ts, sid


async def test_slash_command_answers_ephemerally_with_labels(slack: Any) -> None:
    channel = new_id("C")
    r = await slack.command(TWO, channel=channel)
    assert r.status_code == 200
    await drain()
    [answer] = [c for c in slack.fake.find("response_url") if "blocks" in c["args"]]
    args = answer["args"]
    assert args["response_type"] == "ephemeral"
    text = block_text(args["blocks"])
    assert "*Output* · " in text and "*Outcome* · " in text
    assert "We ran 14 workshops this quarter" in text and "Customers renew their contracts more often" in text
    assert "%" in text and "Reports work the team did" in text  # confidence and the reason
    assert "what changed for the people who attended" in text or "What do the people who came" in text
    buttons = [e for b in args["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [b["action_id"] for b in buttons] == [START_ACTION]
    assert buttons[0]["text"]["text"] == "Coach me on this" and buttons[0]["value"] == TWO
    assert check_limits(args["blocks"]) == []
    assert not slack.posts(channel), "an ephemeral answer must not post in the channel"
    assert ThreadStore(slack.service).latest("T1", channel) is None


async def test_slash_command_acks_before_the_slow_work(
    driver_for: Any, slack_container: Any, slack_service: Any
) -> None:
    class Slow:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def __getattr__(self, name: str) -> Any:
            return getattr(self.inner, name)

        def classify(self, text: str, *args: Any) -> Any:
            time.sleep(1.5)
            return self.inner.classify(text, *args)

    slack = driver_for(slack_container, Slow(slack_service))
    try:
        url = slack.fake.response_url()
        started = time.monotonic()
        r = await slack.command("We ran 14 workshops", response_url=url)
        acked = time.monotonic() - started
        assert r.status_code == 200 and acked < 1.0, f"ack took {acked:.2f}s"
        assert not [c for c in slack.fake.find("response_url") if c.get("url") == url]
        await drain()
        assert [c for c in slack.fake.find("response_url") if c.get("url") == url]
    finally:
        await slack.close()


async def test_coach_me_on_this_opens_a_thread_seeded_with_the_text(slack: Any) -> None:
    channel = new_id("C")
    text = "We launched the new booking portal"
    r = await slack.click(START_ACTION, text, channel=channel, ephemeral=True)
    assert r.status_code == 200
    await drain()
    posts = slack.posts(channel)
    root = next(p for p in posts if not p["args"].get("thread_ts"))
    assert text in block_text(root["args"]["blocks"])
    thread = ThreadStore(slack.service).latest("T1", channel)
    assert thread is not None
    replies = slack.posts(channel, thread.thread_ts)
    assert len(replies) == 1 and "booking portal" in block_text(replies[0]["args"]["blocks"])
    view = slack.service.get_session(thread.session_id, team_name("T1"))
    assert [t.text for t in view.messages if t.role == "user"] == [text]
    replaced = [c for c in slack.fake.find("response_url") if c["args"].get("replace_original")]
    assert replaced and "thread" in replaced[0]["args"]["text"]


async def test_thread_replies_continue_one_session(slack: Any) -> None:
    channel = new_id("C")
    ts, sid = await start_thread(slack, channel)
    assert len(slack.posts(channel, ts)) == 1
    await slack.message("Participants use the new planning method in their teams", channel=channel, thread_ts=ts)
    await drain()
    await slack.mention("That's the result", channel=channel, thread_ts=ts)
    await drain()
    assert user_turns(slack.service, sid) == 3
    assert ThreadStore(slack.service).session_for("T1", channel, ts) == sid
    replies = slack.posts(channel, ts)
    assert len(replies) == 3
    assert all(c["args"]["thread_ts"] == ts for c in replies)
    assert all(check_limits(c["args"]["blocks"]) == [] for c in replies)
    # A message outside any coaching thread is not the coach's business.
    await slack.message("unrelated chatter", channel=channel)
    await slack.message("a reply in someone else's thread", channel=channel, thread_ts="1.000001")
    await drain()
    assert len(slack.posts(channel)) == 3


async def test_direct_message_is_coached_in_a_thread(slack: Any) -> None:
    dm = new_id("D")
    ts = slack.fake.next_ts()
    await slack.message("We closed 500 incident tickets", channel=dm, channel_type="im", ts=ts)
    await drain()
    [reply] = slack.posts(dm)
    assert reply["args"]["thread_ts"] == ts
    sid = ThreadStore(slack.service).session_for("T1", dm, ts)
    await slack.message("People get their laptops fixed the same day", channel=dm, channel_type="im", thread_ts=ts)
    await drain()
    assert sid and user_turns(slack.service, sid) == 2
    assert len(slack.posts(dm, ts)) == 2


async def test_retries_do_not_duplicate_a_turn(slack: Any) -> None:
    channel = new_id("C")
    ts, sid = await start_thread(slack, channel)
    turns = user_turns(slack.service, sid)
    msg_ts = slack.fake.next_ts()
    event_id = new_id("Ev")
    text = "Participants use the new planning method in their teams"
    await slack.message(text, channel=channel, thread_ts=ts, ts=msg_ts, event_id=event_id)
    await drain()
    r = await slack.message(text, channel=channel, thread_ts=ts, ts=msg_ts, event_id=event_id, retry=1)
    assert r.status_code == 200
    await asyncio.gather(  # two more deliveries at once, as Slack may do after a timeout
        slack.message(text, channel=channel, thread_ts=ts, ts=msg_ts, event_id=event_id, retry=2),
        slack.message(text, channel=channel, thread_ts=ts, ts=msg_ts, event_id=event_id, retry=3),
    )
    await drain()
    assert user_turns(slack.service, sid) == turns + 1
    assert len(slack.posts(channel, ts)) == 2  # the first answer and this one, once
    # The mention that opened the thread, delivered again, neither adds a turn nor a second thread.
    await slack.mention("We ran 14 workshops this quarter", channel=channel, ts=ts, retry=1)
    await drain()
    assert user_turns(slack.service, sid) == turns + 1 and len(slack.posts(channel, ts)) == 2
    assert ThreadStore(slack.service).latest("T1", channel).session_id == sid


async def test_a_bare_mention_says_hello_once(slack: Any) -> None:
    channel = new_id("C")
    ts = slack.fake.next_ts()
    await slack.message("", channel=channel, ts=ts)  # no thread, no mention: not for the coach
    await slack.mention("", channel=channel, ts=ts)
    await drain()
    await slack.mention("", channel=channel, ts=ts, retry=1)
    await drain()
    [hello] = slack.posts(channel, ts)
    assert "outcomes coach" in block_text(hello["args"]["blocks"]) or "Hello" in block_text(hello["args"]["blocks"])


async def test_messages_from_bots_are_ignored(slack: Any) -> None:
    channel = new_id("C")
    ts, sid = await start_thread(slack, channel)
    dm = new_id("D")
    before = user_turns(slack.service, sid)
    await slack.message("I am another bot", channel=channel, thread_ts=ts, extra={"bot_id": "BOTHER"})
    await slack.message(
        "bot says hi", channel=channel, thread_ts=ts, extra={"subtype": "bot_message", "bot_id": "BOTHER", "user": None}
    )
    await slack.message("my own reply", channel=channel, thread_ts=ts, user=BOT_USER, extra={"bot_id": BOT_ID})
    await slack.message("edited", channel=channel, thread_ts=ts, extra={"subtype": "message_changed"})
    await slack.message("a bot in a DM", channel=dm, channel_type="im", extra={"bot_id": "BOTHER"})
    await slack.mention("loop?", channel=channel, thread_ts=ts, user=BOT_USER)
    await drain()
    assert user_turns(slack.service, sid) == before
    assert len(slack.posts(channel)) == 1 and not slack.posts(dm)
    assert ThreadStore(slack.service).latest("T1", dm) is None


async def test_buttons_drive_the_policy(slack: Any) -> None:
    channel = new_id("C")
    ts, sid = await start_thread(slack, channel)
    svc = slack.service
    assert svc.get_session(sid).phase == "ask_result"
    first = slack.posts(channel, ts)[0]["args"]["blocks"]
    [controls] = [b for b in first if b.get("block_id") == f"coach_actions:{sid}"]
    actions = controls["elements"]
    assert [e["action_id"] for e in actions] == list(REPLY_ACTIONS)
    assert [e["text"]["text"] for e in actions] == ["That's the result", "Propose measures", "Not quite", "Summary"]
    assert [e["value"] for e in actions] == [said for _, said in REPLY_ACTIONS.values()]
    # the clicks below are messages posted before buttons carried their text (value = session id): still work

    await slack.click("coach_not_quite", sid, channel=channel, thread_ts=ts)
    await drain()
    view = svc.get_session(sid)
    assert view.phase == "ask_result" and view.messages[-2].text == "Not quite"
    assert "another way" in view.messages[-1].text or "different angle" in view.messages[-1].text

    await slack.message("so the sessions get booked faster", channel=channel, thread_ts=ts)
    await drain()
    assert svc.get_session(sid).phase == "ask_higher"  # an intermediate result: one more step up
    await slack.click("coach_accept", sid, channel=channel, thread_ts=ts)
    await drain()
    view = svc.get_session(sid)
    assert view.phase == "ask_baseline" and view.messages[-2].text == "That's the result"
    assert view.map.chains[0].outcome and view.map.chains[0].measures
    reply = slack.posts(channel, ts)[-1]["args"]["blocks"]
    text = block_text(reply)
    assert ":straight_ruler:" in text and "*Calculation*" in text and "*Balancing measure*" in text
    assert check_limits(reply) == []

    await slack.click("coach_measures", sid, channel=channel, thread_ts=ts)
    await drain()
    assert svc.get_session(sid).messages[-2].text == "Propose measures"

    await slack.click("coach_summary", sid, channel=channel, thread_ts=ts)
    await drain()
    view = svc.get_session(sid)
    assert view.messages[-2].text == "summary"
    assert "Outcome map" in block_text(slack.posts(channel, ts)[-1]["args"]["blocks"])
    done = slack.fake.find("files.completeUploadExternal", channel_id=channel, thread_ts=ts)
    assert len(done) == 1
    titles = sorted(f["title"] for f in done[0]["args"]["files"])
    assert titles == ["Outcome map (CSV)", "Outcome map (SVG)"]
    bodies = [slack.fake.uploads[f["id"]] for f in done[0]["args"]["files"]]
    assert any(b.startswith(b"<svg") for b in bodies) and any(b.startswith(b"chain,participant,output") for b in bodies)
    assert user_turns(svc, sid) == 6


async def test_outcome_summary_posts_the_map_in_the_latest_thread(slack: Any) -> None:
    channel = new_id("C")
    r = await slack.command("summary", channel=channel)
    assert r.status_code == 200
    await drain()
    assert "no coaching thread" in slack.fake.find("response_url")[-1]["args"]["text"]

    ts, sid = await start_thread(slack, channel)
    await slack.message("people get back to work sooner", channel=channel, thread_ts=ts)
    await drain()
    turns = user_turns(slack.service, sid)
    await slack.command("summary", channel=channel)
    await drain()
    summary = slack.posts(channel, ts)[-1]["args"]
    text = block_text(summary["blocks"])
    assert summary["blocks"][0]["type"] == "header" and "Outcome map" in text
    assert "*Output:* We ran 14 workshops this quarter" in text and ":straight_ruler:" in text
    assert check_limits(summary["blocks"]) == []
    assert len(slack.fake.find("files.completeUploadExternal", channel_id=channel, thread_ts=ts)) == 1
    assert "posted the outcome map" in slack.fake.find("response_url")[-1]["args"]["text"]
    assert user_turns(slack.service, sid) == turns  # looking at the map is not a turn


async def test_bot_token_per_team_with_settings_as_default(slack: Any) -> None:
    with slack.container.db.tx() as s:
        s.merge(SlackInstallRow(team_id="T2", bot_token=TEAM2_TOKEN, bot_user_id=BOT_USER + "2"))
    c2, c1 = new_id("C"), new_id("C")
    await slack.mention("We ran 14 workshops", team="T2", channel=c2)
    await slack.mention("We ran 14 workshops", team="T1", channel=c1)
    await drain()
    [p2] = slack.posts(c2)
    [p1] = slack.posts(c1)
    assert p2["auth"] == f"Bearer {TEAM2_TOKEN}" and p1["auth"] == f"Bearer {TOKEN}"
    assert (
        ThreadStore(slack.service).latest("T2", c2).session_id != ThreadStore(slack.service).latest("T1", c1).session_id
    )
    # the team's own bot user is ignored too
    ts = p2["args"]["thread_ts"]
    await slack.message("echo", team="T2", channel=c2, thread_ts=ts, user=BOT_USER + "2")
    await drain()
    assert len(slack.posts(c2)) == 1


async def test_thread_mapping_survives_a_restart(slack: Any, driver_for: Any) -> None:
    channel = new_id("C")
    ts, sid = await start_thread(slack, channel)
    # A fresh process: a new Database over the same URL sees the mapping …
    fresh = Database(slack.container.db.url)
    try:
        with SqlSessionStore(fresh).transaction() as tx:
            found = tx.thread(team_name("T1"), external_id("T1", channel, ts))
        assert found is not None and found.session_id == sid
    finally:
        fresh.dispose()
    # … and a new app (no memory of the first) continues the same session.
    other = driver_for(slack.container)
    try:
        await other.message("Participants use the new planning method in their teams", channel=channel, thread_ts=ts)
        await drain()
    finally:
        await other.close()
    assert user_turns(slack.service, sid) == 2


async def test_service_errors_become_a_clear_message(slack: Any) -> None:
    channel = new_id("C")
    r = await slack.command("x" * 12_000, channel=channel)
    assert r.status_code == 200
    await drain()
    answer = slack.fake.find("response_url")[-1]["args"]
    assert "too long" in answer["text"]
    await slack.command("", channel=channel)
    await drain()
    assert "/outcome summary" in slack.fake.find("response_url")[-1]["args"]["text"]


async def test_mount_without_a_service_uses_the_one_the_app_builds(fake_slack: Any, slack_container: Any) -> None:
    app = FastAPI()
    mount(app, with_slack(fake_slack), None)  # as create_app does before its lifespan
    app.state.container = slack_container  # … which builds the container later
    slack = SlackDriver(app, fake_slack, slack_container)
    try:
        channel = new_id("C")
        await slack.mention("We ran 14 workshops this quarter", channel=channel)
        await drain()
        assert len(slack.posts(channel)) == 1
    finally:
        await slack.close()
