"""`coach serve --workers 2` starts from an empty model cache without a race, and a start-up failure ends the
whole server with exit code 3 and one clear line (a supervisor must not take it for a clean stop)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from coach.config import REPO_ROOT

pytestmark = pytest.mark.integration


def port_in_our_range() -> int:
    """A free port among 8600–8699 (the range this project's tests may bind)."""
    for port in range(8650, 8700):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip("no free port in 8650-8699")


def serve_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env.update(
        COACH_DATA_DIR=str(data_dir),
        COACH_EMBEDDING__BACKEND="hash",
        COACH_LOG_LEVEL="INFO",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
        PYTHONPATH=str(REPO_ROOT),
    )
    return env


def serve(data_dir: Path, port: int, log: Path, workers: int = 2) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", str(workers)]
    with log.open("wb") as fh:
        return subprocess.Popen(cmd, cwd=data_dir.parent, env=serve_env(data_dir), stdout=fh, stderr=subprocess.STDOUT)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory, hash_container_factory: object) -> Path:
    data = tmp_path_factory.mktemp("serve") / "data"
    c = hash_container_factory(data)  # type: ignore[operator]
    c.close()
    return data


def test_two_workers_start_from_an_empty_model_cache_and_train_once(ingested: Path, tmp_path: Path) -> None:
    shutil.rmtree(ingested / "models")  # no cached classifier or reply-act model: both workers need them
    port, log = port_in_our_range(), tmp_path / "serve.log"
    proc = serve(ingested, port, log)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            assert proc.poll() is None, f"exited {proc.returncode}:\n{log.read_text()[-3000:]}"
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2)
                if r.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        else:
            pytest.fail(f"not ready:\n{log.read_text()[-3000:]}")
        text = log.read_text()
        deadline = time.monotonic() + 120
        while text.count("Application startup complete") < 2 and time.monotonic() < deadline:
            time.sleep(0.3)
            text = log.read_text()
        assert text.count("Application startup complete") == 2, text[-3000:]
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            for _ in range(6):  # both workers answer (new connections spread over them)
                sid = client.post("/v1/sessions", json={}, headers={"Connection": "close"}).json()["id"]
                turn = client.post(f"/v1/sessions/{sid}/messages", json={"text": "We ran 14 workshops"})
                assert turn.status_code == 200, turn.text
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=60)
    text = log.read_text()
    assert code == 0, text[-3000:]
    # trained once, under the lock; the other worker waited and loaded the artefact
    assert text.count("classifier trained on") == 1, text
    assert text.count("reply-act model trained on") == 1, text
    names = sorted(p.name for p in (ingested / "models").iterdir() if not p.name.endswith(".lock"))
    assert [n.split("-")[0] for n in names] == ["acts", "classifier"], names  # no temporary file left
    assert "Traceback" not in text


def test_a_start_up_failure_exits_3_with_one_clear_line(tmp_path: Path) -> None:
    data = tmp_path / "empty"
    data.mkdir()  # a data folder with no knowledge index: every worker fails to start
    log = tmp_path / "serve.log"
    proc = serve(data, port_in_our_range(), log)
    code = proc.wait(timeout=180)
    text = log.read_text()
    assert code == 3, text[-3000:]
    assert "Traceback" not in text
    last = text.strip().splitlines()[-1]
    assert last.startswith("Error: the server did not start:") and "coach ingest" in last, last


def test_one_worker_start_up_failure_also_exits_3(tmp_path: Path) -> None:
    data = tmp_path / "empty"
    data.mkdir()
    log = tmp_path / "serve.log"
    code = serve(data, port_in_our_range(), log, workers=1).wait(timeout=180)
    text = log.read_text()
    assert code == 3, text[-3000:]
    assert "Traceback" not in text
    assert "start-up failed: No labelled examples are indexed" in text
