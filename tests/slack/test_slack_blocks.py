"""Block Kit rendering: the content of a reply, and Slack's limits on huge ones; the manifest."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

import yaml
from slack_rig import block_text

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
from coach.config import ApiSettings
from coach.domain import Chain, Citation, Classification, CoachReply, Label, OutcomeMap, ProposedMeasure

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
        options=["Skills applied at work"],
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
    assert "_lagging, decrease_" in card["text"]["text"] and "Fit 83%" in text
    cite = next(b for b in bl if b["type"] == "context" and ":books:" in block_text([b]))
    assert "*Outputs vs outcomes — Definitions* — Doerr 2018" in block_text([cite])
    assert "Directions others took: Skills applied at work" in text and "Still to come: “Launch the portal”" in text
    assert bl[-1]["type"] == "actions"
    assert [(e["text"]["text"], e["value"]) for e in bl[-1]["elements"]] == [
        ("That's the result", "sess-1"),
        ("Propose measures", "sess-1"),
        ("Not quite", "sess-1"),
        ("Summary", "sess-1"),
    ]
    assert {e["action_id"]: blocks.REPLY_ACTIONS[e["action_id"]][1] for e in bl[-1]["elements"]} == {
        "coach_accept": "That's the result",
        "coach_measures": "Propose measures",
        "coach_not_quite": "Not quite",
        "coach_summary": "summary",
    }


def test_a_huge_reply_respects_slack_limits() -> None:
    huge = CoachReply(
        text="\n\n".join(f"Paragraph {i}: " + "word " * 900 for i in range(12)) + "x" * 7000,
        question="Q? " + "why " * 2000,
        statements=[classification(f"Statement {i} " + "s" * 5000, reason="r" * 5000) for i in range(80)],
        measures=[measure(i, big=700) for i in range(30)],
        citations=[Citation(doc_id=f"d{i}", title="T" * 4000, section="S", sources=["x" * 4000]) for i in range(20)],
        options=["o" * 4000] * 5,
        queued=["q" * 4000] * 5,
        state="baseline",
    )
    bl = reply_blocks(huge, "sess-huge")
    assert len(bl) <= MAX_BLOCKS
    assert check_limits(bl) == []
    assert bl[-1]["type"] == "actions", "the buttons survive truncation"
    assert bl[-3]["text"]["text"].startswith(":point_right: *Q? why"), "the question survives truncation"
    assert "Directions others took" in block_text([bl[-2]])
    assert "not shown" in block_text(bl)
    # Slack sends the message back with every click: the request stays under the server's body limit.
    click = urlencode({"payload": json.dumps({"type": "block_actions", "message": {"blocks": bl}})})
    assert len(click.encode()) < ApiSettings().max_body_bytes
    assert chars(bl) <= MAX_MESSAGE_CHARS
    for b in bl:
        for t in ([b["text"]] if "text" in b else []) + b.get("fields", []) + b.get("elements", []):
            if isinstance(t, dict) and t.get("type") == "mrkdwn":
                assert len(t["text"]) <= MAX_TEXT

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
