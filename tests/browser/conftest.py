"""Real Chromium (Debian's /usr/bin/chromium, driven by Playwright) against a real uvicorn server on loopback,
serving the real model (`real_service`). Chromium is never downloaded: `make test` installs the Debian package
when it is missing, and these tests fail (not skip) without it, so CI cannot silently pass over them."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("COACH_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SHOTS = Path(os.environ.get("COACH_SCREENSHOT_DIR", tempfile.gettempdir()))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(real_container: Any, real_settings: Any) -> Iterator[str]:
    """The app on a free loopback port, in a background thread (keyless local dev mode)."""
    import uvicorn

    from api.app import create_app

    app = create_app(real_settings, container=real_container)
    app.state.sse_poll_seconds = 0.5
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=2)
    )
    thread = threading.Thread(target=server.run, name="coach-live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the live server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Module-scoped on purpose: Playwright's sync API keeps an event loop running in the main thread while it
    is started, which would break async tests (pytest-asyncio) that run after this module."""
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make browser-deps` (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"), args=ARGS, headless=True
        )
        yield b
        b.close()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 860}, accept_downloads=True)
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: Any) -> Any:
    return context.new_page()


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path]:
    """screenshot(page, "name.png"): for a person to look at (COACH_SCREENSHOT_DIR, default the temp dir)."""

    def take(page: Any, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / name
        page.screenshot(path=str(path))
        return path

    return take
