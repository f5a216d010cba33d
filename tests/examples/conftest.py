"""End-to-end rig for examples/: our server (uvicorn on a loopback port, keys required), a fake Slack Web API on
loopback (tests/slack/slack_rig.py), and the example bot as its own process, all talking real HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "slack"))

from slack_rig import SECRET, TOKEN, FakeSlack

ROOT = Path(__file__).resolve().parents[2]
BOT_DIR = ROOT / "examples" / "slack-bot"
CLIENT_DIR = ROOT / "clients" / "python"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def example_slack() -> Iterator[FakeSlack]:
    server = FakeSlack()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def coach_api(tmp_path_factory: pytest.TempPathFactory, hash_container_factory: Any) -> Iterator[dict[str, Any]]:
    """The coach's HTTP API on a free loopback port, with API keys required (as in production)."""
    import uvicorn

    from api.app import create_app

    container = hash_container_factory(tmp_path_factory.mktemp("example-coach"))
    container.service.warm()
    settings = container.settings.model_copy(
        update={"api": container.settings.api.model_copy(update={"require_keys": True})}
    )
    app = create_app(settings, container=container)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=2)
    )
    thread = threading.Thread(target=server.run, name="coach-api-for-examples", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the coach API did not start")
        time.sleep(0.05)
    yield {"url": f"http://127.0.0.1:{port}", "container": container}
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="session")
def start_bot(
    coach_api: dict[str, Any], example_slack: FakeSlack, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[str], dict[str, Any]]]:
    """start_bot(team) → a new API key of `team` and the example bot running with it, as its own process.

    The bot sees only the client package on its path (not coach/ or api/), the coach's URL and the fake Slack."""
    procs: list[subprocess.Popen[bytes]] = []

    def start(team: str) -> dict[str, Any]:
        key = coach_api["container"].keys.create(team, "api", []).key
        port = free_port()
        log = tmp_path_factory.mktemp("bot") / "bot.log"
        env = {
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": str(CLIENT_DIR),
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": example_slack.api_url,
            "COACH_URL": coach_api["url"],
            "COACH_API_KEY": key,
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "LOG_LEVEL": "INFO",
        }
        out = log.open("wb")
        proc = subprocess.Popen([sys.executable, "bot.py"], cwd=BOT_DIR, env=env, stdout=out, stderr=out)
        procs.append(proc)
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the example bot exited ({proc.returncode}):\n{log.read_text()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"the example bot did not start:\n{log.read_text()}")
                time.sleep(0.1)
        return {"url": f"http://127.0.0.1:{port}", "key": key, "team": team, "log": log, "proc": proc}

    yield start
    for p in procs:
        p.terminate()
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
