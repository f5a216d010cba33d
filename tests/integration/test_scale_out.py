"""The production layout of deploy/README.md, on one machine: two `coach serve` processes on different ports
(two hosts: each its own data folder) sharing one PostgreSQL, one `chroma run` server and Redis. Migrations
and the ingest run once, with the CLI, before the servers start; a client then alternates between the two
servers, and every turn must be in the transcript exactly once and in order.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from coach.config import REPO_ROOT

pytestmark = [pytest.mark.integration, pytest.mark.postgres]

REDIS_URL = os.environ.get("COACH_TEST_REDIS_URL_SCALE", "redis://127.0.0.1:6379/6")


def free_port(start: int, stop: int) -> int:
    """A free port in [start, stop) (this project's tests bind only 8600–8699)."""
    for port in range(start, stop):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip(f"no free port in {start}-{stop}")


def wait_http(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 240.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"{url}: exited {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    pytest.fail(f"{url} not ready after {timeout:.0f}s:\n{log.read_text()[-3000:]}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def redis_prefix() -> Iterator[str]:
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except Exception as exc:
        pytest.skip(f"Redis unreachable at {REDIS_URL}: {type(exc).__name__}")
    prefix = f"coachtest:{uuid.uuid4().hex[:10]}:"
    yield prefix
    for key in client.scan_iter(match=prefix + "*", count=500):
        client.delete(key)


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    exe = Path(sys.executable).with_name("chroma")
    if not exe.exists():
        pytest.skip("the chroma CLI (chromadb) is not installed next to this Python")
    root = tmp_path_factory.mktemp("chroma-server")
    port = free_port(8600, 8650)
    log = root / "chroma.log"
    with log.open("wb") as fh:
        proc = subprocess.Popen(
            [str(exe), "run", "--path", str(root / "db"), "--host", "127.0.0.1", "--port", str(port)],
            stdout=fh,
            stderr=subprocess.STDOUT,
            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        )
    try:
        wait_http(f"http://127.0.0.1:{port}/api/v2/heartbeat", proc, log, timeout=60)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def servers(
    pg_schema_url: str, chroma_url: str, redis_prefix: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[list[str], str]]:
    root = tmp_path_factory.mktemp("scale-out")
    base = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    base.update(
        COACH_DATABASE_URL=pg_schema_url,
        COACH_CHROMA_URL=chroma_url,
        COACH_REDIS_URL=REDIS_URL,
        COACH_REDIS_PREFIX=redis_prefix,
        COACH_EMBEDDING__BACKEND="hash",
        COACH_API__RATE_LIMIT_PER_MINUTE="600",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
        PYTHONPATH=str(REPO_ROOT),
    )
    admin = {**base, "COACH_DATA_DIR": str(root / "admin")}
    for step in (["migrate"], ["ingest", "--quiet"]):  # once, from one place, before any server starts
        done = subprocess.run([sys.executable, "-m", "api.cli", *step], env=admin, cwd=root, capture_output=True)
        assert done.returncode == 0, done.stderr.decode()[-3000:]
    procs: list[subprocess.Popen[bytes]] = []
    urls: list[str] = []
    try:
        for host in ("host-a", "host-b"):  # each "host" has a data folder of its own (its model cache)
            port = free_port(8650, 8700)
            log = root / f"{host}.log"
            env = {**base, "COACH_DATA_DIR": str(root / host)}
            cmd = [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", "1"]
            with log.open("wb") as fh:
                procs.append(subprocess.Popen(cmd, env=env, cwd=root, stdout=fh, stderr=subprocess.STDOUT))
            url = f"http://127.0.0.1:{port}"
            wait_http(f"{url}/readyz", procs[-1], log)
            urls.append(url)
        yield urls, redis_prefix
    finally:
        for p in procs:
            stop(p)
        shutil.rmtree(root / "admin", ignore_errors=True)


def send(base: str, sid: str, text: str, key: str) -> dict[str, Any]:
    r = httpx.post(
        f"{base}/v1/sessions/{sid}/messages", json={"text": text}, headers={"Idempotency-Key": key}, timeout=60
    )
    assert r.status_code == 200, f"{base}: {r.status_code} {r.text}"
    return r.json()  # type: ignore[no-any-return]


def test_a_client_alternating_between_two_servers_loses_and_duplicates_nothing(
    servers: tuple[list[str], str],
) -> None:
    urls, prefix = servers
    a, b = urls
    for url in urls:  # both read the one index in the Chroma server, ingested once
        ready = httpx.get(f"{url}/readyz", timeout=10).json()
        assert ready["ready"] is True and all(n > 0 for n in ready["index"].values()), ready

    sessions = [httpx.post(f"{urls[i % 2]}/v1/sessions", json={}, timeout=30).json()["id"] for i in range(3)]
    texts = [
        "We ran 14 workshops for team leads this quarter",
        "Team leads give clearer feedback, so fewer new hires quit in their first year",
        "unknown",
        "We also published the new expenses policy",
        "Expense claims are approved within two days",
        "summary",
    ]
    for i, text in enumerate(texts):
        for j, sid in enumerate(sessions):
            turn = send(urls[(i + j) % 2], sid, text, f"{sid}-{i}")
            assert turn["replayed"] is False
    for j, sid in enumerate(sessions):  # a retry landing on the other server is answered from the record
        assert send(urls[(len(texts) + j) % 2], sid, texts[-1], f"{sid}-{len(texts) - 1}")["replayed"] is True

    racing = {"left": "We trained 40 volunteers", "right": "Volunteers stay for a second season"}
    results: dict[str, Any] = {}

    def fire(side: str, url: str) -> None:
        results[side] = send(url, sessions[0], racing[side], f"race-{side}")

    threads = [threading.Thread(target=fire, args=("left", a)), threading.Thread(target=fire, args=("right", b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    assert set(results) == {"left", "right"}

    for j, sid in enumerate(sessions):
        extra = 2 if j == 0 else 0
        seen = [httpx.get(f"{url}/v1/sessions/{sid}", timeout=30).json()["messages"] for url in urls]
        assert seen[0] == seen[1]  # both servers read the same transcript
        roles = [m["role"] for m in seen[0]]
        assert roles == ["coach"] + ["user", "coach"] * (len(texts) + extra), roles
        users = [m["text"] for m in seen[0] if m["role"] == "user"]
        assert users[: len(texts)] == texts  # every alternating turn once, in order
        if extra:
            assert sorted(users[len(texts) :]) == sorted(racing.values())  # each racing turn exactly once

    import redis

    client = redis.Redis.from_url(REDIS_URL)
    assert list(client.scan_iter(match=prefix + "rl:*")), "the servers' rate limit is not kept in Redis"
