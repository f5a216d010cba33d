"""Knowledge answers with the real model and the real guidance; the gap store on SQL; the CLI commands."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api import cli
from coach.adapters.fakes import InMemoryKnowledgeGaps
from coach.adapters.gaps import SqlKnowledgeGaps
from coach.adapters.sql import Database
from coach.answer_eval import load_questions
from coach.answers import wording
from coach.config import REPO_ROOT
from coach.templates import variants

QUESTIONS = REPO_ROOT / "bench" / "data" / "questions.jsonl"


# ----- the gap store: one contract, two adapters -----------------------------------------------------------
@pytest.fixture(params=["memory", "sqlite"])
def gap_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "memory":
        yield InMemoryKnowledgeGaps()
        return
    db = Database(f"sqlite:///{tmp_path / 'gaps.db'}")
    db.migrate()
    yield SqlKnowledgeGaps(db)
    db.dispose()


def test_gaps_are_grouped_by_wording_most_frequent_first(gap_store: Any) -> None:
    gap_store.record("hr", "How do I reset my VPN password?", 0.1)
    gap_store.record("it", "What's the capital of France?", 0.05)
    gap_store.record("hr", "what's the capital of  France", 0.07)
    gap_store.record("it", "   ", 0.0)  # nothing to record
    got = gap_store.gaps()
    assert [(g.question, g.count, g.teams) for g in got] == [
        ("what's the capital of  France", 2, ["hr", "it"]),
        ("How do I reset my VPN password?", 1, ["hr"]),
    ]
    assert got[0].best_score == pytest.approx(0.07)
    assert got[0].last_asked.tzinfo is not None
    assert [g.question for g in gap_store.gaps(team="it")] == ["What's the capital of France?"]
    assert len(gap_store.gaps(limit=1)) == 1


# ----- the real model on the real guidance -----------------------------------------------------------------
pytestmark_real = pytest.mark.integration


@pytestmark_real
def test_the_four_levels_come_whole_and_cited(real_service: Any) -> None:
    got = real_service.answers.answer("What are Kirkpatrick's four levels?")
    assert got.covered
    for level in ("Reaction", "Learning", "Behaviour", "Results"):
        assert level in got.body
    assert all(c.sources and c.title and c.section for c in got.citations)
    assert "training-evaluation" in {c.doc_id for c in got.citations} or "faq-frameworks" in {
        c.doc_id for c in got.citations
    }


@pytestmark_real
def test_goodharts_law_is_not_cut_at_initials(real_service: Any) -> None:
    got = real_service.answers.answer("What is Goodhart's law?")
    assert got.covered
    assert "once a measure is turned into a target" in got.body
    assert "Donald T." not in got.body or "Donald T. Campbell" in got.body


@pytestmark_real
def test_leading_and_lagging_are_both_defined(real_service: Any) -> None:
    got = real_service.answers.answer("What's the difference between a leading and a lagging measure?")
    body = got.body.lower()
    assert got.covered and "a lagging measure" in body and "a leading measure" in body
    nxt = real_service.answers.answer("and the lagging one?", got.context)
    assert nxt.covered and nxt.follow_up and "lagging measure" in nxt.body.lower()


@pytestmark_real
def test_the_four_cases_for_committing_to_an_output(real_service: Any) -> None:
    got = real_service.answers.answer("When is it fine to commit to an output?")
    assert got.covered
    for case in ("Compliance", "Contracted deliverables", "Committed milestones", "Early-stage work"):
        assert case in got.body


@pytestmark_real
@pytest.mark.parametrize("question", ["What's the capital of France?", "recommend a pizza place"])
def test_off_topic_questions_are_declined_honestly(real_service: Any, question: str) -> None:
    got = real_service.answers.answer(question)
    assert not got.covered and got.citations == []
    assert got.text == wording("not_covered")
    assert all(v not in got.text for v in variants("flow.welcome"))


@pytestmark_real
def test_the_question_set_meets_its_floor(real_service: Any) -> None:
    """Regression guard on the independent question set (the README reports the measured figures)."""
    report = real_service.evaluate_answers(load_questions(QUESTIONS))
    f = report.overall
    assert f.n_in >= 500 and f.n_out >= 30
    assert f.oos_recall >= 0.95, report.as_dict()
    assert f.hit_rate >= 0.75, report.as_dict()


# ----- the CLI ---------------------------------------------------------------------------------------------
@pytest.fixture
def run(real_container: Any, real_settings: Any) -> Any:
    runner = CliRunner()

    def invoke(*args: str) -> Any:
        result = runner.invoke(cli.app, list(args), obj=cli.CliState(real_settings, real_container))
        assert "Traceback" not in result.output, result.output
        return result

    return invoke


@pytestmark_real
def test_cli_ask_records_a_gap_and_lists_it(run: Any) -> None:
    r = run("knowledge", "ask", "Who won the football last night?", "--team", "cli-test")
    assert r.exit_code == 0 and "outside what my guidance covers" in r.output
    r = run("knowledge", "gaps", "--team", "cli-test", "--format", "json")
    rows = json.loads(r.output)
    assert [(g["question"], g["count"], g["teams"]) for g in rows] == [
        ("Who won the football last night?", 1, ["cli-test"])
    ]
    r = run("knowledge", "ask", "What is a baseline?", "--format", "json")
    assert json.loads(r.output)["covered"] is True


@pytestmark_real
def test_cli_eval_answers_reports_and_refuses_bad_files(run: Any, tmp_path: Path) -> None:
    small = tmp_path / "q.jsonl"
    small.write_text(
        json.dumps(
            {
                "question": "What is a baseline?",
                "doc_id": "faq-measures",
                "section": "What is a baseline?",
                "must_contain": ["starting value"],
                "type": "definition",
                "group": "g1",
            }
        )
        + "\n"
        + json.dumps({"question": "What's the weather tomorrow?", "out_of_scope": True, "group": "oos"})
        + "\n",
        "utf-8",
    )
    r = run("eval-answers", str(small), "--format", "json")
    got = json.loads(r.output)["overall"]
    assert got["in_scope"] == 1 and got["out_of_scope"] == 1 and got["oos_recall"] == 1.0
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "no section"}\n', "utf-8")
    r = run("eval-answers", str(bad))
    assert r.exit_code != 0 and "line 1" in r.output
