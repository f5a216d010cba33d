"""Outcome → proposed measures: retrieve by meaning, re-rank by outcome themes, balance leading and lagging,
adapt the wording to the person's own population, and ask for baseline and target instead of inventing them."""

from __future__ import annotations

import re

import numpy as np

from coach.adapters.chroma import measure_from_meta
from coach.cues import _BENEFICIARY
from coach.domain import Measure, ProposedMeasure
from coach.ports import Embedder, Retriever

_PEOPLE = re.compile(rf"^(?:the\s+)?(?:\w+\s+)?(?:{_BENEFICIARY})$", re.IGNORECASE)
_POPULATION = re.compile(
    rf"\b((?:(?!the\b|our\b|all\b|more\b|fewer\b|every\b|most\b|their\b|a\b|an\b)[a-z][\w-]*\s+)?(?:{_BENEFICIARY}))\b",
    re.IGNORECASE,
)
_NOT_MODIFIERS = {
    "can",
    "will",
    "now",
    "so",
    "that",
    "where",
    "when",
    "and",
    "or",
    "of",
    "for",
    "to",
    "by",
    "with",
    "whose",
    "helps",
    "help",
    "lets",
    "let",
    "makes",
    "make",
    "gives",
    "give",
    "allows",
    "enables",
    "means",
    "gets",
    "keeps",
    "supports",
    "serves",
    "tells",
    "shows",
    "asks",
    "brings",
    "takes",
    "leaves",
    "is",
    "are",
    "was",
    "were",
    "be",
    "if",
    "as",
    "than",
    "which",
    "who",
    "these",
    "those",
    "this",
    "some",
    "many",
    "any",
    "each",
    "other",
    "it",
    "they",
    "them",
    "we",
    "us",
    "you",
    "your",
    "his",
    "her",
    "its",
    "my",
    "at",
    "in",
    "on",
    "from",
    "into",
}
_GENERIC = {"people", "teams", "team", "the business", "stakeholders", "partners"}


def population(text: str) -> str | None:
    """The group an outcome is about ('payroll staff', 'new hires', 'patients'), if it names one."""
    m = _POPULATION.search(text)
    if not m:
        return None
    phrase = m.group(1).strip()
    words = phrase.split()
    if len(words) == 2 and (words[0].lower() in _NOT_MODIFIERS or words[0].lower().endswith(("ly", "'s"))):
        phrase = words[1]
    if phrase.lower() in _GENERIC:
        return None
    first = phrase.split()[0]
    if first[:1].isupper() and not first.isupper():
        phrase = first.lower() + phrase[len(first) :]
    return phrase


def adapt(measure: Measure, who: str | None) -> Measure:
    """Replace the library's population with the person's own, for measures about people."""
    if not who or not _PEOPLE.match(measure.who.strip()) or who.lower() == measure.who.lower():
        return measure
    pattern = re.compile(rf"\b{re.escape(measure.who)}\b", re.IGNORECASE)
    data = measure.model_dump()
    for field in ("definition", "calculation", "name"):
        data[field] = pattern.sub(who, data[field])
    data["who"] = who
    data["name"] = data["name"][:1].upper() + data["name"][1:]
    return Measure.model_validate(data)


def _prompts(m: Measure) -> tuple[str, str, str]:
    source = m.data_sources[0] if m.data_sources else "the system that records it"
    baseline = (
        f"What is today's value of '{m.name}' for {m.who}? If nobody knows yet, say 'baseline unknown' — "
        f"it can be read from {source} (ask the {m.data_owner}); it refreshes {m.cadence}."
    )
    verb = "raise it" if m.direction == "increase" else "bring it down"
    target = f"How far do you want to {verb}, and by when? (e.g. 'from X to Y by June')"
    collect = f"Data: {', '.join(m.data_sources)}. Owner: {m.data_owner}. Refreshed {m.cadence}."
    return baseline, target, collect


class MeasureProposer:
    def __init__(self, embedder: Embedder, retriever: Retriever, candidates: int = 20) -> None:
        self.embedder = embedder
        self.retriever = retriever
        self.candidates = candidates

    def propose(self, outcome: str, k: int = 3, vector: np.ndarray | None = None) -> list[ProposedMeasure]:
        vec = vector if vector is not None else self.embedder.embed([outcome])[0]
        hits = self.retriever.search(vec, kind="measures", k=self.candidates)
        measures = [Measure.model_validate(measure_from_meta(h.metadata)) for h in hits]
        if not measures:
            return []
        themes = [t for m in measures for t in m.outcome_themes]
        theme_vecs = self.embedder.embed(themes)
        theme_sim = theme_vecs @ vec
        scored: list[tuple[float, Measure]] = []
        pos = 0
        for h, m in zip(hits, measures, strict=True):
            n = len(m.outcome_themes)
            best_theme = float(theme_sim[pos : pos + n].max()) if n else 0.0
            pos += n
            scored.append((0.6 * h.score + 0.4 * best_theme, m))
        scored.sort(key=lambda s: -s[0])
        chosen = self._balanced(scored, k)
        who = population(outcome)
        out: list[ProposedMeasure] = []
        for fit, m in chosen:
            adapted = adapt(m, who)
            baseline, target, collect = _prompts(adapted)
            out.append(
                ProposedMeasure(
                    **adapted.model_dump(),
                    library_id=m.id,
                    fit=round(max(0.0, min(1.0, fit)), 3),
                    baseline_prompt=baseline,
                    target_prompt=target,
                    collectability=collect,
                )
            )
        return out

    @staticmethod
    def _balanced(scored: list[tuple[float, Measure]], k: int) -> list[tuple[float, Measure]]:
        """Best k by fit, at least one leading and one lagging when k ≥ 2, no two with the same name."""
        chosen: list[tuple[float, Measure]] = []
        names: set[str] = set()
        for s in scored:
            if s[1].name.lower() not in names and len(chosen) < k:
                chosen.append(s)
                names.add(s[1].name.lower())
        if k >= 2:
            for need in ("leading", "lagging"):
                if chosen and not any(m.kind == need for _, m in chosen):
                    alt = next((s for s in scored if s[1].kind == need and s not in chosen), None)
                    if alt is not None:
                        # replace the weakest of the over-represented kind
                        idx = max(i for i, (_, m) in enumerate(chosen) if m.kind != need)
                        chosen[idx] = alt
        return sorted(chosen, key=lambda s: -s[0])
