"""A whole coaching conversation in a Slack thread with the real classifier (the packaged model)."""

from __future__ import annotations

from typing import Any

import pytest
from slack_rig import block_text, drain, new_id

from api.slack.blocks import check_limits
from api.slack.threads import ThreadStore, team_name

pytestmark = pytest.mark.integration


async def test_a_thread_conversation_reaches_an_outcome_and_measures(
    real_container: Any, real_service: Any, driver_for: Any
) -> None:
    slack = driver_for(real_container)
    channel, team = new_id("C"), new_id("T")
    try:
        # /outcome first: the real labels, ephemerally.
        await slack.command(
            "We ran 14 workshops for team leads this quarter. Customers renew their contracts more often.",
            team=team,
            channel=channel,
        )
        await drain()
        [answer] = [
            c
            for c in slack.fake.find("response_url")
            if c["args"].get("blocks") and "workshops for team leads" in block_text(c["args"]["blocks"])
        ]
        read = block_text(answer["args"]["blocks"])
        assert read.index("*Output*") < read.index("*Outcome*")

        root = slack.fake.next_ts()
        await slack.mention("We ran 14 workshops for team leads this quarter", team=team, channel=channel, ts=root)
        await drain()
        sid = ThreadStore(real_service).session_for(team, channel, root)
        assert sid is not None
        view = real_service.get_session(sid, team_name(team))
        assert view.phase == "ask_result", view.messages[-1].text

        # Replies in the thread, without mentioning the app, continue the same session.
        await slack.message(
            "Team leads run their weekly planning with the new method", team=team, channel=channel, thread_ts=root
        )
        await drain()
        view = real_service.get_session(sid, team_name(team))
        if view.phase in ("ask_result", "ask_higher"):  # one more step: the person names the result
            await slack.message(
                "Teams deliver their projects on time more often", team=team, channel=channel, thread_ts=root
            )
            await drain()
            view = real_service.get_session(sid, team_name(team))
        if view.phase in ("ask_result", "ask_higher"):
            await slack.click("coach_accept", sid, team=team, channel=channel, thread_ts=root)
            await drain()
            view = real_service.get_session(sid, team_name(team))

        assert view.phase == "ask_baseline"
        chain = view.map.chains[0]
        assert chain.origin == "We ran 14 workshops for team leads this quarter" and chain.outcome
        assert len(chain.measures) >= 2
        replies = slack.posts(channel, root)
        assert len(replies) == sum(1 for t in view.messages if t.role == "user") >= 2
        last = replies[-1]["args"]["blocks"]
        assert check_limits(last) == []
        text = block_text(last)
        assert chain.measures[0].name in text and "*Data owner*" in text and "*Gaming risk*" in text

        # A baseline answer completes the outcome statement; summary posts the map and the files.
        await slack.message("baseline 40%, target 60% by June", team=team, channel=channel, thread_ts=root)
        await drain()
        await slack.click("coach_summary", sid, team=team, channel=channel, thread_ts=root)
        await drain()
        view = real_service.get_session(sid, team_name(team))
        assert view.map.chains[0].outcome_statement
        assert len(slack.fake.find("files.completeUploadExternal", channel_id=channel, thread_ts=root)) == 1
        assert "Outcome statement" in block_text(slack.posts(channel, root)[-1]["args"]["blocks"])
    finally:
        await slack.close()
