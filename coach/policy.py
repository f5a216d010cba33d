"""The coaching conversation as a pure state machine: (state, chains, message, classifications) → plan.

No I/O here. The plan says what to say (template steps) and what the service must fetch (directions,
measures, knowledge passages, the map) before the reply is composed.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, Field

from coach.domain import Chain, Citation, Classification, Label

Phase = Literal["welcome", "clarify", "laddering", "baseline", "idle"]
Intent = Literal[
    "ack", "restart", "skip", "summary", "correct", "why", "question", "accept", "measures", "not_quite", "statements"
]
MAX_RUNGS = 3


class Pending(BaseModel):
    """A classified statement waiting its turn (or in focus)."""

    text: str
    label: Label
    confidence: float
    rationale: str
    commitment: str | None = None
    needs_clarification: bool = False
    guidance: str = ""
    citation: Citation | None = None

    @classmethod
    def of(cls, c: Classification) -> Pending:
        g = next((e for e in c.evidence if e.kind == "guidance"), None)
        return cls(
            text=c.text,
            label=c.label,
            confidence=c.confidence,
            rationale=c.rationale,
            commitment=c.commitment,
            needs_clarification=c.needs_clarification,
            guidance=g.text if g else "",
            citation=g.citation if g else None,
        )


class SessionState(BaseModel):
    phase: Phase = "welcome"
    queue: list[Pending] = Field(default_factory=list)
    current: str | None = None  # id of the chain in focus
    focus: Pending | None = None  # the statement last classified (for "why?" and corrections)
    clarifying: Pending | None = None
    asked_missing: bool = False
    last_question: str | None = None
    last_options: list[str] = Field(default_factory=list)
    turn: int = 0


@dataclass
class Plan:
    state: SessionState
    chains: list[Chain]
    steps: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    question: str | None = None
    question_step: tuple[str, dict[str, Any]] | None = None
    directions_for: str | None = None  # fetch outcome themes to offer as directions
    measures_for: str | None = None  # chain id whose outcome needs measures
    knowledge_query: str | None = None
    show_map: bool = False
    correction: tuple[str, Label] | None = None
    statements: list[Classification] = field(default_factory=list)
    queued: list[str] = field(default_factory=list)

    def say(self, template: str, **slots: Any) -> None:
        self.steps.append((template, slots))

    def ask(self, template: str, **slots: Any) -> None:
        self.question_step = (template, slots)


# ----- intents ----------------------------------------------------------------------------------------
_RESTART = re.compile(r"^\s*(?:start (?:over|again)|restart|reset|begin again|new session)\W*$", re.I)
_SKIP = re.compile(r"^\s*(?:skip|next|move on|pass|skip (?:it|this|this one)|next one)\W*$", re.I)
_SUMMARY = re.compile(
    r"^\s*(?:summary|summari[sz]e|show (?:me )?(?:the )?(?:outcome )?map|(?:the )?outcome map|where are we)\W*$", re.I
)
_CORRECT = re.compile(
    r"^\s*(?:no[,.!]?\s+|nope[,.!]?\s+|wrong[,.!]?\s+|actually[,.!]?\s+)*(?:that|it|this)(?:'s|\s+is|\s+was)\s+(?:actually\s+|really\s+)?an?\s+(output|outcome)\b"
    r"|^\s*(?:no[,.!]?\s+)?(?:it's|its)\s+an?\s+(output|outcome)\b|^\s*(?:no[,.!]?\s+|wrong[,.!]?\s+)(output|outcome)\W*$",
    re.I,
)
_WHY = re.compile(r"^\s*why\b.*\b(?:output|outcome|label(?:led)?|classif)", re.I)
_ACCEPT = re.compile(
    r"^\s*(?:that'?s (?:the|it|my) (?:result|outcome)|that is the (?:result|outcome)|yes,? that'?s it|that'?s the result)\W*$",
    re.I,
)
_MEASURES = re.compile(
    r"^\s*(?:propose |suggest |show )?measures\W*$|^\s*propose measures\W*$|^\s*how (?:do|can|would|should) (?:we|i) measure (?:it|this|that)\W*$",
    re.I,
)
_NOT_QUITE = re.compile(r"^\s*(?:not quite|not really|hmm+,? not quite|that'?s not it)\W*$", re.I)
_QUESTION = re.compile(
    r"^\s*(?:what|why|how|when|which|who|is|are|can|could|should|do|does|explain|tell me)\b[^\n]*(?:\?|\b(?:difference|mean|means|meaning)\b)",
    re.I,
)


_ACK = re.compile(
    r"^\s*(?:yes|yep|yeah|yup|ok|okay|sure|right|thanks|thank you|cheers|great|cool|fine|got it|no|nope|hmm+|hi|hello|hey)"
    r"[\s!.,]*(?:thanks|thank you)?[\s!.]*$",
    re.I,
)


def parse_intent(text: str) -> tuple[Intent, dict[str, Any]]:
    t = text.strip()
    if _ACK.match(t):
        return "ack", {}
    if _RESTART.match(t):
        return "restart", {}
    if _SKIP.match(t):
        return "skip", {}
    if _SUMMARY.match(t):
        return "summary", {}
    m = _CORRECT.match(t)
    if m:
        label = next(g for g in m.groups() if g)
        return "correct", {"label": label.lower()}
    if _WHY.match(t):
        return "why", {}
    if _ACCEPT.match(t):
        return "accept", {}
    if _MEASURES.match(t):
        return "measures", {}
    if _NOT_QUITE.match(t):
        return "not_quite", {}
    if (_QUESTION.match(t) and t.endswith("?")) or re.match(r"^\s*what(?:'s| is) the difference\b", t, re.I):
        return "question", {}
    return "statements", {}


def classification_mode(state: SessionState, intent: Intent, text: str) -> Literal["split", "whole", "none"]:
    """How the service should classify the message before calling `step`."""
    if intent != "statements":
        return "none"
    if state.phase in ("laddering", "clarify"):
        return "whole"
    if state.phase == "baseline" and parse_baseline(text) is not None:
        return "none"
    return "split"


# ----- baseline and target ----------------------------------------------------------------------------
# A unit must end at a word boundary: "900 within" is 900, not "900 wit".
_NUM = r"[-+]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)(?:\s*(?:%|percent|pp|days?|hours?|hrs?|minutes?|mins?|weeks?|months?|years?|k|m|bn|[a-z£$€]{1,3})(?![a-z]))?"
_UNKNOWN = re.compile(
    r"\b(?:unknown|don'?t know|do not know|not sure|no idea|no baseline|no data|nobody knows|n/?a)\b", re.I
)
_FROM_TO = re.compile(rf"\bfrom\s+(?:about\s+|around\s+)?({_NUM})\s+to\s+({_NUM})", re.I)
_BASE = re.compile(
    rf"\b(?:baseline|currently|today|now|at the moment|it'?s|it is|we are at|we're at)\s*(?:is|of|:|=|at|about|around)?\s*({_NUM})",
    re.I,
)
_TARGET = re.compile(
    rf"\b(?:target|aim(?:ing)?(?: for)?|goal|get (?:it )?to|reach|want(?: it)?(?: to be)?)\s*(?:is|of|:|=|at|for|to)?\s*({_NUM})",
    re.I,
)
_WHEN = re.compile(
    r"\b(?:by|before|within|in)\s+((?:the\s+)?(?:end of\s+)?(?:q[1-4](?:\s*\d{4})?|\d{4}|next\s+\w+|january|february|march|april|may|june|july|august|september|october|november|december|\d+\s+(?:days?|weeks?|months?|years?))(?:\s+\d{4})?)",
    re.I,
)


@dataclass
class BaselineAnswer:
    baseline: str | None
    target: str | None
    when: str | None
    unknown: bool


def parse_baseline(text: str) -> BaselineAnswer | None:
    """Read 'baseline 40%, target 25% by June', 'from 12 to 6 days by Q3' or 'unknown'. None if neither."""
    unknown = bool(_UNKNOWN.search(text))
    base = target = None
    m = _FROM_TO.search(text)
    if m:
        base, target = m.group(1).strip(), m.group(2).strip()
    else:
        mb, mt = _BASE.search(text), _TARGET.search(text)
        base = mb.group(1).strip() if mb else None
        target = mt.group(1).strip() if mt else None
    w = _WHEN.search(text)
    when = w.group(1).strip() if w else None
    if not (unknown or base or target):
        return None
    return BaselineAnswer(base, target, when, unknown)


# ----- wording helpers --------------------------------------------------------------------------------
_FAMILIES: list[tuple[str, re.Pattern[str]]] = [
    (
        "compliance",
        re.compile(r"\b(?:certif|accredit|complian|audit|regulat|statutory|gdpr|iso ?\d|policy|policies)", re.I),
    ),
    (
        "training",
        re.compile(r"\b(?:train|trained|training|course|courses|e-learning|coached|coaching|upskill|mentor)", re.I),
    ),
    (
        "tickets",
        re.compile(
            r"\b(?:ticket|tickets|incident|incidents|request|requests|cases?|claims?|complaints?|records?|backlog)\b",
            re.I,
        ),
    ),
    (
        "event",
        re.compile(
            r"\b(?:workshop|workshops|event|events|webinar|webinars|session|sessions|meetings?|conference|clinic|clinics|class|classes)\b",
            re.I,
        ),
    ),
    ("hiring", re.compile(r"\b(?:hire|hired|hiring|recruit|recruited|onboard)", re.I)),
    (
        "campaign",
        re.compile(
            r"\b(?:campaign|newsletter|blog|posts?|ads?|advert|social media|email|emails|seo|press|cold calls?|outreach|leads?|demos?)",
            re.I,
        ),
    ),
    (
        "publication",
        re.compile(
            r"\b(?:report|reports|publish|published|guide|handbook|strategy|plan|dashboard|article|paper|research|study)",
            re.I,
        ),
    ),
    (
        "system",
        re.compile(
            r"\b(?:launch|launched|portal|app|system|tool|platform|website|site|feature|release|deploy|deployed|migrat|implement|crm|erp|automat|build|built)",
            re.I,
        ),
    ),
    (
        "reach",
        re.compile(
            r"\b(?:served|reached|participants|attend|visits?|parcels|people|families|households|clients)\b", re.I
        ),
    ),
]
_IMPERATIVE = re.compile(
    r"^(?:to\s+)?(launch|deliver|build|implement|hold|run|publish|create|develop|write|conduct|host|train|send|hire|deploy|roll|complete|produce|design|draft|organi[sz]e|distribute|process|close|install|migrate|set|introduce|provide|offer|establish|update|redesign|review|audit|prepare|submit|achieve|increase|improve|reduce|grow|boost|expand|get|make|ship|migrate|open|recruit|run)\b",
    re.I,
)
_FILLER = re.compile(
    r"^\s*(?:so that|so|that|then|well|um+|uh+|i think|i guess|hopefully|it means|it would mean|because|basically|ideally|the idea is that|i suppose)[,\s]+",
    re.I,
)


def family(text: str) -> str:
    for name, pattern in _FAMILIES:
        if pattern.search(text):
            return name
    return "generic"


def second_person(text: str) -> str:
    """'We closed 500 records' → 'You closed 500 records'; 'Launch the portal' → 'You plan to launch the portal'."""
    t = text.strip().rstrip(".!")
    swaps = [
        (r"\bwe\b", "you"),
        (r"\bour\b", "your"),
        (r"\bus\b", "you"),
        (r"\bI\b", "you"),
        (r"\bmy\b", "your"),
        (r"\bI've\b", "you've"),
        (r"\bwe've\b", "you've"),
        (r"\bI'm\b", "you're"),
        (r"\bwe're\b", "you're"),
    ]
    lowered_start = re.match(r"^(?:we|i|our|my|the team)\b", t, re.I)
    for pat, rep in swaps:
        t = re.sub(pat, rep, t, flags=re.I)
    if lowered_start:
        return t[0].upper() + t[1:]
    if _IMPERATIVE.match(t):
        return "You plan to " + t[0].lower() + t[1:]
    return f'"{t}"'


def outcome_form(text: str) -> str:
    t = text.strip()
    for _ in range(3):
        t2 = _FILLER.sub("", t)
        if t2 == t:
            break
        t = t2
    t = t.rstrip(" .!")
    t = re.sub(r"\bwe\b", "your team", t, flags=re.I)
    t = re.sub(r"\bour\b", "your", t, flags=re.I)
    return t[:1].upper() + t[1:] if t else text.strip()


def short_reason(rationale: str) -> str:
    r = rationale.split(" (It also says")[0].strip().rstrip(".")
    return r[:1].lower() + r[1:]


def default_who(fam: str) -> str:
    return {
        "tickets": "the people who raised them",
        "training": "the people you trained",
        "event": "the people who took part",
        "reach": "the people you reached",
        "campaign": "your audience",
    }.get(fam, "the people it's for")


# ----- the state machine ------------------------------------------------------------------------------
def new_chain(p: Pending) -> Chain:
    return Chain(
        id=uuid.uuid4().hex[:12],
        origin=p.text,
        origin_label=p.label,
        commitment=p.commitment,
        outcome=outcome_form(p.text) if p.label == "outcome" else None,
        status="outcome" if p.label == "outcome" else "open",
    )


def _chain(plan: Plan) -> Chain | None:
    return next((c for c in plan.chains if c.id == plan.state.current), None)


def _begin(plan: Plan, p: Pending, who: str | None = None) -> None:
    """Take up one statement: ask to clarify, ladder an output, or measure an outcome."""
    st = plan.state
    st.focus = p
    st.asked_missing = False
    if p.needs_clarification:
        st.phase, st.clarifying = "clarify", p
        plan.ask("clarify", text=p.text, label=p.label, confidence=f"{p.confidence:.0%}")
        return
    chain = new_chain(p)
    plan.chains.append(chain)
    st.current = chain.id
    if p.label == "output":
        st.phase = "laddering"
        plan.say("ladder_intro", restated=second_person(p.text), reason_short=short_reason(p.rationale))
        if p.commitment:
            plan.say("commitment", commitment=p.commitment)
        plan.directions_for = p.text
        fam = family(p.text)
        plan.ask(f"family:{fam}", text=second_person(p.text), who=who or default_who(fam))
    else:
        plan.say("outcome_stated", restated=second_person(p.text), reason_short=short_reason(p.rationale))
        _reach_outcome(plan, chain, chain.outcome or p.text, confirm=False)


def _reach_outcome(plan: Plan, chain: Chain, outcome: str, confirm: bool = True) -> None:
    chain.outcome = outcome
    chain.status = "outcome"
    plan.state.phase = "baseline"
    if confirm:
        plan.say("confirm_outcome", outcome=outcome)
    plan.measures_for = chain.id  # the service fetches measures; compose adds them and asks for the baseline


def _advance(plan: Plan, lead: str | None = None) -> None:
    """Move to the next queued statement, or go idle."""
    st = plan.state
    st.current, st.clarifying = None, None
    if st.queue:
        nxt = st.queue.pop(0)
        plan.say("next_item", text=nxt.text)
        _begin(plan, nxt)
    else:
        st.phase = "idle"
        plan.ask("idle")


def _queue_note(plan: Plan) -> None:
    if plan.state.queue:
        plan.queued = [p.text for p in plan.state.queue]
        plan.say("queued", items="; ".join(f'"{t}"' for t in plan.queued))


def step(
    state: SessionState,
    chains: list[Chain],
    text: str,
    intent: Intent,
    args: dict[str, Any],
    classifications: list[Classification],
) -> Plan:
    st = state.model_copy(deep=True)
    st.turn += 1
    plan = Plan(state=st, chains=[c.model_copy(deep=True) for c in chains], statements=classifications)
    chain = _chain(plan)

    if intent == "restart":
        plan.state = SessionState(turn=st.turn)
        plan.chains = []
        plan.say("restart")
        return plan
    if intent == "ack":
        if st.phase == "baseline" and chain is not None and re.match(r"^\s*(?:no|nope)\b", text, re.I):
            return _baseline(plan, chain, BaselineAnswer(None, None, None, True))
        _reask(plan)
        if plan.question is None and plan.question_step is None:
            plan.ask("idle")
        return plan
    if intent == "summary":
        plan.show_map = True
        _reask(plan)
        return plan
    if intent == "question":
        plan.knowledge_query = text
        _reask(plan)
        return plan
    if intent == "why":
        if st.focus is None:
            plan.knowledge_query = "what is the difference between an output and an outcome"
        else:
            f = st.focus
            plan.say(
                "why",
                text=f.text,
                label=f.label,
                confidence=f"{f.confidence:.0%}",
                rationale=short_reason(f.rationale) + ".",
                guidance=f"The guidance puts it this way: {_first_sentences(f.guidance)}" if f.guidance else "",
            )
        _reask(plan)
        return plan
    if intent == "correct":
        return _correct(plan, args["label"])
    if intent == "skip":
        if chain is not None and chain.status == "open":
            chain.status = "skipped"
        plan.say("skip", next="")
        _advance(plan)
        return plan
    if intent in ("accept", "measures"):
        if chain is not None and st.phase == "laddering":
            _reach_outcome(plan, chain, outcome_form(chain.rungs[-1] if chain.rungs else chain.origin))
            return plan
        if chain is not None and chain.outcome:
            plan.measures_for = chain.id
            st.phase = "baseline"
            return plan
        plan.ask("idle")
        return plan
    if intent == "not_quite":
        if chain is not None and st.phase == "laddering":
            plan.ask("not_quite", text=chain.rungs[-1] if chain.rungs else chain.origin)
        else:
            _reask(plan)
        return plan

    # intent == "statements"
    if st.phase == "clarify" and st.clarifying is not None:
        return _clarified(plan, text, classifications)
    if st.phase == "laddering" and chain is not None and classifications:
        return _laddered(plan, chain, classifications[0])
    if st.phase == "baseline" and chain is not None:
        ans = parse_baseline(text)
        if ans is not None:
            return _baseline(plan, chain, ans)
    # New statements (welcome, idle, or moving on from a baseline question).
    if not classifications:
        _reask(plan)
        return plan
    pend = [Pending.of(c) for c in classifications]
    st.queue = pend[1:] + st.queue
    _queue_note(plan)
    _begin(plan, pend[0])
    return plan


def _first_sentences(text: str, n: int = 2, limit: int = 420) -> str:
    """The first prose sentences of a passage (list items and table rows are skipped)."""
    lines = [ln.strip() for ln in text.splitlines()]
    prose = " ".join(ln for ln in lines if ln and not re.match(r"^(?:[-*•|]|\d+[.)])\s*", ln))
    parts = re.split(r"(?<=[.!?])\s+", (prose or " ".join(lines)).strip())
    out = re.sub(r"[*_`#]+", "", " ".join(parts[:n])).strip()
    return out if len(out) <= limit else out[: limit - 1].rsplit(" ", 1)[0] + "…"


def _reask(plan: Plan) -> None:
    if plan.state.last_question:
        plan.question = plan.state.last_question
    elif plan.state.phase in ("welcome", "idle"):
        plan.ask("welcome" if plan.state.phase == "welcome" else "idle")


def _clarified(plan: Plan, text: str, classifications: list[Classification]) -> Plan:
    st = plan.state
    p = st.clarifying
    assert p is not None
    low = text.lower()
    says_output = bool(
        re.search(
            r"\boutput\b|\b(?:we|i) (?:do|did|make|made|produce|deliver|run|ran)\b|\bdeliver|\bproduce|\bactivity|\btask",
            low,
        )
    )
    says_outcome = bool(re.search(r"\boutcome\b|\bchange|\bresult|\bbenefit|\bdifferen", low))
    if says_output != says_outcome:
        label: Label = "output" if says_output else "outcome"
        if label != p.label:
            plan.correction = (p.text, label)
        p = p.model_copy(
            update={
                "label": label,
                "needs_clarification": False,
                "confidence": 1.0,
                "rationale": f"You said it is an {label}.",
            }
        )
    else:
        p = p.model_copy(update={"needs_clarification": False})
    st.clarifying = None
    _begin(plan, p)
    return plan


def _laddered(plan: Plan, chain: Chain, c: Classification) -> Plan:
    st = plan.state
    st.focus = Pending.of(c)
    if c.label == "outcome":
        _reach_outcome(plan, chain, outcome_form(c.text))
        return plan
    chain.rungs.append(c.text)
    if len(chain.rungs) >= MAX_RUNGS:
        chain.status = "unresolved"
        ladder = " → ".join([chain.origin, *chain.rungs])
        plan.say("ladder_limit", ladder=ladder, last=chain.rungs[-1], next="")
        _advance(plan)
        return plan
    fam = family(chain.origin)
    plan.ask("ladder_next", answer=c.text.rstrip(". "), who=default_who(fam))
    return plan


def _baseline(plan: Plan, chain: Chain, ans: BaselineAnswer) -> Plan:
    st = plan.state
    chain.baseline = "unknown" if ans.unknown and not ans.baseline else (ans.baseline or chain.baseline)
    chain.target = ans.target or chain.target
    chain.by_when = ans.when or chain.by_when
    m = chain.measures[0] if chain.measures else None
    if chain.baseline == "unknown":
        how = m.collectability if m else "ask who owns the data, and how often it refreshes."
        plan.say("baseline_unknown", how=how, target=chain.target or "[target]", when=chain.by_when or "[date]")
        _advance(plan)
        return plan
    if chain.baseline and chain.target and chain.by_when:
        name = m.name if m else "the measure"
        chain.outcome_statement = (
            f"{name}: from {chain.baseline} to {chain.target} by {chain.by_when} — {chain.outcome}"
        )
        plan.say(
            "outcome_statement",
            statement=chain.outcome_statement,
            owner=f"the {m.data_owner}" if m else "someone",
            cadence=m.cadence if m else "regularly",
            source=m.data_sources[0] if m and m.data_sources else "your systems",
        )
        _advance(plan)
        return plan
    if not st.asked_missing:
        st.asked_missing = True
        missing = [
            n for n, v in (("baseline", chain.baseline), ("target", chain.target), ("date", chain.by_when)) if not v
        ]
        plan.question = f"Thanks. What about the {' and the '.join(missing)}? (or say 'skip')"
        return plan
    _advance(plan)
    return plan


def _correct(plan: Plan, label: Label) -> Plan:
    st = plan.state
    focus = st.clarifying or st.focus
    if focus is None:
        plan.question = "Which statement do you mean? Type it again and I'll take another look."
        return plan
    if focus.label == label:
        plan.say("confirmed", text=focus.text, label=label)
    else:
        plan.correction = (focus.text, label)
        plan.say("correction", text=focus.text, label=label)
    chain = _chain(plan)
    corrected = focus.model_copy(
        update={
            "label": label,
            "needs_clarification": False,
            "confidence": 1.0,
            "rationale": f"You said it is an {label}.",
        }
    )
    st.focus = corrected
    if st.phase == "clarify":
        st.clarifying = None
        _begin(plan, corrected)
    elif chain is not None and label == "outcome" and st.phase == "laddering":
        _reach_outcome(plan, chain, outcome_form(focus.text))
    elif chain is not None and label == "output" and chain.origin == focus.text and chain.origin_label == "outcome":
        plan.chains.remove(chain)
        _begin(plan, corrected)
    elif chain is not None and label == "output" and st.phase == "laddering":
        fam = family(chain.origin)
        if focus.text not in chain.rungs and focus.text != chain.origin:
            chain.rungs.append(focus.text)
        plan.ask("ladder_next", answer=focus.text.rstrip(". "), who=default_who(fam))
    else:
        _reask(plan)
    return plan
