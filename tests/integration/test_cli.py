"""The real `coach` CLI over the session's real model and index (in-process), plus the console script itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import api.cli as cli
from coach.config import DEFAULT_KNOWLEDGE
from coach.knowledge import read_jsonl_labelled

pytestmark = pytest.mark.integration

DOCUMENTED_KEYS = {"text", "label", "confidence", "rationale", "evidence", "needs_clarification"}


@pytest.fixture
def run(real_container: Any, real_settings: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Invoke the CLI in-process against the session's container (passed in through Typer's context)."""
    monkeypatch.setenv("COACH_DATA_DIR", str(real_settings.data_dir))
    runner = CliRunner()

    def invoke(*args: str, input: bytes | str | None = None) -> Any:
        result = runner.invoke(cli.app, list(args), input=input, obj=cli.CliState(real_settings, real_container))
        assert "Traceback" not in result.output, result.output
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return invoke


def _flat(s: str) -> str:
    return " ".join(s.split())


# ----- classify --------------------------------------------------------------------------------------------


def test_classify_json(run: Any) -> None:
    text = "We ran 14 workshops and trained 200 managers; attendance was great"
    result = run("classify", text, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    statements = doc["statements"]
    assert [s["text"] for s in statements] == ["We ran 14 workshops", "trained 200 managers", "attendance was great"]
    for s in statements:
        assert set(s) >= DOCUMENTED_KEYS
        assert s["label"] in ("output", "outcome")
        assert 0.0 <= s["confidence"] <= 1.0
        assert isinstance(s["needs_clarification"], bool)
        assert s["rationale"]
        assert text[s["start"] : s["end"]] == s["text"]
        kinds = [e["kind"] for e in s["evidence"]]
        assert "example" in kinds and "guidance" in kinds
        guidance = next(e for e in s["evidence"] if e["kind"] == "guidance")
        assert guidance["citation"]["title"] and guidance["citation"]["sources"]
    assert statements[0]["label"] == "output"


def test_classify_text_is_readable(run: Any) -> None:
    result = run("classify", "Customers trust us with their data")
    assert result.exit_code == 0
    out = _flat(result.stdout)
    assert "OUTCOME" in out
    assert "why:" in out and "guidance:" in out


def test_classify_no_split(run: Any) -> None:
    text = "We ran 14 workshops and trained 200 managers"
    split = json.loads(run("classify", text, "--format", "json").stdout)["statements"]
    whole = json.loads(run("classify", text, "--format", "json", "--no-split").stdout)["statements"]
    assert len(split) == 2
    assert [s["text"] for s in whole] == [text]


def test_classify_jsonl_from_stdin_survives_bad_lines(run: Any) -> None:
    long_line = ("We ran another workshop for the regional managers " * 50).strip()
    assert len(long_line) > 2000
    stdin = (
        b"\n".join(
            [
                b"Hire 5 nurses",
                b"",
                "Customers trust us with their data \U0001f512".encode(),
                long_line.encode(),
                b"Caf\xe9 menus printed \xff\xfe",
                b"   ",
                b"Increase the number of blog posts",
            ]
        )
        + b"\n"
    )
    result = run("classify", "--format", "jsonl", input=stdin)
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert [o["text"] for o in lines] == [
        "Hire 5 nurses",
        "Customers trust us with their data \U0001f512",
        "Increase the number of blog posts",
    ]
    for o in lines:
        assert set(o) >= DOCUMENTED_KEYS
        assert isinstance(o["evidence"], list) and o["evidence"]
    assert lines[2]["label"] == "output"
    err = _flat(result.stderr)
    assert "line 4: too long" in err and "2,000" in err
    assert "line 5: not valid UTF-8" in err
    assert "line 2" not in err and "line 6" not in err  # blank lines are skipped silently
    assert result.exit_code == 1  # some lines failed; the rest still ran


def test_classify_jsonl_no_split_and_clean_exit(run: Any) -> None:
    stdin = "We ran 14 workshops and trained 200 managers\nChurn fell by a third\n"
    split = run("classify", "--format", "jsonl", input=stdin)
    whole = run("classify", "--format", "jsonl", "--no-split", input=stdin)
    assert split.exit_code == 0 and whole.exit_code == 0
    assert len(split.stdout.splitlines()) == 3
    assert [json.loads(x)["text"] for x in whole.stdout.splitlines()] == [
        "We ran 14 workshops and trained 200 managers",
        "Churn fell by a third",
    ]
    assert split.stderr == ""


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["classify", ""], "The text is empty."),
        (["classify", "   \n\t "], "The text is empty."),
        (["classify", "\x00\x01\x02"], "The text is empty."),
        (["classify", "x" * 100_000], "The text is too long (100,000 characters"),
        (["classify"], "No text given."),
    ],
)
def test_classify_bad_input_is_a_clear_error(run: Any, args: list[str], needle: str) -> None:
    result = run(*args)
    assert result.exit_code != 0
    err = _flat(result.stderr)
    assert f"Error: {needle}" in err
    assert len(result.stderr.strip().splitlines()) >= 2  # the message and a hint
    assert result.stdout == ""


def test_console_script_empty_text_exits_cleanly(real_service: Any, real_settings: Any) -> None:
    """The installed `coach` entry point, as a user runs it: a clear message, no traceback."""
    coach = Path(sys.executable).parent / "coach"
    cmd = [str(coach)] if coach.exists() else [sys.executable, "-m", "api.cli"]
    env = {
        **os.environ,
        "COACH_DATA_DIR": str(real_settings.data_dir),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "NO_COLOR": "1",
    }
    proc = subprocess.run([*cmd, "classify", ""], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode != 0
    combined = proc.stdout + proc.stderr
    assert "Traceback" not in combined
    assert "The text is empty" in combined


# ----- search ------------------------------------------------------------------------------------------------


def test_search_json(run: Any) -> None:
    result = run("search", "rewarding people for closing incident records", "--format", "json", "--k", "3")
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert len(hits) == 3
    assert "perverse-incentives" in [h["citation"]["doc_id"] for h in hits]
    for h in hits:
        assert h["kind"] == "guidance" and h["text"]
        assert h["citation"]["title"] and h["citation"]["section"] and h["citation"]["sources"]
        assert -1.0 <= h["score"] <= 1.0
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_search_measures_text(run: Any) -> None:
    result = run("search", "customers paying their invoices late", "--kind", "measures", "--k", "2")
    assert result.exit_code == 0
    assert "score" in result.stdout


def test_search_bad_k(run: Any) -> None:
    result = run("search", "outcomes", "--k", "0")
    assert result.exit_code != 0
    assert "k must be between 1 and 50" in _flat(result.stderr)


# ----- eval ----------------------------------------------------------------------------------------------------

EVAL_LINES = [
    ("Refit the staff kitchen on the third floor", "output", "facilities"),
    ("Repaint 40 classrooms over the summer", "output", "education"),
    ("Translate the tenancy guide into five languages", "output", "housing"),
    ("Number of grant applications processed", "output", "public-sector"),
    ("Tenants report repairs online instead of phoning", "outcome", "housing"),
    ("Fewer pupils miss school because of asthma", "outcome", "education"),
    ("Commuters reach the city centre ten minutes faster", "outcome", "transport"),
    ("Small businesses survive their first three years", "outcome", "public-sector"),
]


def test_eval_file_json_and_text(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "mine.jsonl"
    path.write_text("\n".join(json.dumps({"text": t, "label": lab, "domain": d}) for t, lab, d in EVAL_LINES), "utf-8")
    result = run("eval", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["n"] == len(EVAL_LINES)
    assert 0.0 <= report["accuracy"] <= 1.0 and 0.0 <= report["macro_f1"] <= 1.0
    assert sum(v for row in report["confusion"].values() for v in row.values()) == len(EVAL_LINES)
    assert set(report["per_domain"]) == {d for _, _, d in EVAL_LINES}
    wrong = len(EVAL_LINES) - round(report["accuracy"] * len(EVAL_LINES))
    assert len(report["worst"]) == wrong

    text = run("eval", str(path))
    assert text.exit_code == 0
    out = _flat(text.stdout)
    for needle in ("accuracy", "macro-F1", "confusion", "per domain", "housing"):
        assert needle in out


def test_eval_dev_split_of_a_knowledge_file(run: Any) -> None:
    path = DEFAULT_KNOWLEDGE / "examples" / "finance.jsonl"
    n_dev = sum(1 for e in read_jsonl_labelled(path) if e.resolved_split == "dev")
    result = run("eval", str(path), "--split", "dev", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["n"] == n_dev > 0
    assert report["accuracy"] >= 0.8


def test_eval_malformed_file(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "Hire 5 nurses", "label": "output"}\n{"text": "x", "label": "result"}\n', "utf-8")
    result = run("eval", str(path))
    assert result.exit_code != 0
    err = _flat(result.stderr)
    assert "bad.jsonl, line 2:" in err and "'result'" in err
    missing = run("eval", str(tmp_path / "missing.jsonl"))
    assert missing.exit_code != 0 and "not found" in _flat(missing.stderr)
