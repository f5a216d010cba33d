"""Baseline and target in ordinary phrasing (coach/numbers.py): values, units, deadlines, unknowns, which
measure the numbers belong to, and whether they move the way the measure should."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from coach.config import DEFAULT_KNOWLEDGE
from coach.domain import Measure
from coach.numbers import example_answer, parse_numbers
from coach.quantities import normalise


def _library() -> dict[str, Measure]:
    out: dict[str, Measure] = {}
    for path in sorted(Path(DEFAULT_KNOWLEDGE, "measures").glob("*.yaml")):
        for item in yaml.safe_load(path.read_text("utf-8"))["measures"]:
            item.setdefault("domain", path.stem)
            out[item["id"]] = Measure.model_validate(item)
    return out


LIB = _library()

# (reply, baseline text, target text, deadline, baseline unknown, target unknown)
PHRASINGS: list[tuple[str, str | None, str | None, str | None, bool, bool]] = [
    ("About 62% renew at full price today; we want 75% by next year", "62%", "75%", "next year", False, False),
    ("about 62% today, want 75% by next year", "62%", "75%", "next year", False, False),
    ("we're at 40 a month, want 70 by December", "40 a month", "70 a month", "December", False, False),
    ("currently 3 days, aim for 1 by Q3", "3 days", "1 day", "Q3", False, False),
    ("from 40 to 70 by December", "40", "70", "December", False, False),
    ("no idea", None, None, None, True, False),
    ("No idea.", None, None, None, True, False),
    ("dunno", None, None, None, True, False),
    ("baseline unknown", None, None, None, True, False),
    ("baseline 40%, target 25% by June", "40%", "25%", "June", False, False),
    (
        "It's 12 days at the moment; we'd like it under 5 days by the end of the year",
        "12 days",
        "5 days",
        "the end of the year",
        False,
        False,
    ),
    ("we don't know the baseline but want 80% by 2027", None, "80%", "2027", True, False),
    ("sixty two percent today, seventy five next year", "62 percent", "75%", "next year", False, False),
    ("£1.2m today, target £2m by March 2027", "£1.2m", "£2m", "March 2027", False, False),
    ("3.8 out of 5 now, want 4.2 by Q2", "3.8 out of 5", "4.2 out of 5", "Q2", False, False),
    ("halve it by June", None, "half of today", "June", False, False),
    ("we want to cut it by 20% within 6 months", None, "20% lower", "6 months from now", False, False),
    ("12 → 5 days by Q3", "12 days", "5 days", "Q3", False, False),
    ("12 -> 5 days by Q3", "12 days", "5 days", "Q3", False, False),
    ("target 90%", None, "90%", None, False, False),
    ("we have no target yet, it's 62% today", "62%", None, None, False, True),
    ("62%", "62%", None, None, False, False),
    (
        "40 tickets a month today, aim for 25 tickets a month by spring",
        "40 tickets a month",
        "25 tickets a month",
        "spring",
        False,
        False,
    ),
    ("about 1 in 5 customers today; want 1 in 10 by next summer", "1 in 5", "1 in 10", "next summer", False, False),
    ("not sure, maybe 30%?", "30%", None, None, False, False),
    ("Baseline: 45. Target: 60. Date: 31 March 2027", "45", "60", "31 March 2027", False, False),
    ("currently 14 working days, want 7 by April", "14 working days", "7 working days", "April", False, False),
    (
        "we're on 7 complaints per 1,000 customers, want under 4 by year end",
        "7 complaints per 1,000 customers",
        "4 complaints per 1,000 customers",
        "year end",
        False,
        False,
    ),
    (
        "roughly 300 a week now and we'd like 450 a week in 12 months",
        "300 a week",
        "450 a week",
        "12 months from now",
        False,
        False,
    ),
    ("from 12 to 6 days by Q3", "12 days", "6 days", "Q3", False, False),
    (
        "we sit at 71% and want to get it up to 80% by the end of next year",
        "71%",
        "80%",
        "the end of next year",
        False,
        False,
    ),
    ("Current NPS is 20, aim 35 by Q4 2027", "20", "35", "Q4 2027", False, False),
    ("no idea about the target but it's about 55% now", "55%", None, None, False, True),
    ("between 30 and 40% I think, no target", "30–40%", None, None, False, True),
    ("tbc", None, None, None, True, False),
    ("the maths pass rate is 64% today and we want 70% by July", "64%", "70%", "July", False, False),
    ("From 40% to 55% by the end of March", "40%", "55%", "the end of March", False, False),
    (
        "We are at 18 per cent; goal is 12 per cent by next April",
        "18 percent",
        "12 percent",
        "next April",
        False,
        False,
    ),
    ("right now 9 hours, we'd like 4 hours before September", "9 hours", "4 hours", "September", False, False),
    ("We want it doubled by 2028, it's 150 a year at present", "150 a year", "double today", "2028", False, False),
    ("Reduce it by 15 points by Q1", None, "15 points lower", "Q1", False, False),
    ("we had 2,400 last year and want 3,000 this year", "2,400", "3,000", "this year", False, False),
    (
        "We don't measure it yet, but we'd like 90% by the end of the school year",
        None,
        "90%",
        "the end of the school year",
        True,
        False,
    ),
    ("It's about 4.1 today. Aim: 4.5 by next quarter.", "4.1", "4.5", "next quarter", False, False),
    ("From twelve to six days by June", "12 days", "6 days", "June", False, False),
    ("about 35% take the bus now, we want half by next summer", "35%", "50%", "next summer", False, False),
    ("About a third do today, two thirds by 2027", "33%", "67%", "2027", False, False),
]


@pytest.mark.parametrize(("text", "base", "target", "when", "bu", "tu"), PHRASINGS, ids=[p[0][:40] for p in PHRASINGS])
def test_phrasings(text: str, base: str | None, target: str | None, when: str | None, bu: bool, tu: bool) -> None:
    a = parse_numbers(text)
    assert (a.baseline.text if a.baseline else None) == base
    assert (a.target.text if a.target else None) == target
    assert a.by_when == when
    assert (a.baseline_unknown, a.target_unknown) == (bu, tu)
    assert a.found


def test_at_least_forty_phrasings() -> None:
    assert len(PHRASINGS) >= 40
    assert len({p[0] for p in PHRASINGS}) == len(PHRASINGS)


@pytest.mark.parametrize(
    "text",
    [
        "from 40 to 70 by December",
        "we're at 40 a month, want 70 by December",
        "currently 3 days, aim for 1 by Q3",
        "12 days today, 6 by June",
        "40 now, 70 by next year",
    ],
)
def test_a_unit_is_never_taken_from_a_preposition_or_a_date(text: str) -> None:
    a = parse_numbers(text)
    for q in (a.baseline, a.target):
        assert q is not None
        assert q.unit is None or not any(w in q.unit.split() for w in ("by", "to", "in", "december", "june", "q3"))
        assert " by" not in q.text
    assert a.by_when is not None and not a.by_when.lower().startswith(("by ", "before ", "in "))


def test_values_and_units() -> None:
    a = parse_numbers("£1.2m today, target £2m by March 2027")
    assert a.baseline is not None and a.target is not None
    assert (a.baseline.value, a.target.value) == (1_200_000, 2_000_000)
    assert a.baseline.unit == a.target.unit == "£"
    p = parse_numbers("sixty two percent today, seventy five next year")
    assert p.baseline is not None and p.target is not None
    assert (p.baseline.value, p.baseline.unit, p.target.value, p.target.unit) == (62, "%", 75, "%")
    r = parse_numbers("about 1 in 5 customers today; want 1 in 10 by next summer")
    assert r.baseline is not None and r.target is not None
    assert r.baseline.value == pytest.approx(0.2) and r.target.value == pytest.approx(0.1)


def test_nothing_found_in_a_reply_without_numbers() -> None:
    for text in ("ok", "sounds good", "what do you mean by baseline?", "the second one looks right"):
        a = parse_numbers(text)
        assert not a.found and a.baseline is None and a.target is None


def test_a_lone_number_fills_what_was_asked() -> None:
    assert parse_numbers("45%").baseline is not None
    a = parse_numbers("45%", expect="target")
    assert a.target is not None and a.baseline is None
    b = parse_numbers("62% today")  # a cue beats the expectation
    assert b.baseline is not None


@pytest.mark.parametrize("text", ["5 days by June", "70% by December", "under 10 a month by Q3"])
def test_one_value_with_a_deadline_is_a_target_even_when_the_baseline_was_asked(text: str) -> None:
    a = parse_numbers(text, expect="baseline")
    assert a.target is not None and a.baseline is None and a.by_when


# ----- which measure the numbers belong to -----------------------------------------------------------------
PROPOSED = [LIB["edu-continuation-year2"], LIB["edu-progress-expected-standard"], LIB["edu-attendance-rate"]]


def test_numbers_go_to_the_measure_the_person_names() -> None:
    a = parse_numbers("The maths and reading standard is at 64% today, we want 70% by July", PROPOSED, asked=0)
    assert a.measure == 1 and a.named
    b = parse_numbers("attendance is 91% now, want 95% by next year", PROPOSED, asked=0)
    assert b.measure == 2 and b.named


def test_otherwise_the_measure_just_asked_about() -> None:
    a = parse_numbers("about 62% today, want 75% by next year", PROPOSED, asked=0)
    assert a.measure == 0 and not a.named


@pytest.mark.parametrize(("text", "index"), [("for the second one: 40% to 55%", 1), ("the last measure is 90%", 2)])
def test_ordinal_references(text: str, index: int) -> None:
    assert parse_numbers(text, PROPOSED, asked=0).measure == index


def test_the_leading_or_lagging_one() -> None:
    measures = [LIB["sup-first-contact-resolution"], LIB["sup-repeat-contact-rate"]]
    assert {m.kind for m in measures} == {"leading", "lagging"}
    lagging = next(i for i, m in enumerate(measures) if m.kind == "lagging")
    assert parse_numbers("the lagging one is 18% now", measures, asked=None).measure == lagging


def test_two_measures_named_and_none_asked_is_ambiguous() -> None:
    twins = [LIB["edu-attendance-rate"], LIB["edu-attendance-rate"].model_copy(update={"id": "x"})]
    a = parse_numbers("attendance 91% now", twins, asked=None)
    assert a.measure is None and a.ambiguous == (0, 1)


# ----- direction ---------------------------------------------------------------------------------------------
def test_direction_is_checked_against_the_measure() -> None:
    up = LIB["edu-attendance-rate"]
    down = LIB["sup-repeat-contact-rate"]
    assert (up.direction, down.direction) == ("increase", "decrease")
    ok = parse_numbers("91% now, want 95% by June", [up], asked=0)
    assert ok.direction == "increase" and not ok.direction_conflict
    wrong = parse_numbers("91% now, want 85% by June", [up], asked=0)
    assert wrong.direction == "decrease" and wrong.direction_conflict
    rel = parse_numbers("cut it by 5 points by June", [down], asked=0)
    assert rel.direction == "decrease" and not rel.direction_conflict
    under = parse_numbers("under 10% by June", [up], asked=0)
    assert under.direction == "decrease" and under.direction_conflict
    flat = parse_numbers("target 90%", [up], asked=0)
    assert flat.direction is None and not flat.direction_conflict


def test_every_example_answer_parses_and_moves_the_right_way() -> None:
    for m in LIB.values():
        example = example_answer(m)
        a = parse_numbers(example, [m], asked=0)
        assert a.baseline is not None and a.target is not None and a.by_when == "June", (m.id, example)
        assert a.direction == m.direction and not a.direction_conflict, (m.id, example)


@pytest.mark.parametrize("text", ["we cut it in half last year", "it takes half an hour now", "half the team joined"])
def test_a_fraction_is_a_share_only_where_a_number_is_expected(text: str) -> None:
    assert "%" not in normalise(text)
