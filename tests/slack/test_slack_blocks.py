"""The one Slack renderer (api/render): every reply field as Block Kit and as mrkdwn, Slack's limits on huge
replies, buttons whose value is the text to send back, our own app's option buttons; the manifest."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import yaml
from slack_rig import BOT_ID, block_text, drain, new_id

from api.render.markdown import reply_mrkdwn
from api.render.text import md_to_mrkdwn
from api.slack import blocks
from api.slack.blocks import (
    MAX_BLOCKS,
    MAX_MESSAGE_CHARS,
    MAX_TEXT,
    chars,
    check_limits,
    classification_blocks,
    clip,
    map_blocks,
    reply_blocks,
    summary_blocks,
)
from api.slack.coaching import first_question, is_from_bot, strip_mentions
from api.slack.threads import ThreadStore
from coach.config import ApiSettings
from coach.domain import Chain, Citation, Classification, CoachReply, Label, OutcomeMap, ProposedMeasure
from coach.outcome_map import to_markdown

MANIFEST = Path(__file__).resolve().parents[2] / "api" / "slack" / "manifest.yaml"


def measure(i: int, big: int = 0) -> ProposedMeasure:
    pad = " lorem" * big
    return ProposedMeasure(
        id=f"m{i}",
        library_id=f"lib-{i}",
        name=f"Repeat contact rate {i}{pad}",
        definition="Share of people" + pad,
        calculation="repeat contacts / all contacts" + pad,
        unit="%",
        direction="decrease",
        kind="lagging",
        who="customers" + pad,
        data_sources=["CRM", "telephony" + pad],
        data_owner="service lead" + pad,
        cadence="monthly",
        outcome_themes=["service"],
        gaming_risk="closing tickets early" + pad,
        balancing_measure="customer satisfaction" + pad,
        domain="service",
        fit=0.83,
        baseline_prompt="What is it today?",
        target_prompt="Where should it be?",
        collectability="From the CRM" + pad,
    )


def classification(
    text: str, label: Label = "output", conf: float = 0.91, reason: str = "Reports work done.", unsure: bool = False
) -> Classification:
    return Classification(text=text, label=label, confidence=conf, rationale=reason, needs_clarification=unsure)


def test_reply_renders_statements_question_measures_citations_and_buttons() -> None:
    reply = CoachReply(
        text="That's an output: it reports work done.\n\nWhat changed for the people who attended?",
        question="What changed for the people who attended?",
        statements=[classification("We ran 14 workshops <b>&</b>")],
        measures=[measure(1)],
        options=["Skills applied at work", "Fewer <@U1> escalations"],
        citations=[Citation(doc_id="g1", title="Outputs vs outcomes", section="Definitions", sources=["Doerr 2018"])],
        state="laddering",
        queued=["Launch the portal"],
    )
    bl = reply_blocks(reply, "sess-1")
    text = block_text(bl)
    assert check_limits(bl) == []
    assert "*Output* · 91% — “We ran 14 workshops &lt;b&gt;&amp;&lt;/b&gt;”" in text  # escaped, never a link
    assert "_Reports work done._" in text
    assert ":point_right: *What changed for the people who attended?*" in text
    assert text.count("What changed for the people who attended?") == 1
    card = next(b for b in bl if b["type"] == "section" and "fields" in b)
    names = [f["text"].split("\n")[0] for f in card["fields"]]
    assert names == [
        "*Calculation*",
        "*Unit*",
        "*Who*",
        "*Data sources*",
        "*Data owner*",
        "*Cadence*",
        "*Gaming risk*",
        "*Balancing measure*",
    ]
    assert "_partial match (83%) · lagging, decrease_" in card["text"]["text"]
    cite = next(b for b in bl if b["type"] == "context" and ":books:" in block_text([b]))
    assert "*Outputs vs outcomes — Definitions* — Doerr 2018" in block_text([cite])
    assert "Directions others took" in text and "Still to come: “Launch the portal”" in text
    # the options are buttons whose value is exactly the text to send back (never escaped: it is sent, not shown)
    options = next(b for b in bl if b.get("block_id") == "coach_options:sess-1")
    assert [(e["action_id"], e["value"]) for e in options["elements"]] == [
        ("coach_option_0", "Skills applied at work"),
        ("coach_option_1", "Fewer <@U1> escalations"),
    ]
    assert options["elements"][1]["text"]["type"] == "plain_text"  # a label is plain text: nothing to mention
    assert bl[-1]["type"] == "actions" and bl[-1]["block_id"] == "coach_actions:sess-1"
    assert [(e["text"]["text"], e["value"]) for e in bl[-1]["elements"]] == [
        ("That's the result", "That's the result"),
        ("Propose measures", "Propose measures"),
        ("Not quite", "Not quite"),
        ("Summary", "summary"),
    ]
    assert [e["action_id"] for e in bl[-1]["elements"]] == list(blocks.REPLY_ACTIONS)
    assert blocks.session_of_block("coach_actions:sess-1") == "sess-1"
    assert blocks.session_of_block("coach_options:sess-1") == "sess-1"
    assert blocks.session_of_block("coach_actions") is None and blocks.session_of_block("b") is None
    # without a session (the HTTP API), the same blocks with plain block ids
    api = reply_blocks(reply)
    assert [b.get("block_id") for b in api if b["type"] == "actions"] == ["coach_options", "coach_actions"]
    assert block_text(api) == text


def full_reply() -> CoachReply:
    """A reply with every field set, including the map, the act and each kind of measure fit."""
    close = measure(1).model_copy(update={"fit_label": "close match", "fit": 0.91, "baseline": "42%", "target": "30%"})
    drafted = measure(2).model_copy(
        update={"fit_label": "drafted", "drafted": True, "library_id": "", "name": "Share of leads giving feedback"}
    )
    chain = Chain(
        id="c1",
        origin="We ran 14 workshops",
        origin_label="output",
        rungs=["Team leads give clearer feedback"],
        outcome="Fewer new hires quit in year one",
        status="outcome",
        measures=[close, drafted],
        baseline="unknown",
    )
    m = OutcomeMap(title="Outcome map", chains=[chain])
    return CoachReply(
        text="Here's your outcome map so far:\n" + to_markdown(m) + "\n\nWhat is the baseline today?",
        question="What is the baseline today?",
        statements=[classification("We ran 14 workshops")],
        options=["Retention"],
        measures=[close, measure(3), drafted],
        citations=[Citation(doc_id="g1", title="Measure design", sources=["Hubbard (2014)"])],
        state="baseline",
        queued=["Launch the portal"],
        chain_id="c1",
        act="asked_for_summary",
        map=m,
    )


def test_every_reply_field_is_rendered_and_the_map_is_blocks_not_a_table() -> None:
    reply = full_reply()
    bl = reply_blocks(reply)
    text = block_text(bl)
    assert check_limits(bl) == []
    assert "Heard as" not in text  # the act is for programs (reply.act), not shown to people
    assert "Here's your outcome map so far:" in text
    assert any(b["type"] == "header" and b["text"]["text"] == "Outcome map" for b in bl)  # map
    assert "*1. Fewer new hires quit in year one*" in text and "• *Output:* We ran 14 workshops" in text
    assert "• *Leads to:* Team leads give clearer feedback" in text and "unknown — to be collected" in text
    assert "|" not in text and "**" not in text and "# Outcome map" not in text  # no raw Markdown, no table
    assert "*Output* · 91%" in text  # statements
    assert "close match (91%)" in text and "partial match (83%)" in text  # fit_label, in words
    assert "drafted from your outcome (not in the library)" in text and "Drafted" in text
    assert "*Data owner*\nservice lead" in text and "*Cadence*\nmonthly" in text
    assert "*Calculation*\nrepeat contacts / all contacts" in text
    assert "*Baseline*\n42%" in text and "*Target*\n30%" in text
    assert "owner: service lead" in text  # the map's measures carry their owner and cadence too
    assert "Still to come: “Launch the portal”" in text and "Hubbard (2014)" in text
    assert ":point_right: *What is the baseline today?*" in text
    assert [e["value"] for b in bl if b.get("block_id") == "coach_options" for e in b["elements"]] == ["Retention"]

    md = reply_mrkdwn(reply)
    assert "|" not in md and "**" not in md and "# " not in md
    for piece in (
        "*Outcome map*",
        "*1. Fewer new hires quit in year one*",
        "close match (91%)",
        "drafted from your outcome",
        "• *Data owner:* service lead",
        "• *Cadence:* monthly",
        "• *Calculation:* repeat contacts / all contacts",
        "*Output* · 91%",
        "Hubbard (2014)",
        "Still to come",
    ):
        assert piece in md, piece
    assert md.index("Outcome map") < md.index(":point_right: *What is the baseline today?*")
    assert md.endswith("“summary”._") and "Directions others took: “Retention”" in md


def test_markdown_tables_in_the_text_become_bullets() -> None:
    md = "Intro **bold**\n\n| Measure | Kind |\n|---|---|\n| Repeat rate | lagging |\n| NPS <3 | leading |"
    out = md_to_mrkdwn(md)
    assert out == "Intro *bold*\n\n• Repeat rate — lagging\n• NPS &lt;3 — leading"


def test_a_huge_reply_respects_slack_limits() -> None:
    huge = CoachReply(
        text="\n\n".join(f"Paragraph {i}: " + "word " * 900 for i in range(12)) + "x" * 7000,
        question="Q? " + "why " * 2000,
        statements=[classification(f"Statement {i} " + "s" * 5000, reason="r" * 5000) for i in range(80)],
        measures=[measure(i, big=700) for i in range(30)],
        citations=[Citation(doc_id=f"d{i}", title="T" * 4000, section="S", sources=["x" * 4000]) for i in range(20)],
        options=["o" * 4000, *[f"option {i} " + "p" * 60 for i in range(40)]],
        queued=["q" * 4000] * 5,
        state="baseline",
        act="a" * 5000,
    )
    bl = reply_blocks(huge, "sess-huge")
    assert len(bl) <= MAX_BLOCKS
    assert check_limits(bl) == []
    assert bl[-1]["type"] == "actions", "the buttons survive truncation"
    question = next(b for b in bl if b["type"] == "section" and b["text"]["text"].startswith(":point_right:"))
    assert question["text"]["text"].startswith(":point_right: *Q? why"), "the question survives truncation"
    options = next(b for b in bl if b.get("block_id") == "coach_options:sess-huge")
    assert len(options["elements"]) == 5 and all(e["value"].startswith("option ") for e in options["elements"])
    assert "not shown" in block_text(bl)
    # Slack sends the message back with every click: the request stays under the server's body limit.
    click = urlencode({"payload": json.dumps({"type": "block_actions", "message": {"blocks": bl}})})
    assert len(click.encode()) < ApiSettings().max_body_bytes
    assert chars(bl) <= MAX_MESSAGE_CHARS
    for b in bl:
        for t in ([b["text"]] if "text" in b else []) + b.get("fields", []) + b.get("elements", []):
            if isinstance(t, dict) and t.get("type") == "mrkdwn":
                assert len(t["text"]) <= MAX_TEXT
    assert len(reply_mrkdwn(huge)) <= 12_000 and reply_mrkdwn(huge).endswith("“summary”._")

    many = [classification("x" * 3000, unsure=True) for _ in range(120)]
    cb = classification_blocks("short text", many, {i: "q" * 5000 for i in range(120)})
    assert check_limits(cb) == [] and len(cb) <= MAX_BLOCKS and cb[-2]["type"] == "actions"
    assert check_limits(classification_blocks("x" * 5000, many[:2], {})) == []  # too long for a button value

    chains = [
        Chain(
            id=f"c{i}",
            origin="o" * 2000,
            origin_label="output",
            rungs=["r" * 2000] * 3,
            outcome="u" * 2000,
            status="outcome",
            measures=[measure(j, big=300) for j in range(12)],
        )
        for i in range(60)
    ]
    m = OutcomeMap(title="Outcome map " + "t" * 400, chains=chains)
    assert check_limits(map_blocks(m)) == [] and chars(map_blocks(m)) <= MAX_MESSAGE_CHARS
    sb = summary_blocks(m, huge, "sess")
    assert check_limits(sb) == [] and sb[-1]["type"] == "actions" and chars(sb) <= MAX_MESSAGE_CHARS
    with_map = reply_blocks(huge.model_copy(update={"map": m}))
    assert check_limits(with_map) == [] and with_map[-1]["type"] == "actions"


def test_check_limits_catches_breaches() -> None:
    too_many = [blocks.section("x")] * 51
    assert any("51 blocks" in p for p in check_limits(too_many))
    assert any("3001" in p for p in check_limits([{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]))
    assert check_limits([{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}])
    assert check_limits([{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}])


def test_clip_cuts_cleanly() -> None:
    assert clip("short", 10) == "short"
    cut = clip("alpha beta gamma delta epsilon", 20)
    assert cut == "alpha beta gamma…" and len(cut) <= 20
    assert clip("a" * 50, 10) == "a" * 9 + "…"
    assert clip("see " + "&amp;" * 10, 12).endswith("…") and "&am…" not in clip("see " + "&amp;" * 10, 12)
    assert not clip("x <@U123456789> " + "y" * 50, 14).count("<@U1")


def test_first_question_and_message_helpers() -> None:
    q = first_question(classification("We ran 14 workshops this quarter"))
    assert q and q.endswith("?") and "14 workshops" not in q  # the statement is shown above; not echoed
    assert first_question(classification("Customers renew more often", label="outcome")) is None
    unsure = first_question(classification("A thing", unsure=True)) or ""
    assert "A thing" in unsure and "deliver" in unsure
    assert strip_mentions("<@UBOT> we ran <@UOTHER> 14 workshops", "UBOT") == "we ran <@UOTHER> 14 workshops"
    assert strip_mentions("<@UBOT|coach>   hi") == "hi"
    assert strip_mentions("<@UBOT> R&amp;D &lt;3 cut costs &gt; 10%", "UBOT") == "R&D <3 cut costs > 10%"
    assert is_from_bot({"bot_id": "B1", "text": "x"})
    assert is_from_bot({"subtype": "bot_message"})
    assert is_from_bot({"subtype": "message_deleted"})
    assert is_from_bot({"user": "UBOT"}, "UBOT")
    assert not is_from_bot({"user": "UHUMAN"}, "UBOT")
    assert not is_from_bot({"user": "UHUMAN", "subtype": "thread_broadcast"}, "UBOT")


def test_manifest_creates_the_app_in_one_step() -> None:
    m = yaml.safe_load(MANIFEST.read_text("utf-8"))
    url = "https://YOUR-HOST/slack/events"
    assert m["settings"]["event_subscriptions"]["request_url"] == url
    assert m["settings"]["interactivity"] == {"is_enabled": True, "request_url": url}
    [cmd] = m["features"]["slash_commands"]
    assert cmd["command"] == "/outcome" and cmd["url"] == url
    assert set(m["settings"]["event_subscriptions"]["bot_events"]) >= {"app_mention", "message.im"}
    scopes = set(m["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "app_mentions:read", "im:history", "files:write"} <= scopes
    # every subscribed event has the scope it needs, and nothing beyond what the app uses
    needs = {"app_mention": "app_mentions:read", "message.im": "im:history", "message.channels": "channels:history"}
    assert {needs[e] for e in m["settings"]["event_subscriptions"]["bot_events"]} <= scopes
    assert scopes <= {"commands", "chat:write", "app_mentions:read", "im:history", "channels:history", "files:write"}
    assert m["features"]["app_home"]["messages_tab_enabled"] is True
    assert m["features"]["bot_user"]["display_name"]


async def click_rendered(slack: Any, button: dict[str, Any], block_id: str, channel: str, thread_ts: str) -> None:
    """Click a button exactly as our app rendered it: Slack sends back its action id, block id and value."""
    payload = {
        "type": "block_actions",
        "team": {"id": "T1", "domain": "acme"},
        "user": {"id": "UHUMAN", "username": "sam", "team_id": "T1"},
        "api_app_id": "AOUTCOME",
        "container": {"type": "message", "message_ts": thread_ts, "channel_id": channel, "thread_ts": thread_ts},
        "channel": {"id": channel, "name": "general"},
        "message": {"type": "message", "ts": thread_ts, "thread_ts": thread_ts, "bot_id": BOT_ID, "text": "coach"},
        "response_url": slack.fake.response_url(),
        "actions": [{**button, "block_id": block_id, "action_ts": f"{time.time():.6f}"}],
    }
    r = await slack.send(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")
    assert r.status_code == 200, r.text
    await drain()


async def test_our_app_sends_a_buttons_value_as_the_next_message(slack: Any) -> None:
    """Options and controls as rendered: clicking one sends its value as the person's turn, in its thread."""
    channel = new_id("C")
    ts = slack.fake.next_ts()
    await slack.mention("We ran 14 workshops this quarter", channel=channel, ts=ts)
    await drain()
    sid = ThreadStore(slack.service).session_for("T1", channel, ts)
    assert sid
    posted = slack.posts(channel, ts)[-1]["args"]["blocks"]
    by_id = {b.get("block_id"): b for b in posted}
    options = by_id.get(f"coach_options:{sid}")
    assert options is not None, "the coach offered directions, rendered as buttons"
    first = options["elements"][0]
    await click_rendered(slack, first, f"coach_options:{sid}", channel, ts)
    view = slack.service.get_session(sid)
    assert view.messages[-2].role == "user" and view.messages[-2].text == first["value"]

    summary = next(e for e in by_id[f"coach_actions:{sid}"]["elements"] if e["action_id"] == "coach_summary")
    await click_rendered(slack, summary, f"coach_actions:{sid}", channel, ts)
    view = slack.service.get_session(sid)
    assert view.messages[-2].text == "summary"
    reply = slack.posts(channel, ts)[-1]["args"]["blocks"]
    assert any(b["type"] == "header" for b in reply) and "|" not in block_text(reply)


def test_a_cut_message_says_where_the_rest_is() -> None:
    chains = [Chain(id=f"c{i}", origin="o" * 900, origin_label="output", outcome="u" * 900) for i in range(40)]
    m = OutcomeMap(chains=chains)
    reply = CoachReply(text="Here's your outcome map so far:", state="idle")
    assert "The attached CSV has every chain." in block_text(summary_blocks(m, reply, "s"))  # our app attaches it
    api = reply_blocks(reply.model_copy(update={"map": m}))
    assert "not shown" in block_text(api) and "CSV" not in block_text(api)  # the API attaches nothing
    long = CoachReply(text="\n\n".join("word " * 500 for _ in range(12)), state="laddering")
    assert "Say “summary” for the whole outcome map." in block_text(reply_blocks(long))
