"""Two real uvicorn processes on one PostgreSQL database serve one conversation, turn by turn, alternately.

Every turn must be in the transcript exactly once and in order, whichever process handled it, including a
retried message (same Idempotency-Key, sent to the other process) and two messages sent to both at once.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from coach.config import EmbeddingSettings, LLMSettings, Settings

pytestmark = [pytest.mark.integration, pytest.mark.postgres]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(proc: subprocess.Popen[bytes], base: str, log: Path, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server {base} exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    pytest.fail(f"server {base} not ready after {timeout:.0f}s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def two_servers(pg_schema_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    from api.container import build

    root = tmp_path_factory.mktemp("two-workers")
    data = root / "data"
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=data,
        database_url=pg_schema_url,
        chroma_url=None,
        extra_knowledge=[],
        llm=LLMSettings(),
        embedding=EmbeddingSettings(backend="hash"),
    )
    built = build(settings)  # migrates the database, once, before the workers start
    built.service.ingest()  # the shared, pre-ingested data dir
    built.service.warm()  # trains and saves the classifier, which the workers then load
    built.db.dispose()

    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env.update(
        COACH_DATA_DIR=str(data),
        COACH_DATABASE_URL=pg_schema_url,
        COACH_EMBEDDING__BACKEND="hash",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
    )
    procs: list[subprocess.Popen[bytes]] = []
    bases: list[str] = []
    logs: list[Path] = []
    try:
        for n in range(2):
            port = free_port()
            log = root / f"server{n}.log"
            with log.open("wb") as fh:
                procs.append(
                    subprocess.Popen(
                        [
                            sys.executable,
                            "-m",
                            "uvicorn",
                            "api.app:create_app",
                            "--factory",
                            "--host",
                            "127.0.0.1",
                            "--port",
                            str(port),
                            "--log-level",
                            "warning",
                        ],
                        cwd=root,
                        env=env,
                        stdout=fh,
                        stderr=subprocess.STDOUT,
                    )
                )
            bases.append(f"http://127.0.0.1:{port}")
            logs.append(log)
        for proc, base, log in zip(procs, bases, logs, strict=True):
            wait_ready(proc, base, log)
        yield bases
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def send(base: str, sid: str, text: str, key: str) -> dict[str, Any]:
    r = httpx.post(
        f"{base}/v1/sessions/{sid}/messages", json={"text": text}, headers={"Idempotency-Key": key}, timeout=60
    )
    assert r.status_code == 200, f"{base}: {r.status_code} {r.text}"
    return r.json()  # type: ignore[no-any-return]


def test_one_conversation_alternating_between_two_processes(two_servers: list[str]) -> None:
    a, b = two_servers
    sid = httpx.post(f"{a}/v1/sessions", json={}, timeout=30).json()["id"]
    texts = [
        "We ran 14 workshops for team leads this quarter",
        "Team leads give clearer feedback, so fewer new hires quit in their first year",
        "unknown",
        "We also published the new expenses policy",
        "Expense claims are approved within two days",
        "summary",
    ]
    for i, text in enumerate(texts):
        turn = send(two_servers[i % 2], sid, text, f"turn-{i}")
        assert turn["replayed"] is False
    # a client retry of the last turn that lands on the other process is answered from the record, not redone
    retry = send(two_servers[len(texts) % 2], sid, texts[-1], f"turn-{len(texts) - 1}")
    assert retry["replayed"] is True

    # two messages at once, one to each process: both land, one after the other
    racing = {"left": "We trained 40 volunteers", "right": "Volunteers stay for a second season"}
    results: dict[str, Any] = {}

    def fire(side: str, base: str) -> None:
        results[side] = send(base, sid, racing[side], f"race-{side}")

    threads = [threading.Thread(target=fire, args=("left", a)), threading.Thread(target=fire, args=("right", b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert set(results) == {"left", "right"}

    for base in two_servers:  # both processes read the same transcript
        messages = httpx.get(f"{base}/v1/sessions/{sid}", timeout=30).json()["messages"]
        roles = [m["role"] for m in messages]
        assert roles == ["coach"] + ["user", "coach"] * (len(texts) + 2), roles
        users = [m["text"] for m in messages if m["role"] == "user"]
        assert users[: len(texts)] == texts  # every alternating turn once, in order
        assert sorted(users[len(texts) :]) == sorted(racing.values())  # each racing turn exactly once
