"""The CLI without the model: `coach workshop …`, short session ids, the data-folder message, and commands that
never import the model stack."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api import cli
from coach.domain import Chain

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def run(api_container: Any) -> Any:
    def invoke(*args: str, input: str | None = None) -> Any:
        return CliRunner().invoke(
            cli.app, list(args), input=input, obj=cli.CliState(api_container.settings, api_container)
        )

    return invoke


def test_workshop_create_list_export_and_run(run: Any, api_service: Any, team: str) -> None:
    made = run("workshop", "create", "--title", "March clinic", "--team", team, "--server", "http://coach.test:8000")
    assert made.exit_code == 0, made.output
    code = made.stdout.strip()
    assert len(code) == 6
    assert f"http://coach.test:8000/trainer/{code}" in made.stderr
    assert f"http://coach.test:8000/?coach-join={code}" in made.stderr
    sid = api_service.start_session(mode="workshop", workshop=code, participant="Ada").id
    with api_service.sessions.transaction() as tx:
        tx.save_chains(
            sid, [Chain(id="a1", origin="We ran 14 workshops", origin_label="output", outcome="New hires stay")]
        )
    listed = json.loads(run("workshop", "list", "--team", team, "--format", "json").stdout)
    assert [(w["code"], w["title"], w["status"], w["participants"]) for w in listed] == [
        (code, "March clinic", "live", 1)
    ]
    md = run("workshop", "export", code.lower(), "--format", "md")
    assert md.exit_code == 0 and "# Outcome map — March clinic" in md.stdout and "**Participant:** Ada" in md.stdout
    assert run("workshop", "close", code).exit_code == 0
    assert json.loads(run("workshop", "list", "--team", team, "--format", "json").stdout)[0]["status"] == "closed"
    refused = run("workshop", "reset", code)
    assert refused.exit_code == 2 and "--yes" in refused.stderr
    done = run("workshop", "reset", code, "--yes")
    assert done.exit_code == 0 and "1 participant session(s) deleted" in done.stdout
    missing = run("workshop", "export", "NOPE42")
    assert missing.exit_code != 0 and "No workshop with code 'NOPE42'" in missing.stderr


def test_sessions_are_named_by_a_short_prefix(run: Any, api_service: Any, team: str) -> None:
    sid = api_service.start_session(team=team).id
    api_service.handle_message(sid, "We ran 14 workshops for team leads", team)
    short = run("export", sid[:8], "--format", "json", "--team", team)
    assert short.exit_code == 0, short.output
    assert json.loads(short.stdout)["chains"][0]["origin"] == "We ran 14 workshops for team leads"
    chat = run("chat", "--session", sid[:6], "--team", team, input="/quit\n")
    assert chat.exit_code == 0 and f"Resuming session {sid}" in chat.stdout
    too_short = run("export", sid[:3], "--team", team)
    assert too_short.exit_code == 2 and "at least 4 characters" in too_short.stderr
    nothing = run("export", "zzzzzz", "--team", team)
    assert nothing.exit_code != 0 and "No session with id 'zzzzzz'" in nothing.stderr


def test_an_ambiguous_prefix_lists_the_candidates(run: Any, api_container: Any, team: str) -> None:
    from coach.adapters.sql import SessionRow

    twins = ["5eed" + "a" * 28, "5eed" + "b" * 28]
    with api_container.db.tx() as s:
        for sid in twins:
            s.add(SessionRow(id=sid, team=team, mode="coach", participant="", state={}))
    r = run("export", "5eed", "--team", team)
    assert r.exit_code == 2 and "'5eed' matches 2 sessions" in r.stderr and "Type more of the id" in r.stderr
    assert run("export", "5eeda", "--team", team, "--format", "json").exit_code == 0


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env.update(PYTHONPATH=str(ROOT), **extra)
    return env


def test_outside_the_project_folder_it_says_where_the_data_folder_is_expected(tmp_path: Path) -> None:
    for args in (["sessions"], ["keys", "list"], ["workshop", "list"], ["classify", "We ran 14 workshops"]):
        r = subprocess.run(
            [sys.executable, "-m", "api.cli", *args],
            cwd=tmp_path,
            env=_clean_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        said = " ".join(r.stderr.split())  # the terminal wraps long lines
        assert f"No data folder at {tmp_path / '.coach-data'}" in said
        assert "set COACH_DATA_DIR=" in said and "coach ingest" in said and "Traceback" not in said
        assert not (tmp_path / ".coach-data").exists()  # nothing created silently


def test_commands_that_need_no_model_never_import_it(api_container: Any) -> None:
    """The model stack (torch, sentence-transformers, scikit-learn, Chroma, even numpy) costs seconds to import;
    --help and the record commands must not pay for it. (Timings: bench/bench_cli.py.)"""
    probe = (
        "import sys\n"
        "from api.cli import app\n"
        "try:\n"
        "    app(sys.argv[1:], prog_name='coach')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('torch', 'sentence_transformers', 'sklearn', 'chromadb', 'numpy', 'alembic', 'fastapi')\n"
        "print('LOADED', sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    env = _clean_env(COACH_DATA_DIR=str(api_container.settings.data_dir), COACH_EMBEDDING__BACKEND="hash")
    for args in (["--help"], ["sessions"], ["export", "--help"], ["keys", "list"], ["workshop", "list"]):
        r = subprocess.run(
            [sys.executable, "-c", probe, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        loaded = r.stderr.rsplit("LOADED", 1)[-1].strip()
        assert loaded == "[]", (args, r.stderr[-2000:])
