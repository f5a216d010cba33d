"""A team's own Slack bot that coaches in threads, through the Outcome Coach HTTP API and its Python client only.

- Mention the bot (or DM it): the coaching conversation runs in the thread; every reply in that thread goes on
  with the same coach session (the coach keeps the thread → session map: `PUT /v1/threads/{id}`).
- The coach's replies come ready for Slack (`render=slack`): Block Kit blocks and a notification text. Every
  button's value is the text to send back, so a click is just the person's next message.
- Slack retries a delivery it thinks was lost: the message's `ts` (a click's `action_ts`) goes to the coach as
  the `Idempotency-Key`, so a retry is answered once and nothing is posted twice.
- `/outcome TEXT` classifies privately (`POST /v1/classify?render=slack`); "Coach me on this" opens a thread.
- When the coach refuses or fails, the bot posts the problem's `user_message`: one sentence meant for people.

Run it: see README.md. Configuration comes from the environment (see `Settings.from_env`).
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import httpx
from outcome_coach_client import AuthenticatedClient
from outcome_coach_client.api.classify import classify
from outcome_coach_client.api.sessions import post_message
from outcome_coach_client.api.threads import get_thread, put_thread
from outcome_coach_client.models import ClassifyRequest, ClassifyResponse, MessageIn, Problem, ThreadOut, TurnOut
from outcome_coach_client.types import Response
from slack_bolt import Ack, App, BoltContext, Respond
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

log = logging.getLogger("coach-bot")

UNREACHABLE = "The coach can't be reached right now. Please try again in a few minutes."
MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
HUMAN = {None, "file_share", "thread_broadcast"}  # message subtypes that are a person typing


@dataclass(frozen=True)
class Settings:
    slack_bot_token: str
    slack_signing_secret: str
    coach_url: str
    coach_api_key: str
    host: str = "127.0.0.1"
    port: int = 3000
    command: str = "/outcome"  # the slash command, as named in the app's manifest
    slack_api_url: str | None = None  # only to point the bot at another Slack Web API (tests, proxies)

    @classmethod
    def from_env(cls) -> Settings:
        missing = [
            n
            for n in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "COACH_URL", "COACH_API_KEY")
            if not os.environ.get(n)
        ]
        if missing:
            raise SystemExit(f"Set {', '.join(missing)} (see README.md).")
        return cls(
            slack_bot_token=os.environ["SLACK_BOT_TOKEN"],
            slack_signing_secret=os.environ["SLACK_SIGNING_SECRET"],
            coach_url=os.environ["COACH_URL"].rstrip("/"),
            coach_api_key=os.environ["COACH_API_KEY"],
            host=os.environ.get("HOST", "127.0.0.1"),
            port=int(os.environ.get("PORT", "3000")),
            command=os.environ.get("SLASH_COMMAND", "/outcome"),
            slack_api_url=os.environ.get("SLACK_API_URL") or None,
        )


@dataclass
class Said:
    """What to post: Block Kit (may be empty) and its text, or nothing (a retry already answered)."""

    text: str
    blocks: list[dict[str, Any]]
    post: bool = True


def user_message(response: Response[Any]) -> str:
    """The sentence the coach wrote for people, from any problem response."""
    if isinstance(response.parsed, Problem) and response.parsed.user_message:
        return response.parsed.user_message
    try:  # statuses the API does not list (500, 503) still carry a problem body
        return str(json.loads(response.content)["user_message"])
    except (ValueError, KeyError, TypeError):
        return UNREACHABLE


def problem(text: str) -> Said:
    return Said(text, [{"type": "section", "text": {"type": "plain_text", "text": f"⚠️ {text}"}}])


class Coach:
    """The Outcome Coach API as this bot uses it. Each method returns what to post (or a thread's session)."""

    def __init__(self, url: str, api_key: str, timeout: float = 60.0) -> None:
        self.api = AuthenticatedClient(base_url=url, token=api_key, timeout=httpx.Timeout(timeout))

    @staticmethod
    def thread_id(team: str, channel: str, thread_ts: str) -> str:
        return f"slack:{team}:{channel}:{thread_ts}"

    def open_thread(self, thread_id: str) -> ThreadOut | Said:
        """The thread's session, started on first use (or what to post when that fails)."""
        try:
            r = put_thread.sync_detailed(thread_id, client=self.api)
        except httpx.HTTPError:
            log.exception("the coach is unreachable")
            return problem(UNREACHABLE)
        return r.parsed if isinstance(r.parsed, ThreadOut) else problem(user_message(r))

    def in_thread(self, thread_id: str) -> bool:
        """Whether the coach is part of this thread already (a reply there then goes to it without a mention)."""
        try:
            return isinstance(get_thread.sync_detailed(thread_id, client=self.api).parsed, ThreadOut)
        except httpx.HTTPError:
            log.exception("the coach is unreachable")
            return False

    def say(self, session_id: str, text: str, key: str) -> Said:
        """One turn: the person's text in, the coach's reply as Slack blocks out."""
        try:
            r = post_message.sync_detailed(
                session_id, client=self.api, body=MessageIn(text=text), render="slack", idempotency_key=key
            )
        except httpx.HTTPError:
            log.exception("the coach is unreachable")
            return problem(UNREACHABLE)
        if not isinstance(r.parsed, TurnOut):
            return problem(user_message(r))
        reply = r.parsed.reply
        blocks = [b.to_dict() for b in reply.blocks] if isinstance(reply.blocks, list) else []
        fallback = reply.fallback if isinstance(reply.fallback, str) else reply.text
        return Said(fallback, blocks, post=not r.parsed.replayed)

    def classify(self, text: str) -> Said:
        try:
            r = classify.sync_detailed(client=self.api, body=ClassifyRequest(text=text), render="slack")
        except httpx.HTTPError:
            log.exception("the coach is unreachable")
            return problem(UNREACHABLE)
        if not isinstance(r.parsed, ClassifyResponse):
            return problem(user_message(r))
        blocks = [b.to_dict() for b in r.parsed.blocks] if isinstance(r.parsed.blocks, list) else []
        return Said(r.parsed.fallback if isinstance(r.parsed.fallback, str) else text, blocks)


def escape(text: str) -> str:
    """Text a person wrote, safe inside a Slack message (no accidental mentions or links)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clean(text: str) -> str:
    """A Slack message as the person typed it: mentions out, Slack's escapes undone."""
    text = re.sub(r"[ \t]+", " ", MENTION.sub(" ", text)).strip()
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def build_app(settings: Settings, coach: Coach | None = None) -> App:
    coach = coach or Coach(settings.coach_url, settings.coach_api_key)
    slack = WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url or WebClient.BASE_URL)
    app = App(client=slack, signing_secret=settings.slack_signing_secret, process_before_response=False)

    def post(client: WebClient, channel: str, thread_ts: str | None, said: Said) -> dict[str, Any] | None:
        if not said.post:
            log.info("a retried delivery: the coach answered it already, nothing posted")
            return None
        resp = client.chat_postMessage(
            channel=channel, thread_ts=thread_ts, text=said.text, blocks=said.blocks or None, unfurl_links=False
        )
        return resp.data if isinstance(resp.data, dict) else None

    def converse(client: WebClient, team: str, channel: str, root: str, text: str, key: str) -> None:
        """The person's `text` in the thread `root`: the thread's session answers, the reply goes in the thread."""
        thread = coach.open_thread(Coach.thread_id(team, channel, root))
        if isinstance(thread, Said):
            post(client, channel, root, thread)
            return
        if not text:  # a bare mention: the greeting, once, when it opens the thread
            if thread.created and thread.session.messages:
                greeting = thread.session.messages[0].text
                post(client, channel, root, Said(greeting, []))
            return
        post(client, channel, root, coach.say(thread.session_id, text, key))

    def from_a_bot(event: dict[str, Any], context: BoltContext) -> bool:
        if event.get("bot_id") or event.get("subtype") not in HUMAN:
            return True
        return bool(context.bot_user_id and event.get("user") == context.bot_user_id)

    @app.event("app_mention")
    def on_mention(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        if from_a_bot(event, context):
            return
        root = event.get("thread_ts") or event["ts"]
        key = f"slack:{event['channel']}:{event['ts']}"  # the same for a retry, and for the message event
        converse(client, context.team_id or "", event["channel"], root, clean(event.get("text", "")), key)

    @app.event("message")
    def on_message(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        if from_a_bot(event, context):
            return
        raw, channel, team = event.get("text") or "", event["channel"], context.team_id or ""
        key = f"slack:{channel}:{event['ts']}"
        if event.get("channel_type") == "im":
            converse(client, team, channel, event.get("thread_ts") or event["ts"], clean(raw), key)
            return
        root = event.get("thread_ts")
        if not root or (context.bot_user_id and f"<@{context.bot_user_id}" in raw):
            return  # not in a thread, or a mention (on_mention answers it)
        if coach.in_thread(Coach.thread_id(team, channel, root)) and clean(raw):
            converse(client, team, channel, root, clean(raw), key)

    @app.command(settings.command)
    def on_command(ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        ack()
        text = (command.get("text") or "").strip()
        if not text:
            usage = f"Usage: `{settings.command} We ran 14 workshops. Customers renew more often.`"
            respond(text=usage, response_type="ephemeral")
            return
        said = coach.classify(text)
        respond(text=said.text, blocks=said.blocks or None, response_type="ephemeral")

    @app.action(re.compile(r"^coach_"))
    def on_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        """Every coach button's value is the text to send back as the person's next message."""
        ack()
        value = action.get("value") or ""
        team = context.team_id or (body.get("team") or {}).get("id", "")
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id", "")
        key = f"slack:action:{action.get('action_ts', '')}"
        if not value or not channel:
            return
        if action.get("action_id") == "coach_start":  # from /outcome: open a thread for it first
            user = (body.get("user") or {}).get("id", "")
            root = post(client, channel, None, Said(f"<@{user}> asked to be coached on: {escape(value)}", []))
            if root and root.get("ts"):
                converse(client, team, channel, root["ts"], value, key)
            return
        message = body.get("message") or {}
        root = message.get("thread_ts") or (body.get("container") or {}).get("thread_ts") or message.get("ts")
        if root:
            converse(client, team, channel, root, value, key)

    return app


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        log.debug(format, *args)


def wsgi() -> SlackRequestHandler:
    """The bot as a WSGI app, for a production server: `gunicorn --threads 8 -b 0.0.0.0:3000 'bot:wsgi()'`."""
    return SlackRequestHandler(build_app(Settings.from_env()))


def main() -> None:
    """Serve the bot on HOST:PORT (a small threaded server from the standard library)."""
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"), stream=sys.stderr)
    settings = Settings.from_env()
    server = make_server(settings.host, settings.port, wsgi(), ThreadingServer, QuietHandler)
    log.info("coach bot listening on http://%s:%s/slack/events", settings.host, settings.port)
    server.serve_forever()


if __name__ == "__main__":
    main()
