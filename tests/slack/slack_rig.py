"""Helpers for the Slack tests: the fake Slack Web API, request signing, the request driver."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import itertools
import json
import threading
import time
import uuid
from typing import Any
from urllib.parse import urlencode

import httpx
from aiohttp import web
from pydantic import SecretStr

from api.slack.settings import SlackSettings

SECRET = "test-signing-secret-7d41c0a9e2"
TOKEN = "xoxb-test-bot-token-5c1e9f00aa"
TEAM2_TOKEN = "xoxb-team-two-token-31b7d2"
BOT_USER = "UBOTCOACH"
BOT_ID = "BBOTCOACH"


# ----- the fake Slack Web API ------------------------------------------------------------------------
class FakeSlack:
    """Answers Slack Web API methods over real HTTP on 127.0.0.1 and records each call."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.uploads: dict[str, bytes] = {}
        self.fail: dict[str, str] = {}  # method → Slack error to answer with
        self.delay: dict[str, float] = {}  # method → seconds to wait before answering
        self.http_error: dict[str, tuple[int, dict[str, str]]] = {}  # method → (HTTP status, headers), HTML body
        self._lock = threading.Lock()
        self._seq = itertools.count(1)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self.url = ""

    # server lifecycle (own thread, own loop)
    def start(self) -> None:
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            app = web.Application(client_max_size=10_000_000)
            app.router.add_post("/api/{method}", self._api)
            app.router.add_post("/upload/{file_id}", self._upload)
            app.router.add_post("/response/{rid}", self._response)
            self._runner = web.AppRunner(app, access_log=None)
            loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            loop.run_until_complete(site.start())
            port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            self.url = f"http://127.0.0.1:{port}"
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._runner.cleanup())
            loop.close()

        self._thread = threading.Thread(target=run, name="fake-slack", daemon=True)
        self._thread.start()
        assert ready.wait(10), "the fake Slack server did not start"

    def stop(self) -> None:
        if self._loop:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    @property
    def api_url(self) -> str:
        return self.url + "/api/"

    def response_url(self) -> str:
        return f"{self.url}/response/{uuid.uuid4().hex[:10]}"

    # recording
    def _record(self, **call: Any) -> None:
        with self._lock:
            self.calls.append(call)

    def find(self, method: str | None = None, **match: Any) -> list[dict[str, Any]]:
        """Calls to `method` whose args contain every key=value of `match`."""
        with self._lock:
            calls = list(self.calls)
        return [
            c
            for c in calls
            if (method is None or c["method"] == method) and all(c["args"].get(k) == v for k, v in match.items())
        ]

    def next_ts(self) -> str:
        n = next(self._seq)
        return f"{1_700_000_000 + n}.{n:06d}"

    async def _args(self, request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query)
        body = await request.read()
        ctype = request.content_type
        if body and ctype == "application/json":
            args.update(json.loads(body))
        elif body and ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            from urllib.parse import parse_qsl

            args.update(dict(parse_qsl(body.decode())))
        for key in ("blocks", "files", "attachments"):
            if isinstance(args.get(key), str):
                with contextlib.suppress(ValueError):
                    args[key] = json.loads(args[key])
        return args

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._args(request)
        auth = request.headers.get("Authorization", "")
        self._record(method=method, args=args, auth=auth)
        if method in self.delay:
            await asyncio.sleep(self.delay[method])
        if method in self.http_error:
            status, headers = self.http_error[method]
            return web.Response(status=status, text="<html>upstream trouble</html>", headers=headers)
        if method in self.fail:
            return web.json_response({"ok": False, "error": self.fail[method]})
        data: dict[str, Any] = {"ok": True}
        if method == "auth.test":
            team2 = auth.endswith(TEAM2_TOKEN)
            data.update(
                user_id=BOT_USER + ("2" if team2 else ""),
                bot_id=BOT_ID + ("2" if team2 else ""),
                team_id="T2" if team2 else "T1",
                user="outcome_coach",
            )
        elif method == "chat.postMessage":
            ts = self.next_ts()
            data.update(
                channel=args.get("channel"),
                ts=ts,
                message={"text": args.get("text"), "ts": ts, "thread_ts": args.get("thread_ts"), "bot_id": BOT_ID},
            )
        elif method == "chat.postEphemeral":
            data.update(message_ts=self.next_ts())
        elif method == "files.getUploadURLExternal":
            fid = f"F{next(self._seq):05d}"
            data.update(file_id=fid, upload_url=f"{self.url}/upload/{fid}")
        elif method == "files.completeUploadExternal":
            files = args.get("files") or []
            data.update(files=[{"id": f.get("id"), "title": f.get("title")} for f in files])
        return web.json_response(data)

    async def _upload(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.uploads[request.match_info["file_id"]] = body
        self._record(method="upload", args={"file_id": request.match_info["file_id"]}, auth="")
        return web.Response(text=f"OK - {len(body)}", content_type="text/plain")

    async def _response(self, request: web.Request) -> web.Response:
        body = await request.json()
        self._record(method="response_url", args=body, auth="", url=str(request.url))
        return web.Response(text="ok", content_type="text/plain")


# ----- services and settings -------------------------------------------------------------------------
def with_slack(fake: FakeSlack, secret: str | None = SECRET, token: str | None = TOKEN) -> SlackSettings:
    return SlackSettings(  # type: ignore[call-arg]
        _env_file=None,
        signing_secret=SecretStr(secret) if secret is not None else None,
        bot_token=SecretStr(token) if token is not None else None,
        api_base_url=fake.api_url,
    )


# ----- signing and driving ---------------------------------------------------------------------------
def sign(body: str, ts: int | None = None, secret: str = SECRET) -> dict[str, str]:
    """Slack's v0 request signature: HMAC-SHA256 of "v0:{timestamp}:{body}" with the signing secret."""
    ts = int(time.time()) if ts is None else ts
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": f"v0={digest}"}


def new_id(prefix: str) -> str:
    return prefix + uuid.uuid4().hex[:9].upper()


async def drain(timeout: float = 60.0) -> None:
    """Wait until the work Bolt started after acknowledging (listener tasks) has finished."""
    deadline = time.monotonic() + timeout
    me = asyncio.current_task()
    while time.monotonic() < deadline:
        pending = [t for t in asyncio.all_tasks() if t is not me and not t.done()]
        if not pending:
            return
        await asyncio.wait(pending, timeout=max(0.01, deadline - time.monotonic()))
    raise AssertionError("Slack listeners still running after the timeout")


class SlackDriver:
    """Sends Slack-shaped, signed requests to POST /slack/events of the app under test."""

    def __init__(self, app: Any, fake: FakeSlack, container: Any) -> None:
        self.app = app
        self.fake = fake
        self.container = container
        self.service = container.service
        self.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")

    async def close(self) -> None:
        await self.http.aclose()

    async def send(
        self,
        body: str,
        content_type: str,
        headers: dict[str, str] | None = None,
        signed: bool = True,
        signed_at: int | None = None,
        secret: str = SECRET,
    ) -> httpx.Response:
        h = {"Content-Type": content_type, **(sign(body, signed_at, secret) if signed else {}), **(headers or {})}
        return await self.http.post("/slack/events", content=body.encode(), headers=h)

    async def command(
        self,
        text: str,
        team: str = "T1",
        channel: str = "C1",
        user: str = "UHUMAN",
        response_url: str | None = None,
        **kw: Any,
    ) -> httpx.Response:
        form = {
            "token": "legacy-verification-token",
            "team_id": team,
            "team_domain": "acme",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": "sam",
            "command": "/outcome",
            "text": text,
            "api_app_id": "AOUTCOME",
            "response_url": response_url or self.fake.response_url(),
            "trigger_id": "13345224609.738474920.8088930838d88f008e0",
        }
        return await self.send(urlencode(form), "application/x-www-form-urlencoded", **kw)

    async def event(
        self,
        event: dict[str, Any],
        team: str = "T1",
        event_id: str | None = None,
        retry: int | None = None,
        headers: dict[str, str] | None = None,
        **kw: Any,
    ) -> httpx.Response:
        payload = {
            "token": "legacy-verification-token",
            "team_id": team,
            "api_app_id": "AOUTCOME",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or new_id("Ev"),
            "event_time": int(time.time()),
            "authorizations": [{"team_id": team, "user_id": BOT_USER, "is_bot": True}],
        }
        extra = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
        return await self.send(json.dumps(payload), "application/json", headers={**extra, **(headers or {})}, **kw)

    async def mention(
        self,
        text: str,
        team: str = "T1",
        channel: str = "C1",
        user: str = "UHUMAN",
        thread_ts: str | None = None,
        ts: str | None = None,
        **kw: Any,
    ) -> httpx.Response:
        event = {
            "type": "app_mention",
            "user": user,
            "text": f"<@{BOT_USER}> {text}",
            "channel": channel,
            "ts": ts or self.fake.next_ts(),
            "event_ts": ts or "1.0",
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        return await self.event(event, team=team, **kw)

    async def message(
        self,
        text: str,
        team: str = "T1",
        channel: str = "C1",
        user: str = "UHUMAN",
        thread_ts: str | None = None,
        channel_type: str = "channel",
        ts: str | None = None,
        extra: dict[str, Any] | None = None,
        **kw: Any,
    ) -> httpx.Response:
        event = {
            "type": "message",
            "user": user,
            "text": text,
            "channel": channel,
            "channel_type": channel_type,
            "ts": ts or self.fake.next_ts(),
            **(extra or {}),
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        return await self.event(event, team=team, **kw)

    async def click(
        self,
        action_id: str,
        value: str,
        team: str = "T1",
        channel: str = "C1",
        user: str = "UHUMAN",
        message_ts: str | None = None,
        thread_ts: str | None = None,
        ephemeral: bool = False,
        response_url: str | None = None,
        **kw: Any,
    ) -> httpx.Response:
        mts = message_ts or self.fake.next_ts()
        payload = {
            "type": "block_actions",
            "team": {"id": team, "domain": "acme"},
            "user": {"id": user, "username": "sam", "team_id": team},
            "api_app_id": "AOUTCOME",
            "token": "legacy-verification-token",
            "trigger_id": "1.2.3",
            "container": {
                "type": "message",
                "message_ts": mts,
                "channel_id": channel,
                "is_ephemeral": ephemeral,
                **({"thread_ts": thread_ts} if thread_ts else {}),
            },
            "channel": {"id": channel, "name": "general"},
            "response_url": response_url or self.fake.response_url(),
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "b",
                    "value": value,
                    "text": {"type": "plain_text", "text": action_id},
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        if not ephemeral:
            payload["message"] = {
                "type": "message",
                "ts": mts,
                "bot_id": BOT_ID,
                "text": "coach",
                **({"thread_ts": thread_ts} if thread_ts else {}),
            }
        return await self.send(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded", **kw)

    # reading what the app did
    def posts(self, channel: str, thread_ts: str | None = None) -> list[dict[str, Any]]:
        calls = self.fake.find("chat.postMessage", channel=channel)
        return [c for c in calls if thread_ts is None or c["args"].get("thread_ts") == thread_ts]


def block_text(blocks: list[dict[str, Any]]) -> str:
    """Every text in a list of blocks, joined: what a person would read."""
    out: list[str] = []

    def walk(x: Any) -> None:
        if isinstance(x, dict):
            if x.get("type") in ("mrkdwn", "plain_text") and isinstance(x.get("text"), str):
                out.append(x["text"])
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(blocks)
    return "\n".join(out)


def make_app(container: Any, slack: SlackSettings) -> Any:
    """create_app over `container`, with Slack mounted from `slack`."""
    from api.app import create_app

    return create_app(container.settings, container, slack)


def with_service(container: Any, service: Any) -> Any:
    """The container's stores with another service in front (a slow one, say)."""
    from types import SimpleNamespace

    return SimpleNamespace(settings=container.settings, db=container.db, keys=container.keys, service=service)
