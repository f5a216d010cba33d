"""Two teams on one server, over real HTTP (a uvicorn process), on SQLite and on PostgreSQL: each team's
corrections and private knowledge stay with that team.

Team "zebra" has a private knowledge folder (`coach ingest PATH --team zebra`); team "lion" has none. Each test
uses statements of its own, so the tests do not depend on each other's corrections.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from teamkit import EXAMPLES, team_folder

from coach.config import ApiSettings, EmbeddingSettings, LLMSettings, Settings

pytestmark = [pytest.mark.integration]
ORIGIN = "https://intranet.example.org"


@dataclass
class Server:
    base: str
    keys: dict[str, str]  # "zebra", "lion", "zebra-widget", "lion-widget" → key

    def call(self, method: str, path: str, who: str, **kw: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.keys[who]}"}
        if who.endswith("-widget"):
            headers["Origin"] = ORIGIN
        return httpx.request(method, f"{self.base}{path}", headers=headers, timeout=120, **kw)

    def label(self, text: str, who: str) -> str:
        r = self.call("POST", "/v1/classify", who, json={"text": text, "split": False})
        assert r.status_code == 200, r.text
        return str(r.json()["statements"][0]["label"])

    def correct(self, text: str, label: str, who: str) -> int:
        r = self.call("POST", "/v1/corrections", who, json={"text": text, "label": label})
        assert r.status_code == 201, r.text
        return int(r.json()["id"])

    def corrections(self, who: str, **params: Any) -> list[dict[str, Any]]:
        r = self.call("GET", "/v1/corrections", who, params=params)
        assert r.status_code == 200, r.text
        return list(r.json()["corrections"])


def _port() -> int:
    """A free port in 8700-8799 (the range these tests may use)."""
    for port in range(8700 + os.getpid() % 50, 8800):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8700-8799")


def _wait(proc: subprocess.Popen[bytes], base: str, log: Path, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    pytest.fail(f"server not ready after {timeout:.0f}s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from api.container import build

    root = tmp_path_factory.mktemp(f"teams-{request.param}")
    data = root / "data"
    url = request.getfixturevalue("pg_schema_url") if request.param == "postgres" else None
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=data,
        database_url=url,
        chroma_url=None,
        extra_knowledge=[],
        llm=LLMSettings(),
        embedding=EmbeddingSettings(backend="hash"),
        api=ApiSettings(require_keys=True),
    )
    built = build(settings)  # migrates the database before the server starts
    built.service.ingest()
    built.service.ingest(extra=[team_folder(root / "zebra-knowledge")], team="zebra")
    built.service.warm()  # the shared classifier, cached for the server to load
    keys = {team: built.keys.create(team, "api").key for team in ("zebra", "lion")}
    keys |= {f"{t}-widget": built.keys.create(t, "widget", [ORIGIN]).key for t in ("zebra", "lion")}
    built.db.dispose()

    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env.update(
        COACH_DATA_DIR=str(data),
        COACH_EMBEDDING__BACKEND="hash",
        COACH_API__REQUIRE_KEYS="true",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
    )
    if url:
        env["COACH_DATABASE_URL"] = url
    port = _port()
    base = f"http://127.0.0.1:{port}"
    log = root / "server.log"
    with log.open("wb") as fh:
        proc = subprocess.Popen(
            [
                *(sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory"),
                *("--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"),
            ],
            cwd=root,
            env=env,
            stdout=fh,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait(proc, base, log)
        yield Server(base, keys)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def other(label: str) -> str:
    return "outcome" if label == "output" else "output"


def test_a_teams_correction_changes_its_classification_and_not_the_others(server: Server) -> None:
    text = "Refresh the quarterly dashboard for the board"
    before = server.label(text, "lion")
    cid = server.correct(text, other(before), "zebra")
    assert server.label(text, "zebra") == other(before)
    assert server.label(text, "lion") == before
    assert cid in [c["id"] for c in server.corrections("zebra")]
    assert cid not in [c["id"] for c in server.corrections("lion")]
    # The widget's public key can converse, never list or change what the team taught.
    assert server.call("GET", "/v1/corrections", "zebra-widget").status_code == 403
    assert server.call("POST", f"/v1/corrections/{cid}/revert", "zebra-widget").status_code == 403


def test_a_reverted_correction_stops_applying(server: Server) -> None:
    text = "Publish the onboarding guide on the intranet"
    before = server.label(text, "zebra")
    cid = server.correct(text, other(before), "zebra")
    assert server.label(text, "zebra") == other(before)
    assert server.call("POST", f"/v1/corrections/{cid}/revert", "lion").status_code == 404  # not lion's
    r = server.call("POST", f"/v1/corrections/{cid}/revert", "zebra")
    assert r.status_code == 200 and r.json()["status"] == "reverted", r.text
    assert server.label(text, "zebra") == before
    assert [c["status"] for c in server.corrections("zebra", status="reverted") if c["id"] == cid] == ["reverted"]


def test_a_widget_correction_is_its_teams_for_review_and_a_deleted_session_takes_it_away(server: Server) -> None:
    text = "We closed 500 incident records"
    server.correct(text, "output", "zebra")  # pinned, so the conversation's path does not depend on a model
    server.correct(text, "output", "lion")
    r = server.call("POST", "/v1/sessions", "zebra-widget", json={"mode": "coach"})
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    for said in (text, "no, that is an outcome"):
        r = server.call("POST", f"/v1/sessions/{sid}/messages", "zebra-widget", json={"text": said})
        assert r.status_code == 200, r.text
    made = [c for c in server.corrections("zebra") if c["session_id"] == sid]
    assert [(c["label"], c["source"], c["status"]) for c in made] == [("outcome", "widget", "active")]
    assert server.label(text, "zebra") == "outcome"
    assert server.label(text, "lion") == "output"

    assert server.call("DELETE", f"/v1/sessions/{sid}", "zebra-widget").status_code == 204
    assert server.label(text, "zebra") == "output"
    assert not [c for c in server.corrections("zebra") if c["session_id"] == sid]


def test_promotion_is_for_every_team_and_an_explicit_act(server: Server) -> None:
    text = "Translate the safety leaflet into Polish"
    before = server.label(text, "zebra")
    cid = server.correct(text, other(before), "lion")
    assert server.label(text, "zebra") == before
    assert server.call("POST", f"/v1/corrections/{cid}/promote", "zebra").status_code == 404  # not zebra's
    r = server.call("POST", f"/v1/corrections/{cid}/promote", "lion")
    assert r.status_code == 200 and r.json()["status"] == "promoted", r.text
    assert server.label(text, "zebra") == other(before)
    assert server.call("POST", f"/v1/corrections/{cid}/revert", "lion").status_code == 200
    assert server.label(text, "zebra") == before
    assert server.label(text, "lion") == before


def test_a_teams_private_knowledge_is_never_anothers(server: Server) -> None:
    def search(who: str, q: str, kind: str) -> list[dict[str, Any]]:
        r = server.call("GET", "/v1/knowledge/search", who, params={"q": q, "kind": kind, "k": 10})
        assert r.status_code == 200, r.text
        return list(r.json()["results"])

    q = "zebra herds crossing the river, stripes at the watering hole"
    assert "zebra" in search("zebra", q, "measures")[0]["id"]
    assert "zebra" in search("zebra", "stripe-counting release herd behaviour", "guidance")[0]["id"]
    assert "zebra" in str(search("zebra", EXAMPLES[0][0], "examples")[0]["id"])
    for kind in ("measures", "guidance", "examples"):
        assert not any("zebra" in str(p["id"]) for p in search("lion", q, kind)), kind

    outcome = "Zebra herds cross the river safely"
    for who, sees in (("zebra", True), ("lion", False)):
        r = server.call("POST", "/v1/measures", who, json={"outcome": outcome})
        assert r.status_code == 200, r.text
        assert any(m["library_id"].startswith("zebra-") for m in r.json()["measures"]) is sees, who

    # Coaching and its exports: the team's own measures for zebra, never for lion.
    pinned = EXAMPLES[1][0]
    for who, sees in (("zebra", True), ("lion", False)):
        server.correct(pinned, "outcome", who)  # so both take the outcome path whatever the model says
        sid = server.call("POST", "/v1/sessions", who, json={"mode": "coach"}).json()["id"]
        r = server.call("POST", f"/v1/sessions/{sid}/messages", who, json={"text": pinned})
        assert r.status_code == 200, r.text
        ids = [m["library_id"] for m in r.json()["reply"]["measures"]]
        assert ids and any(i.startswith("zebra-") for i in ids) is sees, (who, ids)
        exported = server.call("GET", f"/v1/sessions/{sid}/map", who, params={"format": "md"}).text
        assert ("Zebra stripe checks" in exported or "Zebra herds crossing" in exported) is sees, exported
