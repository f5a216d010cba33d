"""Outcome → proposed measures: retrieve by meaning, re-rank by outcome themes, balance leading and lagging,
adapt the wording to the person's own population, and ask for baseline and target instead of inventing them."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from coach.cues import _BENEFICIARY
from coach.domain import Measure, ProposedMeasure
from coach.knowledge import measure_from_meta
from coach.ports import Embedder, KnowledgeIndex

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


_CLASSES = {
    "customers": r"customers?|clients?|users?|subscribers?|buyers?|shoppers?|guests?|members?|accounts?|passengers?|visitors?|readers?|viewers?|audiences?|fans|businesses",
    "staff": r"staff|employees?|managers?|new hires|hires|starters|workers?|colleagues|engineers?|developers?|agents?|nurses?|teachers?|analysts?|operators?|volunteers?|apprentices?|graduates?|leaders?|team|teams|reps?|budget holders?|carers?|foster carers?",
    "patients": r"patients?|people with \w+|smokers?",
    "learners": r"pupils?|students?|learners?|children|young people|parents?",
    "supporters": r"donors?|supporters?|givers?|pledgers?|fundraisers?|sponsors?|funders?",
    "decision makers": r"decision ?makers?|policy ?makers?|ministers?|commissioners?|boards?|trustees?|executives?",
    "public": r"residents?|citizens?|households?|families|family|tenants?|communities|community|people|applicants?|adults|older people|women|men|girls|boys|survivors?|veterans?|drivers?|farmers?",
}
_CLASS_RE = {k: re.compile(rf"\b(?:{v})$", re.IGNORECASE) for k, v in _CLASSES.items()}


def population_class(who: str | None) -> str | None:
    if not who:
        return None
    w = who.strip().lower()
    for name, pattern in _CLASS_RE.items():
        if pattern.search(w):
            return name
    return None


def adapt(measure: Measure, who: str | None) -> Measure:
    """Replace the library's population with the person's own — only for measures about the same kind of
    people (customers stay customers: 'customers' may become 'business customers', never 'staff')."""
    if not who or not _PEOPLE.match(measure.who.strip()) or who.lower() == measure.who.lower():
        return measure
    kind = population_class(who)
    if kind is None or kind != population_class(measure.who):
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


DomainPrior = Callable[[np.ndarray], dict[str, float]]
DOMAIN_WEIGHT = 0.25
POPULATION_PENALTY = 0.12


class MeasureProposer:
    """Ranks library measures for an outcome: meaning (0.6), best outcome theme (0.4), and a domain prior —
    the domains of the labelled statements nearest to the outcome — so 'staff stay' prefers HR measures."""

    def __init__(
        self, embedder: Embedder, index: KnowledgeIndex, candidates: int = 30, domain_prior: DomainPrior | None = None
    ) -> None:
        self.embedder = embedder
        self.index = index
        self.candidates = candidates
        self.domain_prior = domain_prior

    def propose(self, outcome: str, k: int = 3, vector: np.ndarray | None = None) -> list[ProposedMeasure]:
        vec = vector if vector is not None else self.embedder.embed([outcome])[0]
        hits = self.index.search(vec, kind="measures", k=self.candidates)
        measures = [measure_from_meta(h.metadata) for h in hits]
        if not measures:
            return []
        themes = [t for m in measures for t in m.outcome_themes]
        theme_vecs = self.embedder.embed(themes)
        theme_sim = theme_vecs @ vec
        prior = self.domain_prior(vec) if self.domain_prior else {}
        who_class = population_class(population(outcome))
        scored: list[tuple[float, Measure]] = []
        pos = 0
        for h, m in zip(hits, measures, strict=True):
            n = len(m.outcome_themes)
            best_theme = float(theme_sim[pos : pos + n].max()) if n else 0.0
            pos += n
            score = 0.6 * h.score + 0.4 * best_theme + DOMAIN_WEIGHT * prior.get(m.domain, 0.0)
            m_class = population_class(m.who)
            if who_class and m_class and m_class != who_class:
                score -= POPULATION_PENALTY
            scored.append((score, m))
        scored.sort(key=lambda s: -s[0])
        chosen = self._balanced(scored, k)
        if k >= 2:
            chosen = self._fill_kind_from_domain(chosen, vec, k)
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

    def _fill_kind_from_domain(
        self, chosen: list[tuple[float, Measure]], vec: np.ndarray, k: int
    ) -> list[tuple[float, Measure]]:
        """If leading or lagging is still missing, look for it inside the best measure's own domain."""
        kinds = {m.kind for _, m in chosen}
        if not chosen or len(kinds) == 2:
            return chosen
        need = "leading" if "lagging" in kinds else "lagging"
        domain = chosen[0][1].domain
        try:
            hits = self.index.search(vec, kind="measures", k=3, where={"$and": [{"domain": domain}, {"kind": need}]})
        except Exception:  # a store without filters keeps the unbalanced list
            return chosen
        names = {m.name.lower() for _, m in chosen}
        for h in hits:
            m = measure_from_meta(h.metadata)
            if m.name.lower() not in names:
                replaced = chosen[:-1] if len(chosen) >= k else chosen
                return [*replaced, (h.score, m)]
        return chosen

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
                    alt = next(
                        (
                            s
                            for s in scored
                            if s[1].kind == need and s not in chosen and s[1].domain == chosen[0][1].domain
                        ),
                        None,
                    )
                    if alt is not None:
                        # replace the weakest of the over-represented kind
                        idx = max(i for i, (_, m) in enumerate(chosen) if m.kind != need)
                        chosen[idx] = alt
        return sorted(chosen, key=lambda s: -s[0])
