"""The typed Python client in clients/python: in step with the API (regenerated from the live app's OpenAPI
document and diffed), installable, and working against the app (threads, render, idempotency, problems)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from apikit import new_key
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
CLIENT_DIR = ROOT / "clients" / "python"


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("client_generator", CLIENT_DIR / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    return load_generator()


@pytest.fixture(scope="module")
def live_spec(gen: ModuleType) -> str:
    return str(gen.spec_text())


def test_the_committed_client_matches_the_live_api(gen: ModuleType, live_spec: str, tmp_path: Path) -> None:
    fresh = gen.generate(live_spec, tmp_path)
    diff = gen.differences(fresh, live_spec)
    assert not diff, "clients/python is out of date with the API: run `make client` and commit the result.\n" + "".join(
        diff[:80]
    )


def test_the_check_fails_when_the_api_changes(gen: ModuleType, live_spec: str, tmp_path: Path) -> None:
    changed = json.loads(live_spec)
    changed["components"]["schemas"]["Problem"]["properties"]["retry_hint"] = {"type": "string"}
    changed_text = json.dumps(changed, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    diff = "".join(gen.differences(gen.generate(changed_text, tmp_path), changed_text))
    assert "retry_hint" in diff and "models/problem.py" in diff and "openapi.json" in diff


def test_operation_ids_name_the_client_functions(live_spec: str) -> None:
    spec = json.loads(live_spec)
    ids = [op["operationId"] for ops in spec["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))
    for module in ("threads/put_thread", "threads/get_thread", "sessions/post_message", "classify/classify"):
        assert (CLIENT_DIR / "outcome_coach_client" / "api" / f"{module}.py").exists(), module


def test_the_client_installs_as_a_package(tmp_path: Path) -> None:
    target = tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--no-index"]
    done = subprocess.run([*pip, "--target", str(target), str(CLIENT_DIR)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (target / "outcome_coach_client" / "py.typed").exists()
    probe = "import outcome_coach_client, sys; print(outcome_coach_client.__file__)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env={"PYTHONPATH": str(target)})
    assert out.returncode == 0 and out.stdout.startswith(str(target)), out.stderr


@pytest.fixture
def coach_client(make_client: Any) -> Any:
    """The generated client over the app (a TestClient is an httpx.Client), with a fresh team's api key."""
    sys.path.insert(0, str(CLIENT_DIR))
    from outcome_coach_client import AuthenticatedClient

    http = make_client(require_keys=True)
    key = new_key(http, f"team-{uuid.uuid4().hex[:8]}")
    client = AuthenticatedClient(base_url="http://testserver", token=key)
    http.headers["Authorization"] = f"Bearer {key}"
    client.set_httpx_client(http)
    return client


def test_a_bot_turn_through_the_client(coach_client: Any) -> None:
    from outcome_coach_client.api.classify import classify
    from outcome_coach_client.api.sessions import post_message
    from outcome_coach_client.api.threads import put_thread
    from outcome_coach_client.models import ClassifyRequest, MessageIn, Problem, ThreadOut, TurnOut

    opened = put_thread.sync_detailed("slack:T9:C9:1.000100", client=coach_client)
    assert opened.status_code == 201 and isinstance(opened.parsed, ThreadOut) and opened.parsed.created
    sid = opened.parsed.session_id
    again = put_thread.sync("slack:T9:C9:1.000100", client=coach_client)
    assert isinstance(again, ThreadOut) and again.session_id == sid and not again.created

    body = MessageIn(text="We ran 14 workshops for team leads this quarter")
    turn = post_message.sync(sid, client=coach_client, body=body, render="slack", idempotency_key="slack:C9:1.1")
    assert isinstance(turn, TurnOut) and turn.replayed is False
    blocks = [b.to_dict() for b in turn.reply.blocks]
    assert blocks[-1]["type"] == "actions" and turn.reply.question
    retry = post_message.sync(sid, client=coach_client, body=body, render="slack", idempotency_key="slack:C9:1.1")
    assert isinstance(retry, TurnOut) and retry.replayed is True

    md = post_message.sync(sid, client=coach_client, body=MessageIn(text="Not quite"), render="markdown")
    assert isinstance(md, TurnOut) and isinstance(md.reply.mrkdwn, str) and md.reply.mrkdwn

    found = classify.sync(client=coach_client, body=ClassifyRequest(text="Customers renew more often"), render="slack")
    assert found is not None and not isinstance(found, Problem) and found.statements[0].label == "outcome"

    bad = put_thread.sync_detailed("has space", client=coach_client)
    assert bad.status_code == 422 and isinstance(bad.parsed, Problem)
    assert "not allowed" in bad.parsed.detail and bad.parsed.user_message
    long = post_message.sync_detailed(sid, client=coach_client, body=MessageIn(text="word " * 2001))
    assert isinstance(long.parsed, Problem) and long.parsed.user_message.startswith("The message is too long")


def test_problems_are_typed(make_client: Any) -> None:
    sys.path.insert(0, str(CLIENT_DIR))
    from outcome_coach_client import AuthenticatedClient
    from outcome_coach_client.api.threads import put_thread
    from outcome_coach_client.models import Problem

    http: TestClient = make_client(require_keys=True)
    client = AuthenticatedClient(base_url="http://testserver", token="oc_a_not-a-key")
    http.headers["Authorization"] = "Bearer oc_a_not-a-key"
    client.set_httpx_client(http)
    r = put_thread.sync_detailed("slack:T1:C1:1.0", client=client)
    assert r.status_code == 401 and isinstance(r.parsed, Problem) and "access key" in r.parsed.user_message
