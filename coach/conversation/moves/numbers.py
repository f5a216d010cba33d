"""Numbers for a measure in hand: a baseline, a target, a date. Filed against the measure the person names,
or the one just asked about (asking when several are named); the target's direction is checked against the
measure's; nothing is ever invented. "Unknown" is an honest answer, with a way to get it."""

from __future__ import annotations

from dataclasses import replace

from coach.conversation.moves.base import LADDER, Move, advance
from coach.conversation.plan import Plan
from coach.conversation.wording import quote
from coach.domain import Chain, ProposedMeasure
from coach.numbers import NumbersAnswer, Quantity, Slot, example_answer, parse_numbers

_SHARE_UNITS = ("%", "percent", "pp", "point", "pts")


def unit_fits(m: ProposedMeasure, ans: NumbersAnswer) -> bool:
    """Whether the numbers' unit can be the measure's ('60%' is no number of days)."""
    q = ans.baseline or ans.target
    if q is None or not q.unit or q.relative:
        return True
    unit, have = m.unit.lower(), q.unit.lower().strip()
    if have in ("%", "percent", "pp"):
        return "percent" in unit or "%" in unit or "share" in unit or "rate" in unit
    return have.rstrip("s") in unit or unit.rstrip("s") in have


def count_for_share(m: ProposedMeasure, ans: NumbersAnswer) -> Quantity | None:
    """A count given for a share ('40 a month' for 'Share of … who …' or a library percentage): the number, else
    None. A number with a unit that is no share ('tickets', 'a month') or above 100 cannot be a percentage. The
    person may mean a share of something, or want to track a count instead (for a drafted measure the unit is
    only the draft's guess): asked once, and a count given again is kept."""
    unit = m.unit.lower()
    if "percent" not in unit and "%" not in unit:
        return None
    for q in (ans.baseline, ans.target):
        if q is None or q.relative:
            continue
        have = (q.unit or "").lower().strip()
        if have.startswith(_SHARE_UNITS):
            continue
        if have or q.value > 100:
            return q
    return None


def focus_measure(plan: Plan, chain: Chain) -> ProposedMeasure | None:
    if not chain.measures:
        return None
    return chain.measures[min(plan.state.measure_focus, len(chain.measures) - 1)]


def ask_target(plan: Plan, m: ProposedMeasure | None, key: str = "numbers.ask_target") -> None:
    plan.state.phase = "ask_target"
    plan.ask(key, measure=m.name if m else "it", example=example_answer(m).split(", ", 1)[-1] if m else "")


def baseline_unknown(plan: Plan, chain: Chain) -> None:
    m = focus_measure(plan, chain)
    chain.baseline = "unknown"
    chain.numbers_for = m.name if m else None
    plan.say("numbers.unknown", how=m.collectability if m else "ask who owns the data and how often it refreshes.")
    plan.state.nudged = False
    if chain.target:  # the target came first ("we want 70% by 2026"): never ask for it again
        finish(plan, chain)
        return
    ask_target(plan, m, "numbers.target_anyway")


def finish(plan: Plan, chain: Chain) -> None:
    """Close the chain with whatever numbers it has, and move on."""
    m = focus_measure(plan, chain)
    if chain.baseline and chain.target:
        name = m.name if m else "The measure"
        when = chain.by_when or "[date]"
        span = f"from {chain.baseline} to {chain.target} by {when}"
        if chain.baseline == "unknown":
            span = f"to {chain.target} by {when} (baseline to be measured)"
        chain.outcome_statement = f"{name}: {span} — {chain.outcome}"
        plan.say(
            "numbers.statement_drafted" if m is not None and m.drafted else "numbers.statement",
            statement=chain.outcome_statement,
            owner=f"the {m.data_owner}" if m and m.data_owner else "whoever owns the data",
            cadence=m.cadence if m else "regularly",
        )
    else:
        plan.say("numbers.kept", outcome=chain.outcome or "")
    advance(plan)


class Numbers(Move):
    name = "numbers"
    acts = ("numbers",)
    phases = ("ask_baseline", "ask_target")

    def applies(self, plan: Plan) -> bool:
        return plan.chain is not None

    def run(self, plan: Plan) -> None:
        file_numbers(plan, plan.turn.text)


def file_numbers(plan: Plan, text: str) -> None:
    """Read baseline, target and date from `text` and file them against the measure meant (see the module)."""
    st, chain = plan.state, plan.chain
    assert chain is not None
    st.held_numbers = st.held_for = None
    expect: Slot = "target" if st.phase == "ask_target" else "baseline"
    ans = parse_numbers(text, chain.measures, asked=st.measure_focus, expect=expect)
    if not ans.found:
        plan.say("numbers.unclear")
        plan.again()
        return
    if ans.ambiguous:
        names = [chain.measures[i].name for i in ans.ambiguous if i < len(chain.measures)]
        plan.ask("numbers.which", options=names, names="; ".join(f"“{n}”" for n in names))
        return
    if ans.measure is not None and ans.measure < len(chain.measures):
        st.measure_focus = ans.measure
    m = focus_measure(plan, chain)
    if m is not None and not ans.named and (ans.direction_conflict or not unit_fits(m, ans)):
        # "60% right first time" asked about a measure in days: the numbers belong to another of the measures
        other = next(
            (
                i
                for i, x in enumerate(chain.measures)
                if x is not m and unit_fits(x, ans) and ans.direction in (None, x.direction)
            ),
            None,
        )
        if other is not None:
            st.measure_focus, m = other, chain.measures[other]
            ans = replace(ans, direction_conflict=False)
            plan.say("numbers.refiled", measure=m.name)
    count = count_for_share(m, ans) if m is not None else None
    kept_count = any(x and x != "unknown" and "%" not in x for x in (chain.baseline, chain.target))
    held, st.held_count = st.held_count if st.q_key == "numbers.share_or_count" else None, None
    if m is not None and count is not None and st.q_key != "numbers.share_or_count" and not kept_count:
        # asked once: a count given again (or already kept) is the person's choice; the date is kept
        chain.by_when = ans.by_when or chain.by_when
        st.held_count = {"slot": "baseline" if count is ans.baseline else "target", "text": count.text}
        plan.ask("numbers.share_or_count", measure=m.name, number=count.text)
        return
    if held and held["slot"] == "baseline" and ans.baseline is None and not chain.baseline:
        chain.baseline = held["text"]  # they went on to the target: the count they gave stands
    elif held and held["slot"] == "target" and ans.target is None and not chain.target:
        chain.target = held["text"]
    chain.numbers_for = m.name if m else None
    if ans.baseline is None and ans.baseline_unknown and not chain.baseline:
        chain.baseline = "unknown"
    chain.baseline = ans.baseline.text if ans.baseline else chain.baseline
    chain.target = ans.target.text if ans.target else chain.target
    chain.by_when = ans.by_when or chain.by_when
    if ans.direction_conflict and m is not None and not m.drafted:  # a drafted measure's direction is a guess
        way = "higher" if m.direction == "increase" else "lower"
        plan.say("numbers.direction", measure=m.name, better=way)
        ask_target(plan, m, "numbers.confirm_target")
        return
    if chain.baseline == "unknown" and not chain.target and st.phase == "ask_baseline":
        baseline_unknown(plan, chain)
    elif chain.baseline and chain.target:
        finish(plan, chain)
    elif chain.baseline:
        plan.say("numbers.baseline_noted", baseline=chain.baseline)
        ask_target(plan, m)
    elif not st.nudged:
        st.nudged = True
        plan.say("numbers.target_noted", target=chain.target or "")
        plan.ask("numbers.ask_baseline_again")
    else:
        finish(plan, chain)


class NumbersElsewhere(Move):
    """A number where no number was asked for. While a piece of work is being laddered ("it takes 9 days today"
    when asked what result it serves) it is kept for that chain and offered as today's value once measures are
    proposed; elsewhere the coach asks what it refers to (nothing stored)."""

    name = "numbers"
    acts = ("numbers",)
    phases = ("welcome", "idle", *LADDER, "clarify", "ask_mandate")

    def run(self, plan: Plan) -> None:
        st, chain = plan.state, plan.chain
        if chain is not None and st.phase in (*LADDER, "ask_mandate"):
            st.held_numbers, st.held_for = plan.turn.text.strip()[:200], chain.id
            plan.say("numbers.held", numbers=quote(plan.turn.text, 80))
        else:
            plan.say("numbers.what_for")
        plan.again()


class HeldNumbers(Move):
    """'Yes' to "you mentioned 9 days today: is that today's value of …?": the numbers given early are filed."""

    name = "numbers"
    acts = ("affirm",)
    phases = ("ask_baseline",)

    def applies(self, plan: Plan) -> bool:
        st, chain = plan.state, plan.chain
        return chain is not None and bool(st.held_numbers) and st.held_for == chain.id

    def run(self, plan: Plan) -> None:
        file_numbers(plan, plan.state.held_numbers or "")


class NoNumbers(Move):
    """'Don't know' or 'no' to a baseline or target question: unknown, honestly, then on."""

    name = "numbers"
    acts = ("non_answer", "deny")
    phases = ("ask_baseline", "ask_target")

    def applies(self, plan: Plan) -> bool:
        return plan.chain is not None

    def run(self, plan: Plan) -> None:
        chain = plan.chain
        assert chain is not None
        plan.state.held_numbers = plan.state.held_for = None
        if plan.state.phase == "ask_baseline":
            baseline_unknown(plan, chain)
        else:
            finish(plan, chain)
