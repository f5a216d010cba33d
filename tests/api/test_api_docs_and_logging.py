"""/docs and /redoc load nothing from a CDN; `coach serve` honours COACH_LOG_LEVEL."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_api_docs_load_only_assets_served_here(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']|url:\s*['"]([^'"]+)['"]""", page.text)
    assets = [u for pair in urls for u in pair if u]
    assert assets, page.text
    assert not [u for u in assets if u.startswith(("http:", "https:", "//"))], assets
    for asset in assets:
        if asset.endswith((".js", ".css", ".png")):
            r = client.get(asset)
            assert r.status_code == 200 and len(r.content) > 1000, asset
    assert "fonts.googleapis" not in page.text and "cdn." not in page.text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_output(data_dir: Path, level: str | None) -> str:
    """Start `coach serve` with COACH_LOG_LEVEL=level, wait until it answers, stop it; its console output."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env.update(COACH_DATA_DIR=str(data_dir), COACH_EMBEDDING__BACKEND="hash", HF_HUB_OFFLINE="1")
    if level:
        env["COACH_LOG_LEVEL"] = level
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        httpx.get(f"http://127.0.0.1:{port}/v1/nothing-here", timeout=5)  # one access-log line (INFO)
    finally:
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=30)
    return output.decode()


def test_coach_serve_honours_coach_log_level(api_container: Any) -> None:
    data = api_container.settings.data_dir
    quiet = serve_output(data, "WARNING")
    assert "Outcome Coach on http://" in quiet  # the banner is not a log line
    assert "INFO" not in quiet and "API keys are optional" in quiet, quiet  # warnings still show
    chatty = serve_output(data, None)  # the default, INFO: uvicorn's start-up and access lines
    assert "INFO" in chatty and "/v1/nothing-here" in chatty, chatty


def test_an_unknown_log_level_is_a_clear_error(api_container: Any) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env.update(COACH_DATA_DIR=str(api_container.settings.data_dir), COACH_LOG_LEVEL="LOUD")
    r = subprocess.run(
        [sys.executable, "-m", "api.cli", "serve", "--port", "1"], env=env, capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 2 and "Unknown log level 'loud'" in r.stderr and "Traceback" not in r.stderr
