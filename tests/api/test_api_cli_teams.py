"""`coach ingest PATH --team T`, `--forget` per team, `coach correct --team`, `coach classify|search --team` and
`coach corrections list|promote|revert` (the HashEmbedder, embedded Chroma, SQLite)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from teamkit import team_folder
from typer.testing import CliRunner

from api import cli
from coach.config import get_settings

TEXT = "Refresh the quarterly dashboard for the board"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for name in list(os.environ):
        if name.startswith("COACH_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COACH_EMBEDDING__BACKEND", "hash")
    monkeypatch.chdir(tmp_path)  # no developer .env
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def run(*args: str, code: int = 0) -> Any:
    got = CliRunner().invoke(cli.app, list(args))
    assert got.exit_code == code, (args, got.output)
    return got


def label(team: str) -> str:
    out = run("classify", TEXT, "--no-split", "--format", "json", "--team", team).stdout
    return str(json.loads(out)["statements"][0]["label"])


def measure_ids(team: str) -> list[str]:
    out = run("search", "zebra herds river crossing stripes", "--kind", "measures", "--team", team, "-f", "json")
    return [h["id"] for h in json.loads(out.stdout)]


def test_team_knowledge_and_the_review_of_corrections_from_the_cli(env: Path) -> None:
    folder = team_folder(env / "zebra-knowledge")
    run("ingest", "--quiet")
    run("ingest", str(folder), "--team", "zebra", "--quiet")
    assert any(i.startswith("team:zebra/") for i in measure_ids("zebra"))
    assert not any("zebra" in i for i in measure_ids("lion"))
    saved = json.loads((env / "data" / "knowledge-sources.json").read_text("utf-8"))
    assert saved == [{"path": str(folder.resolve()), "team": "zebra"}]

    before = label("lion")
    new = "outcome" if before == "output" else "output"
    assert "#1 for team zebra" in run("correct", TEXT, "--label", new, "--team", "zebra").stdout
    assert (label("zebra"), label("lion")) == (new, before)
    listed = json.loads(run("corrections", "list", "--team", "zebra", "--format", "json").stdout)
    assert [(c["id"], c["team"], c["status"], c["source"]) for c in listed] == [(1, "zebra", "active", "cli")]
    assert json.loads(run("corrections", "list", "--team", "lion", "--format", "json").stdout) == []

    assert "for every team" in run("corrections", "promote", "1").stdout
    assert label("lion") == new
    assert "No correction #1" in run("corrections", "revert", "1", "--team", "lion", code=1).stderr
    run("corrections", "revert", "1", "--team", "zebra")
    assert (label("zebra"), label("lion")) == (before, before)
    assert "reverted" in run("corrections", "list").stdout

    # --forget works per team: not another team's folder; the team's own goes, with its chunks.
    assert (
        "not a knowledge folder of team 'lion'"
        in run("ingest", "--forget", str(folder), "--team", "lion", code=2).stderr
    )
    run("ingest", "--forget", str(folder), "--team", "zebra", "--quiet")
    assert not any("zebra" in i for i in measure_ids("zebra"))
