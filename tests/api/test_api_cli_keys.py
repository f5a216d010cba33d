"""`coach keys create | list | revoke` and `coach serve`'s key rules (uvicorn itself is not started)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api import cli
from coach.config import get_settings


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for name in list(os.environ):
        if name.startswith("COACH_"):
            monkeypatch.delenv(name)
    # `coach serve` sets COACH_API__REQUIRE_KEYS itself: make monkeypatch remember it as absent, to restore that
    monkeypatch.setenv("COACH_API__REQUIRE_KEYS", "")
    monkeypatch.delenv("COACH_API__REQUIRE_KEYS")
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # no developer .env
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def run(*args: str) -> Any:
    return CliRunner().invoke(cli.app, list(args))


def test_keys_create_list_revoke(env: Path) -> None:
    made = run("keys", "create", "--team", "hr", "--kind", "widget", "--origin", "https://Intranet.example.org/")
    assert made.exit_code == 0, made.output
    key = made.stdout.strip()
    assert key.startswith("oc_w_") and len(key) > 30
    assert "only time" in made.stderr
    listed = run("keys", "list", "--format", "json")
    assert listed.exit_code == 0
    assert key not in listed.stdout and key[:12] in listed.stdout
    assert "https://intranet.example.org" in listed.stdout
    assert run("keys", "revoke", key[:12]).exit_code == 0
    assert '"revoked": true' in run("keys", "list", "--format", "json").stdout
    missing = run("keys", "revoke", "oc_a_nothing")
    assert missing.exit_code == 1 and "No key with prefix" in missing.stderr


def test_keys_create_explains_mistakes(env: Path) -> None:
    r = run("keys", "create", "--team", "hr", "--kind", "widget")
    assert r.exit_code == 2 and "needs at least one allowed origin" in r.stderr
    assert run("keys", "create", "--team", "hr", "--kind", "root").exit_code == 2


def test_serve_requires_keys_off_loopback(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(
        uvicorn, "run", lambda *a, **k: calls.append({"env": os.environ.get("COACH_API__REQUIRE_KEYS"), **k})
    )
    assert run("serve", "--host", "127.0.0.1", "--port", "8123").exit_code == 0
    assert calls[-1]["env"] is None and calls[-1]["host"] == "127.0.0.1"
    r = run("serve", "--host", "0.0.0.0")
    assert r.exit_code == 0
    assert calls[-1]["env"] == "true" and get_settings().api.require_keys is True
    assert "No API keys exist yet" in r.stderr
    monkeypatch.setenv("COACH_API__REQUIRE_KEYS", "false")
    get_settings.cache_clear()
    refused = run("serve", "--host", "0.0.0.0")
    assert refused.exit_code == 2 and "Refusing to bind 0.0.0.0" in refused.stderr
    assert len(calls) == 2


def test_serve_leaves_no_environment_behind() -> None:
    assert "COACH_API__REQUIRE_KEYS" not in os.environ
