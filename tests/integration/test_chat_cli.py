"""`coach chat`, `coach sessions`, `coach export` and `coach measures` as a person runs them.

The chat runs as a real process, fed through standard input; the other commands run in-process through
Typer's runner. HashEmbedder; the scripted statements are pinned with corrections so their labels do not
depend on a model."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.container import build as build_container
from coach.config import EmbeddingSettings, LLMSettings, Settings
from coach.domain import OutcomeMap
from coach.outcome_map import CSV_COLUMNS

pytestmark = pytest.mark.integration

OUTPUT = "We closed 500 incident records"
SECOND = "we trained 40 agents"
OUTCOME = "Users get back to work faster"
SESSION_ID = re.compile(r"New session ([0-9a-f]{32})")


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, hash_container_factory: Any) -> Path:
    """A working folder whose data dir is indexed and has the scripted statements pinned."""
    cwd = tmp_path_factory.mktemp("chat-cli")
    built = hash_container_factory(cwd / "data")
    for text, label in ((OUTPUT, "output"), (SECOND, "output"), (OUTCOME, "outcome")):
        built.service.correct(text, label, source="test")
    built.db.dispose()
    return cwd


def coach(home: Path, *args: str, stdin: str = "") -> Run:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env.update(
        COACH_DATA_DIR=str(home / "data"),
        COACH_EMBEDDING__BACKEND="hash",
        COLUMNS="200",
        NO_COLOR="1",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
    )
    p = subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=home,
        env=env,
        timeout=300,
    )
    return Run(p.returncode, p.stdout, p.stderr)


@pytest.fixture(scope="module")
def chatted(home: Path) -> tuple[str, Run]:
    """One scripted chat: two statements, a why-question, an outcome, an unknown baseline and target, then /quit."""
    script = (
        "\n".join(
            [
                f"{OUTPUT} and {SECOND}",
                "why is this an output?",
                OUTCOME,
                "",
                "unknown",
                "not sure",
                "/quit",
                "this line is never read",
            ]
        )
        + "\n"
    )
    run = coach(home, "chat", stdin=script)
    m = SESSION_ID.search(run.out)
    assert m, run.out + run.err
    return m.group(1), run


def test_chat_runs_a_conversation_from_stdin(chatted: tuple[str, Run]) -> None:
    sid, run = chatted
    assert run.code == 0, run.err
    out = run.out
    assert "coach> Hi" in out or "coach> Hello" in out  # the greeting
    assert re.search(r"OUTPUT\s+\d+%\s+We closed 500 incident records", out)
    assert re.search(rf"OUTPUT\s+\d+%\s+{SECOND}", out)  # one chip per statement
    assert f"Queued: {SECOND}" in out  # says what waits its turn
    assert re.search(r"^\? .+\?$", out, re.M)  # the ladder question
    assert re.search(r"“We closed 500 incident records” (?:as an|is an) output", out)  # why, with no percentage
    assert re.search(rf"OUTCOME\s+\d+%\s+{OUTCOME}", out)
    assert re.search(r"┃ Measure\s+┃ Kind", out)  # measure cards as a table …
    assert "leading" in out and "lagging" in out and "Balancing measure" in out
    assert re.search(r"\? .*(?:today|stand)", out)  # … then the baseline question
    assert re.search(r"Baseline unknown|No baseline yet", out)
    assert re.search(rf"(?:Next: |Moving on to |Now, )“{SECOND}”", out)
    assert "Sources:" in out  # citations
    assert f"Session saved. Resume with: coach chat --session {sid}" in out
    assert "never read" not in out
    assert out.count("you> ") == 7  # six lines read before /quit, and the prompt for /quit itself


def test_chat_resumes_with_the_transcript_so_far(home: Path, chatted: tuple[str, Run]) -> None:
    sid, _ = chatted
    run = coach(home, "chat", "--session", sid, stdin="summary\n")  # ends on EOF, no /quit
    assert run.code == 0, run.err
    assert re.search(rf"Resuming session {sid} \(ask_result, \d+ messages so far\)", run.out)
    assert f"you> {OUTPUT} and {SECOND}" in run.out and f"you> {OUTCOME}" in run.out  # the transcript
    assert run.out.index(f"you> {OUTPUT}") < run.out.index(f"you> {OUTCOME}") < run.out.index("Outcome map")
    assert "#" not in run.out.split("Outcome map", 1)[1]  # the map as a table, never raw Markdown
    assert "Users get back to work faster" in run.out and SECOND in run.out.split("Outcome map", 1)[1]
    assert "unknown" in run.out.split("Outcome map", 1)[1]
    assert f"Resume with: coach chat --session {sid}" in run.out


def test_chat_prints_service_errors_and_carries_on(home: Path) -> None:
    run = coach(home, "chat", stdin="/help\n" + "x" * 12_000 + "\n" + OUTPUT + "\n")
    assert run.code == 0, run.err
    assert "Error: The message is too long (12,000 characters; the limit is 10,000)." in run.err
    assert "Send a shorter message" in run.err
    assert "'summary', 'skip', 'start over'" in run.out  # /help
    assert re.search(r"^\? .+\?$", run.out, re.M)  # the chat went on after the error


def test_chat_with_an_unknown_session_fails_clearly(home: Path) -> None:
    run = coach(home, "chat", "--session", "no-such-session")
    assert run.code == 2
    assert "Error: No session with id 'no-such-session'." in run.err
    assert "coach sessions" in run.err


# ----- the other commands, in-process (same code path, without a process start per call) ------------


@pytest.fixture(scope="module")
def cli(home: Path) -> Iterator[Callable[..., Run]]:
    """Runs `coach …` in-process with Typer's runner, on a service over the same data dir."""
    import api.cli as cli_module

    container = build_container(
        Settings(  # type: ignore[call-arg]
            _env_file=None,
            data_dir=home / "data",
            database_url=None,
            chroma_url=None,
            extra_knowledge=[],
            llm=LLMSettings(),
            embedding=EmbeddingSettings(backend="hash"),
        )
    )
    runner = CliRunner()

    def run(*args: str) -> Run:
        r = runner.invoke(cli_module.app, list(args), obj=cli_module.CliState(container.settings, container))
        return Run(r.exit_code, r.stdout, r.stderr)

    yield run
    container.db.dispose()


def test_sessions_lists_the_chat(cli: Callable[..., Run], chatted: tuple[str, Run]) -> None:
    sid, _ = chatted
    run = cli("sessions")
    assert run.code == 0, run.err
    row = next(line for line in run.out.splitlines() if sid in line)
    cells = re.split(r"\s{2,}", row.strip())  # the runner's console is 80 columns wide: nothing cut
    assert cells[:4] == [sid, "coach", "laddering", "2"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", cells[4])
    for header in ("id", "mode", "phase", "chains", "updated"):
        assert header in run.out
    other = cli("sessions", "--team", "someone-else")
    assert other.code == 0 and "No sessions yet" in other.out and sid not in other.out
    everyone = cli("sessions", "--all")
    assert everyone.code == 0 and sid in everyone.out


def test_export_in_every_format(cli: Callable[..., Run], chatted: tuple[str, Run], tmp_path: Path) -> None:
    sid, _ = chatted
    as_json = cli("export", sid, "--format", "json")
    assert as_json.code == 0, as_json.err
    omap = OutcomeMap.model_validate(json.loads(as_json.out))
    assert [c.origin for c in omap.chains] == [OUTPUT, SECOND]
    assert omap.chains[0].outcome == OUTCOME and 2 <= len(omap.chains[0].measures) <= 3

    md = cli("export", sid, "-f", "md")
    assert md.code == 0 and "- **Outcome:** Users get back to work faster" in md.out

    rows = list(csv.reader(io.StringIO(cli("export", sid, "-f", "csv").out)))
    assert rows[0] == CSV_COLUMNS and len(rows) == 1 + len(omap.chains[0].measures) + 1  # measures, open chain

    target = tmp_path / "out" / "map.svg"
    svg = cli("export", sid, "--format", "svg", "-o", str(target))
    assert svg.code == 0, svg.err
    assert svg.out == "" and str(target) in "".join(svg.err.split())
    root = ET.parse(target).getroot()
    assert root.tag.endswith("svg") and len(root.findall("{http://www.w3.org/2000/svg}rect")) == 1 + len(omap.nodes)

    bad = cli("export", "no-such-session", "-f", "md")
    assert bad.code == 2 and "No session with id" in bad.err
    wrong = cli("export", sid, "-f", "pdf")
    assert wrong.code != 0 and "pdf" in wrong.err


def test_measures_command(cli: Callable[..., Run]) -> None:
    run = cli("measures", "Payroll staff finish the monthly run without workarounds", "--format", "json")
    assert run.code == 0, run.err
    found = json.loads(run.out)
    assert 2 <= len(found) <= 3 and {m["kind"] for m in found} == {"leading", "lagging"}
    for m in found:
        assert m["definition"] and m["data_sources"] and m["balancing_measure"] and m["baseline_prompt"]

    text = cli("measures", "Fewer customers cancel their subscription", "--k", "2")
    assert text.code == 0, text.err
    assert "Measures for: Fewer customers cancel their subscription" in " ".join(text.out.split())
    assert text.out.count("baseline: ") == 2 and text.out.count("target: ") == 2

    bad = cli("measures", "Customers stay", "--k", "0")
    assert bad.code == 2 and "k must be between 1 and 10" in bad.err
