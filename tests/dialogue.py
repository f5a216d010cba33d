"""Scripted conversations: the person's lines, how each is meant (act), and what the coach must do.

Scripts live in `tests/conversations/*.yaml`. The same script runs two ways:

- `PolicyDialogue` (unit): the engine and the reply composer over the in-memory knowledge index; each line is
  read as the script says (its `act`) and statements carry the script's labels, so the test checks the moves,
  not the models. Milliseconds per conversation.
- through a real `CoachService` (integration, scripts marked `real: true`): the real model reads every line, and
  the reading must match the script.

Checks on every turn of every script: nothing the person said is lost; no raw Markdown; no confidence figure in
prose; the person's sentence is not echoed twice; no question is asked twice word for word; no broken second
person ("you told you", "your team don't").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from coach.conversation import engine
from coach.conversation.acts import Reading
from coach.conversation.plan import Turn
from coach.conversation.state import SessionState
from coach.domain import Chain, Classification, CoachReply
from coach.segment import segment

SCRIPTS = Path(__file__).parent / "conversations"
MARKDOWN = re.compile(r"(?m)^\s*#{1,6}\s|\|\s*-{3,}|\*\*|^\s*\|.*\|\s*$|\[[^\]]+\]\([^)]+\)")
BROKEN_PERSON = re.compile(r"\byou (?:just )?told you\b|\byour team don'?t\b|\byou was\b|\byou am\b", re.I)


@dataclass
class Line:
    say: str
    act: str
    command: str | None = None
    labels: list[str] = field(default_factory=list)
    expect: dict[str, Any] = field(default_factory=dict)


@dataclass
class Script:
    name: str
    lines: list[Line]
    final: dict[str, Any]
    real: bool = False
    source: str = ""
    xfail: str = ""
    xfail_real: str = ""  # known to fail with today's models only


def load_scripts(folder: Path = SCRIPTS) -> list[Script]:
    out: list[Script] = []
    for path in sorted(folder.glob("*.yaml")):
        # BaseLoader: every scalar is a string, so "yes", "no" and "40" stay what the person typed.
        for item in yaml.load(path.read_text("utf-8"), Loader=yaml.BaseLoader) or []:
            lines = [
                Line(
                    say=str(t["say"]),
                    act=str(t["act"]),
                    command=t.get("command"),
                    labels=list(t.get("labels", [])),
                    expect=dict(t.get("expect", {})),
                )
                for t in item["turns"]
            ]
            out.append(
                Script(
                    item["name"],
                    lines,
                    dict(item.get("final", {})),
                    item.get("real") == "true",
                    path.name,
                    str(item.get("xfail", "")),
                    str(item.get("xfail_real", "")),
                )
            )
    return out


def classification(text: str, label: str, start: int = 0) -> Classification:
    label, _, language = label.partition("@")  # "output@de": confidently not English, so unsure
    unsure = label == "unsure" or bool(language)  # an output the classifier is unsure of
    lab = "output" if label == "unsure" else label
    return Classification(
        text=text,
        start=start,
        end=start + len(text),
        label=lab,  # type: ignore[arg-type]
        confidence=0.6 if unsure else 0.95,
        rationale="Reports work the team did" if lab == "output" else "Describes a change for the people served",
        needs_clarification=unsure,
        language=language or None,
    )


class PolicyDialogue:
    """Drives engine + composer turn after turn, as the service does, with scripted readings."""

    def __init__(self, composer: Any) -> None:
        self.composer = composer
        self.state = SessionState()
        self.chains: list[Chain] = []
        self.corrections: list[tuple[str, str]] = []

    def send(self, line: Line) -> CoachReply:
        reading = Reading(line.act, 0.95, command=line.command, source="rule")  # type: ignore[arg-type]
        mode = engine.classification_mode(reading.act, self.state.phase, line.say)
        statements: list[Classification] = []
        if mode == "split" and line.labels:
            parts = segment(line.say, split=True)
            if len(parts) != len(line.labels):
                raise AssertionError(f"{line.say!r} splits into {[p.text for p in parts]}, not {len(line.labels)}")
            statements = [classification(p.text, lab, p.start) for p, lab in zip(parts, line.labels, strict=True)]
        elif mode == "whole" and line.labels:
            statements = [classification(line.say, line.labels[0])]
        plan = engine.step(self.state, self.chains, Turn(line.say, reading, statements))
        reply = self.composer.compose(plan)
        if plan.correction:
            self.corrections.append(plan.correction)
        self.state, self.chains = plan.state, plan.chains
        return reply


@dataclass
class Check:
    """What every turn must respect, whatever the script."""

    said_so_far: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)

    def turn(self, line: Line, reply: CoachReply, state: SessionState, chains: list[Chain]) -> list[str]:
        problems: list[str] = []
        self.said_so_far.append(line.say)
        text = reply.text
        lost = state.lost(chains)
        if lost:
            problems.append(f"lost statements: {lost}")
        if MARKDOWN.search(text):
            problems.append("raw Markdown in the reply")
        people_numbers = set(re.findall(r"\d+(?:\.\d+)?\s*%", " ".join(self.said_so_far)))
        prose = re.sub(r"“[^”]*”", "", text)  # quoted examples and the person's words are not the coach's claims
        for pct in re.findall(r"\d+(?:\.\d+)?\s*%", prose):
            if pct not in people_numbers:
                problems.append(f"a percentage the person never gave: {pct}")
        if len(line.say) > 25 and text.lower().count(line.say.lower().rstrip(".")) > 1:
            problems.append("the person's sentence is echoed twice")
        if BROKEN_PERSON.search(text):
            problems.append("broken second person")
        if reply.question:
            if reply.question in self.questions:
                problems.append(f"question repeated word for word: {reply.question!r}")
            self.questions.append(reply.question)
        return problems


def expect(line: Line, reply: CoachReply, state: SessionState, chains: list[Chain], before: Any) -> list[str]:
    """The script's own expectations for one turn."""
    e, problems = line.expect, []
    text = reply.text.lower()
    if "phase" in e and state.phase != e["phase"]:
        problems.append(f"phase {state.phase!r}, expected {e['phase']!r}")
    for s in e.get("says", []):
        if s.lower() not in text:
            problems.append(f"reply lacks {s!r}")
    if "says_any" in e and not any(s.lower() in text for s in e["says_any"]):
        problems.append(f"reply has none of {e['says_any']!r}")
    for s in e.get("lacks", []):
        if s.lower() in text:
            problems.append(f"reply should not contain {s!r}")
    if e.get("stores_nothing") in (True, "true") and snapshot(state, chains) != before:
        problems.append("something was stored")
    chain = next((c for c in chains if c.id == state.current), None)
    if "rungs" in e and (chain is None or chain.rungs != e["rungs"]):
        problems.append(f"rungs {chain.rungs if chain else None}, expected {e['rungs']}")
    if "outcome" in e:
        outcomes = [c.outcome for c in chains]
        if e["outcome"] not in outcomes:
            problems.append(f"outcome {e['outcome']!r} not in {outcomes}")
    if "queued" in e and [p.text for p in state.queue] != e["queued"]:
        problems.append(f"queue {[p.text for p in state.queue]}, expected {e['queued']}")
    if e.get("measures") in (True, "true") and not reply.measures:
        problems.append("no measures proposed")
    if e.get("map") in (True, "true") and reply.map is None:
        problems.append("no structured map in the reply")
    if e.get("no_question") in (True, "true") and reply.question:
        problems.append(f"unexpected question {reply.question!r}")
    if e.get("question") in (True, "true") and not reply.question:
        problems.append("no question asked")
    if e.get("no_statements") in (True, "true") and reply.statements:
        problems.append(f"a reply that is not a statement was labelled: {[c.text for c in reply.statements]}")
    return problems


def snapshot(state: SessionState, chains: list[Chain]) -> Any:
    return (
        [(c.origin, tuple(c.rungs), c.outcome, c.status, c.commitment, c.baseline, c.target) for c in chains],
        tuple(state.said),
        tuple(p.text for p in state.queue),
    )


def final_checks(final: dict[str, Any], state: SessionState, chains: list[Chain]) -> list[str]:
    problems: list[str] = []
    if "chains" in final:
        got = [(c.origin, c.status) for c in chains]
        want = [(c["origin"], c["status"]) for c in final["chains"]]
        if got != want:
            problems.append(f"map {got}, expected {want}")
        for c, w in zip(chains, final["chains"], strict=False):
            if "outcome" in w and c.outcome != w["outcome"]:
                problems.append(f"outcome of {c.origin!r} is {c.outcome!r}, expected {w['outcome']!r}")
            if "rungs" in w and c.rungs != w["rungs"]:
                problems.append(f"rungs of {c.origin!r} are {c.rungs}, expected {w['rungs']}")
            for k in ("baseline", "target", "by_when", "commitment"):
                if k in w and getattr(c, k) != w[k]:
                    problems.append(f"{k} of {c.origin!r} is {getattr(c, k)!r}, expected {w[k]!r}")
    if "queued" in final and [p.text for p in state.queue] != final["queued"]:
        problems.append(f"queue {[p.text for p in state.queue]}, expected {final['queued']}")
    if "phase" in final and state.phase != final["phase"]:
        problems.append(f"final phase {state.phase!r}, expected {final['phase']!r}")
    return problems
