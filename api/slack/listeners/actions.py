"""Buttons: "Coach me on this" opens a thread; a reply button sends its value (the text on it) as a turn."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from api.slack import blocks
from api.slack.coaching import SlackCoach

log = logging.getLogger(__name__)

#: The buttons under a coach reply: the four controls and the directions offered (coach_option_<n>).
REPLY_BUTTON = re.compile(rf"^(?:{'|'.join(blocks.REPLY_ACTIONS)}|{blocks.OPTION_ACTION}\d+)$")


def action_key(action: dict[str, Any]) -> str:
    return f"slack:action:{action.get('action_ts', '')}"


def _where(body: dict[str, Any]) -> tuple[str, str]:
    team_id = (body.get("team") or {}).get("id") or body.get("user", {}).get("team_id", "")
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id", "")
    return team_id, channel


def quote(text: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in blocks.escape(text).splitlines())


def register(app: AsyncApp, service: Any) -> None:
    coach = service if isinstance(service, SlackCoach) else SlackCoach(service)

    @app.action(blocks.START_ACTION)
    async def coach_me(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await ack()
        text = (action.get("value") or "").strip()
        team_id, channel = _where(body)
        user = (body.get("user") or {}).get("id", "")
        if not text or not channel:
            return
        intro = f"<@{user}> asked me to coach them on:\n{quote(text)}"
        root = await coach.post(client, channel, None, f"Coaching on: {text}", [blocks.section(intro)])
        if root is None or not root.get("ts"):
            await respond(
                text="I couldn't post in this channel. Invite me with `/invite @Outcome Coach`, or "
                "DM me and we'll talk there.",
                response_type="ephemeral",
                replace_original=False,
            )
            return
        sid = await coach.session_for(team_id, channel, root["ts"])
        await coach.turn(client, team_id, channel, root["ts"], sid, text, action_key(action))
        await respond(
            text=":thread: I opened a coaching thread in this channel — reply there.",
            response_type="ephemeral",
            replace_original=True,
        )

    @app.action(REPLY_BUTTON)
    async def pressed(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient) -> None:
        """A reply control or an offered direction: the button's value is the text it sends."""
        await ack()
        said = action.get("value") or ""
        session_id = blocks.session_of_block(action.get("block_id") or "")
        if session_id is None:  # a message posted before buttons carried their text: the value is the session
            session_id, said = said, blocks.REPLY_ACTIONS.get(action.get("action_id") or "", ("", ""))[1]
        team_id, channel = _where(body)
        if not session_id or not said:
            return
        thread = await coach.thread_of(session_id)
        if thread is not None and thread.team_id != team_id:
            log.warning("Ignored a Slack button for a session of another workspace")
            return
        thread_ts: str | None
        if thread is not None:
            channel, thread_ts = thread.channel, thread.thread_ts
        else:  # not mapped (yet): the thread the clicked message sits in
            msg = body.get("message") or {}
            thread_ts = msg.get("thread_ts") or (body.get("container") or {}).get("thread_ts") or msg.get("ts")
        if not channel or not thread_ts:
            return
        await coach.turn(client, team_id, channel, thread_ts, session_id, said, action_key(action))
