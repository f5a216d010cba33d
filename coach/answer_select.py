"""Selection: from one guidance section, the sentences or the whole list that answer a question, in order.

Sentences are never cut and lists are kept whole; a sentence that leads into a list brings the list with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from coach.answer_text import Question, Unit, introduces_list, list_size
from coach.retrieval import tokens

_DEFINES = re.compile(r"\b(?:is|are|means|refers to|describes|stands for|is called)\b", re.I)
_EXAMPLE = re.compile(r"\b(?:for example|for instance|e\.g\.|such as|example)\b|[“\"]|\bOutput:", re.I)
_REASON = re.compile(r"\b(?:because|so that|since|the reason|which is why|otherwise)\b", re.I)


_TERM_IS = re.compile(
    r"^(?:an?|the)?\s*\**([^*]{1,80}?)\**\s+(?:is|are|means|refers to|stands for)\s+(?:a|an|the|when|what|how|that)\b",
    re.I,
)
_TERM_DASH = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+\*\*([^*]{1,80})\*\*\s*[—–:]", re.M)


def defines(u: Unit, term: frozenset[str]) -> bool:
    """The unit defines the term: "A logic model is a …", or a list item "**On time in full (OTIF)** — …"."""
    if not term:
        return False
    heads = [m.group(1) for m in _TERM_DASH.finditer(u.text)] if u.kind == "list" else []
    m = _TERM_IS.match(u.text) if u.kind == "sentence" else None
    if m:
        heads.append(m.group(1))
    return any(term <= (h := frozenset(tokens(head))) and len(h - term) <= 3 for head in heads)


def repeats(u: Unit, said: list[Unit]) -> bool:
    """Says what an already chosen unit says (most of its words are there)."""
    return any(len(u.stems & v.stems) >= 0.6 * max(1, min(len(u.stems), len(v.stems))) for v in said)


def is_example(u: Unit) -> bool:
    return bool(_EXAMPLE.search(u.text))


def next_units(avail: list[Unit]) -> list[Unit]:
    first = avail[0]
    chosen = [first]
    if first.kind == "sentence" and len(avail) > 1 and avail[1].kind == "sentence":
        chosen.append(avail[1])
    return _with_lists(chosen, avail)


def select(avail: list[Unit], q: Question, budget: int = 600) -> list[Unit]:
    """The units of a section that answer `q`, in the section's order: sentences never cut, lists whole.

    First the core the question's kind asks for (the definition, both sides, the list and what leads into it),
    then the most relevant other sentences while the prose stays within `budget` characters."""
    if not avail:
        return []
    qs = q.stems
    focus = frozenset(tokens(q.focus)) if q.focus else frozenset()
    lead = avail[0]

    def rel(u: Unit) -> float:
        score = len(qs & u.stems) / max(1, len(qs)) + (0.35 if u is lead else 0.0)
        if q.kind == "definition" and focus and focus <= u.stems and _DEFINES.search(u.text):
            score += 0.5
        if q.kind == "why" and _REASON.search(u.text):
            score += 0.2
        if q.kind == "example" and is_example(u):
            score += 0.5
        return score

    sents = [u for u in avail if u.kind == "sentence"]
    lists = [u for u in avail if u.kind == "list"]
    if q.kind in ("list", "howto", "example") and lists:
        best = max(lists, key=lambda u: rel(u) + (1.0 if q.count and list_size(u) == q.count else 0.0))
        core = [best, *([lead] if lead.kind == "sentence" else [])]
    elif q.kind == "difference" and q.sides and sents:
        core = _both_sides(sents, q, rel)
    else:
        pool = sents or avail
        core = [max(pool, key=rel)]
    chosen = _with_lists(core, avail)
    prose = sum(len(u.text) for u in chosen if u.kind == "sentence")
    for u in sorted(sents, key=lambda u: -rel(u)):
        if u in chosen or prose + len(u.text) > budget:
            continue
        chosen.append(u)
        prose += len(u.text)
    if q.kind in ("list", "howto", "example"):
        chosen = _with_lists(chosen, avail)
    else:  # a list comes only with the sentence that leads into it
        chosen = _with_lists([u for u in chosen if u.kind == "sentence"] + [u for u in core if u.kind == "list"], avail)
    return chosen


def _both_sides(pool: list[Unit], q: Question, score: Callable[[Unit], float]) -> list[Unit]:
    """The sentences that speak of both sides (or of each), best first, for "what's the difference"."""
    assert q.sides is not None
    a, b = (frozenset(tokens(s)) for s in q.sides)
    own_a, own_b = (a - b) or a, (b - a) or b
    both = [u for u in pool if own_a & u.stems and own_b & u.stems]
    chosen = [max(both, key=score)] if both else [max(pool, key=lambda u: (bool((own_a | own_b) & u.stems), score(u)))]
    said = frozenset().union(*(u.stems for u in chosen))
    for own in (own_a, own_b):
        if not own & said:
            side = [u for u in pool if own & u.stems and u not in chosen]
            if side:
                chosen.append(max(side, key=score))
                said |= chosen[-1].stems
    if len(chosen) == 1:
        rest = [u for u in pool if u not in chosen and (own_a | own_b) & u.stems]
        if rest:
            chosen.append(max(rest, key=score))
    return _ordered(chosen)


def _before(u: Unit, avail: list[Unit]) -> Unit | None:
    prev = [v for v in avail if v.pos == u.pos - 1]
    return prev[0] if prev and prev[0].kind == "sentence" else None


def _with_lists(chosen: list[Unit], avail: list[Unit]) -> list[Unit]:
    """A sentence that leads into a list brings the whole list; a list brings the sentence that leads into it."""
    by_pos = {u.pos: u for u in avail}
    out = list(chosen)
    for u in chosen:
        nxt = by_pos.get(u.pos + 1)
        if nxt is not None and nxt not in out and introduces_list(u, nxt):
            out.append(nxt)
        if u.kind == "list":
            intro = _before(u, avail)
            if intro is not None and intro not in out:
                out.append(intro)
    return _ordered(out)


def _ordered(chosen: list[Unit]) -> list[Unit]:
    return sorted(set(chosen), key=lambda u: u.pos) if chosen else []


def render(chosen: list[Unit]) -> str:
    """Sentences of one paragraph joined by a space; a list on its own lines, markers kept."""
    lines: list[str] = []
    last_block = -1
    for u in chosen:
        if u.kind == "sentence" and u.block == last_block and lines:
            lines[-1] += " " + u.text
        else:
            lines.append(u.text)
        last_block = u.block
    return "\n".join(lines)
