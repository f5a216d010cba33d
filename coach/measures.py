"""Outcome → proposed measures: hybrid ranking over the whole library, a re-rank, honest fit labels, and a
measure drafted from the outcome itself when the library has nothing close.

Ranking (`MeasureProposer.rank`), per library measure:
- meaning: cosine similarity of the outcome to the measure (wording, themes, keywords) and to its best
  outcome theme;
- key terms: BM25 over stemmed words (coach/retrieval.py), weighted by how much of the outcome's own
  vocabulary the measure covers, plus the measure's keywords (the synonyms people use: "fcr", "rough sleeping",
  and a short name without its counting words: "repeat incident");
- context (optional): the output that led to the outcome and the session's domain;
- population: a measure about another kind of people (customers vs staff) is pushed down.
Then a re-rank: the domain most of the best candidates agree on gets a small lift, near-duplicates are
dropped, and the set holds a leading and a lagging measure — each on topic (fit at or above the floor). A
kind with no on-topic measure is drafted from the outcome rather than filled with an off-topic one.

The fit floor and the label thresholds are calibrated on the tuning half of
bench/data/measure-relevance.jsonl (`python -m bench.calibrate_measures`); `coach eval-measures` reports the
other half.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from coach.domain import Measure, ProposedMeasure
from coach.drafting import draft_measures
from coach.knowledge import measure_from_meta
from coach.numbers import example_answer
from coach.population import PeopleFinder, SpacyPeople, kinds_of, population_class, same_kind
from coach.ports import Embedder, KnowledgeIndex
from coach.retrieval import LexicalIndex, tokens

# Fit thresholds, calibrated on the tuning half of the relevance set with `python -m bench.calibrate_measures`
# (the pair serving most outcomes among those reaching precision 0.90 and saying "no close match" for 85 % of
# the outcomes nothing fits there). Both rose (0.56 → 0.62, 0.63 → 0.64) once every measure had outcome themes
# in everyday words: fits run higher, for fitting and unfitting outcomes alike. On unseen outcomes a "close
# match" is accepted nearly nine times in ten; a "partial match" (between the floor and a close match, a narrow
# band now) is rare: 5 on the test half, 4 accepted.
_CAUSE = re.compile(r"[\s,;]+(?:because|thanks to|due to|owing to|as a result of)\b.*$", re.IGNORECASE | re.DOTALL)
FIT_FLOOR = 0.62  # below: "the library has no close match", a measure is drafted
CLOSE_MATCH = 0.64  # at or above: "close match"; between the floor and this: "partial match"
SECOND_GAP = 0.08  # a further measure must be a close match and this close to the best one
NEAR_DUPLICATE = 0.5  # share of name words two measures may have in common before one is dropped
_DEFAULT_PEOPLE = SpacyPeople()  # one parser per process, loaded on first use
__all__ = ["Context", "MeasureProposer", "Scored", "Weights", "adapt", "population", "population_class", "prompts"]


@dataclass(frozen=True)
class Weights:
    """How the signals add up to a fit (0..1). Chosen by reasoning, checked on the tuning half only."""

    dense: float = 0.45
    theme: float = 0.25
    lexical: float = 0.20
    keyword: float = 0.10
    context: float = 0.10
    domain: float = 0.05
    population: float = 0.12


@dataclass
class Context:
    """What led to the outcome: the output and the rungs climbed, and the session's domain so far."""

    texts: Sequence[str] = ()
    domain: str | None = None


@dataclass
class Scored:
    measure: Measure
    fit: float
    parts: dict[str, float] = field(default_factory=dict)


@dataclass
class _Library:
    key: int
    measures: list[Measure]
    embeddings: np.ndarray
    theme_vecs: np.ndarray
    theme_owner: np.ndarray
    lexical: LexicalIndex
    keywords_by_token: dict[str, list[tuple[int, tuple[str, ...]]]]
    name_words: list[set[str]]
    classes: list[frozenset[str]]
    kinds: np.ndarray


def adapt(measure: Measure, who: str | None) -> Measure:
    """The measure as shown, its `{who}` slot filled with the person's population when it is the same kind of
    people ('customers' may become 'business customers', never 'payroll staff'); otherwise the library's own
    population. A measure without a slot keeps its wording whatever the population."""
    if not who or not measure.has_slot or who.strip().lower() == measure.who.strip().lower():
        return measure.rendered()
    if not same_kind(who, measure.who):
        return measure.rendered()
    return measure.rendered(who.strip())


def prompts(m: Measure) -> tuple[str, str, str]:
    """Baseline and target questions (with an example that moves the measure's way) and where the data lives."""
    source = m.data_sources[0] if m.data_sources else "the system that records it"
    baseline = (
        f"What is today's value of '{m.name}' for {m.who}? If nobody knows yet, say 'baseline unknown' — "
        f"it can be read from {source} (ask the {m.data_owner}); it refreshes {m.cadence}."
    )
    better = "higher is better" if m.direction == "increase" else "lower is better"
    verb = "raise it" if m.direction == "increase" else "bring it down"
    target = f"How far do you want to {verb}, and by when? ({better}; e.g. '{example_answer(m)}')"
    collect = f"Data: {', '.join(m.data_sources)}. Owner: {m.data_owner}. Refreshed {m.cadence}."
    return baseline, target, collect


def fit_label(fit: float) -> str:
    return "close match" if fit >= CLOSE_MATCH else "partial match"


class MeasureProposer:
    def __init__(
        self,
        embedder: Embedder,
        index: KnowledgeIndex,
        candidates: int = 12,
        people: PeopleFinder | None = None,
        weights: Weights | None = None,
    ) -> None:
        self.embedder = embedder
        self.index = index
        self.candidates = candidates
        self.people: PeopleFinder = people if people is not None else _DEFAULT_PEOPLE
        self.weights = weights or Weights()
        self._lib: _Library | None = None
        self._lock = threading.Lock()

    # ----- the library, in memory ---------------------------------------------------------------------------
    def warm(self) -> None:
        """Load the library (and embed its outcome themes) and the population parser once."""
        self._library()
        warm = getattr(self.people, "warm", None)
        if warm:
            warm()

    def invalidate(self) -> None:
        self._lib = None

    def library_ids(self) -> list[str]:
        lib = self._library()
        return [m.id for m in lib.measures] if lib else []

    def _library(self) -> _Library | None:
        snap = self.index.snapshot("measures")  # kept in memory by the index until it changes
        if not snap.ids:
            return None
        key = hash((tuple(snap.ids), tuple(snap.documents)))
        lib = self._lib
        if lib is not None and lib.key == key:
            return lib
        with self._lock:
            if self._lib is not None and self._lib.key == key:
                return self._lib
            measures = [measure_from_meta(md) for md in snap.metadatas]
            themes = [t for m in measures for t in m.outcome_themes]
            owner = np.asarray([i for i, m in enumerate(measures) for _ in m.outcome_themes], dtype=np.int64)
            theme_vecs = self.embedder.embed(themes) if themes else np.zeros((0, self.embedder.dimension), np.float32)
            docs = []
            for m in measures:
                shown = m.rendered()
                docs.append(
                    " ".join([shown.name, shown.name, shown.definition, *m.outcome_themes, *m.keywords, *m.keywords])
                )
            self._lib = _Library(
                key=key,
                measures=measures,
                embeddings=np.asarray(snap.embeddings, dtype=np.float32),
                theme_vecs=np.asarray(theme_vecs, dtype=np.float32),
                theme_owner=owner,
                lexical=LexicalIndex(docs),
                keywords_by_token=_keyword_index(measures),
                name_words=[set(tokens(m.rendered().name)) for m in measures],
                classes=[kinds_of(m.who) for m in measures],
                kinds=np.asarray([m.kind for m in measures]),
            )
            return self._lib

    # ----- ranking ------------------------------------------------------------------------------------------
    def rank(
        self,
        outcome: str,
        vector: np.ndarray | None = None,
        context: Context | str | Sequence[str] | None = None,
        keep: int | None = None,
    ) -> list[Scored]:
        """Every library measure with its fit to the outcome, best first; with `keep`, only the first `keep` and any
        others within `SECOND_GAP` of the best (all that `select` can choose from)."""
        lib = self._library()
        if lib is None:
            return []
        w = self.weights
        ctx = _as_context(context)
        vec = vector if vector is not None else self.embedder.embed([outcome])[0]
        dense = lib.embeddings @ vec
        theme = np.full(len(lib.measures), -1.0, dtype=np.float32)
        if len(lib.theme_owner):
            np.maximum.at(theme, lib.theme_owner, lib.theme_vecs @ vec)
        q = tokens(outcome)
        lexical = 0.5 * lib.lexical.scores(outcome) + 0.5 * lib.lexical.coverage(q)
        qset = set(q)
        keyword = np.zeros(len(lib.measures), dtype=np.float32)
        for t in qset:  # a two-word synonym matched counts fully, a single word half
            for i, kw in lib.keywords_by_token.get(t, ()):
                if all(x in qset for x in kw):
                    keyword[i] = max(keyword[i], min(len(kw), 2) / 2)
        fit = w.dense * dense + w.theme * theme + w.lexical * lexical + w.keyword * keyword
        ctx_score = np.zeros_like(fit)
        if ctx.texts:
            cvec = self.embedder.embed([" ".join(ctx.texts)])[0]
            ctx_score = np.clip(lib.embeddings @ cvec - dense, 0.0, None)  # only what the context adds
            fit = fit + w.context * ctx_score
        who = self.people.population(outcome)
        clash = np.zeros_like(fit)
        if who:
            mine = kinds_of(who)
            clash = np.asarray([bool(k) and not (k & mine) for k in lib.classes], np.float32)
            fit = fit - w.population * clash
        # re-rank: the domain the best candidates agree on (and the session's domain) gets a lift
        top = np.argsort(-fit)[: self.candidates]
        votes: dict[str, float] = {}
        for i in top:
            d = lib.measures[i].domain
            votes[d] = votes.get(d, 0.0) + max(float(fit[i]), 0.0)
        total = sum(votes.values()) or 1.0
        if ctx.domain:
            votes[ctx.domain] = votes.get(ctx.domain, 0.0) + total * 0.5
            total *= 1.5
        domain = np.asarray([votes.get(m.domain, 0.0) / total for m in lib.measures], np.float32)
        fit = fit + w.domain * domain
        order = np.argsort(-fit)
        if keep is not None and len(order):
            order = order[: max(keep, int((fit >= fit[order[0]] - SECOND_GAP).sum()))]
        return [
            Scored(
                lib.measures[i],
                float(fit[i]),
                {
                    "dense": float(dense[i]),
                    "theme": float(theme[i]),
                    "lexical": float(lexical[i]),
                    "keyword": float(keyword[i]),
                    "context": float(ctx_score[i]),
                    "domain": float(domain[i]),
                    "population": float(clash[i]),
                },
            )
            for i in order
        ]

    # ----- proposing ----------------------------------------------------------------------------------------
    def propose(
        self,
        outcome: str,
        k: int = 3,
        vector: np.ndarray | None = None,
        context: Context | str | Sequence[str] | None = None,
    ) -> list[ProposedMeasure]:
        """Up to k measures: on topic, no near-duplicates, a leading and a lagging one when k ≥ 2 — a kind
        the library cannot fill on topic is drafted from the outcome. Empty if no measure is indexed."""
        core = measured_part(outcome)
        if core != outcome:  # what is measured is the change, not the reason given for it
            outcome, vector = core, None
        ranked = self.rank(outcome, vector, context, keep=2 * k + 4)
        if not ranked:
            return []
        chosen = self.select(ranked, k)
        who = self.people.population(outcome)
        out = [self._proposed(s, who) for s in chosen]
        missing = _missing_kinds(out, k)
        if not chosen or missing:
            ctx = _as_context(context)
            output = ctx.texts[0] if isinstance(context, Context) and ctx.texts else None
            drafts = draft_measures(outcome, who, kinds=missing or ["lagging"], people=self.people, output=output)
            out = out[: max(0, k - len(drafts))] + drafts[:k]
        return out

    @staticmethod
    def select(
        ranked: Sequence[Scored],
        k: int,
        floor: float = FIT_FLOOR,
        close: float = CLOSE_MATCH,
        gap: float = SECOND_GAP,
    ) -> list[Scored]:
        """The best measure if it clears the floor; further ones only if they are close matches near the best.
        No near-duplicates; both kinds when k ≥ 2 and both are on topic (a missing kind is drafted instead)."""
        if not ranked or ranked[0].fit < floor or k < 1:
            return []
        best = ranked[0]
        on_topic = [best] + [s for s in ranked[1:] if s.fit >= close and best.fit - s.fit <= gap]
        chosen: list[Scored] = []
        for s in on_topic:
            if len(chosen) >= k:
                break
            if not any(_near_duplicate(s.measure, c.measure) for c in chosen):
                chosen.append(s)
        if k >= 2:
            for need in ("leading", "lagging"):
                if any(c.measure.kind == need for c in chosen):
                    continue
                alt = next(
                    (
                        s
                        for s in on_topic
                        if s.measure.kind == need
                        and s not in chosen
                        and not any(_near_duplicate(s.measure, c.measure) for c in chosen)
                    ),
                    None,
                )
                if alt is None:
                    continue
                if len(chosen) >= k:
                    chosen[-1] = alt
                else:
                    chosen.append(alt)
        return sorted(chosen, key=lambda s: -s.fit)

    def _proposed(self, s: Scored, who: str | None) -> ProposedMeasure:
        adapted = adapt(s.measure, who)
        baseline, target, collect = prompts(adapted)
        fit = round(max(0.0, min(1.0, s.fit)), 3)
        return ProposedMeasure(
            **adapted.model_dump(),
            library_id=s.measure.id,
            fit=fit,
            fit_label=fit_label(fit),  # type: ignore[arg-type]
            baseline_prompt=baseline,
            target_prompt=target,
            collectability=collect,
        )


# Words that say how a measure counts, not what it counts: left out when a measure's name serves as a keyword.
_COUNTING_WORDS = frozenset(
    tokens("rate share score index number time days hours trend per level count percentage proportion")
)


def _keyword_index(measures: Sequence[Measure]) -> dict[str, list[tuple[int, tuple[str, ...]]]]:
    """Each keyword's words, filed under its first word: only keywords that can match are looked at. A short name
    is a keyword too, without its counting words ('Repeat incident rate' → 'repeat incident'): an outcome that
    says 'fewer repeat incidents' names the measure itself."""
    out: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    for i, m in enumerate(measures):
        for k in m.keywords:
            kw = tuple(tokens(k))
            if kw:
                out.setdefault(kw[0], []).append((i, kw))
        if "{who}" not in m.name:  # a name about a population is a sentence, not a term
            kw = tuple(t for t in tokens(m.name) if t not in _COUNTING_WORDS)
            if 2 <= len(kw) <= 3:  # one word is too common to name a measure, four are a description
                out.setdefault(kw[0], []).append((i, kw))
    return out


def _missing_kinds(out: list[ProposedMeasure], k: int) -> list[str]:
    if k < 2:
        return []
    have = {m.kind for m in out}
    return [kind for kind in ("lagging", "leading") if kind not in have]


def _near_duplicate(a: Measure, b: Measure) -> bool:
    wa, wb = set(tokens(a.rendered().name)), set(tokens(b.rendered().name))
    if not wa or not wb:
        return False
    return a.name.lower() == b.name.lower() or len(wa & wb) / len(wa | wb) >= NEAR_DUPLICATE


def measured_part(outcome: str) -> str:
    """The outcome without a trailing reason ("customers renew their contracts because they see what's new" →
    "customers renew their contracts"): the reason says why it happens, the measure counts that it happens."""
    core = _CAUSE.sub("", outcome).strip()
    return core if len(core.split()) >= 2 else outcome


def _as_context(context: Context | str | Sequence[str] | None) -> Context:
    if context is None:
        return Context()
    if isinstance(context, Context):
        return context
    if isinstance(context, str):
        return Context(texts=[context] if context.strip() else [])
    return Context(texts=[c for c in context if c and c.strip()])


def population(text: str) -> str | None:
    """The group an outcome is about ('payroll staff', 'new hires', 'patients'), parsed from the sentence."""
    return _DEFAULT_PEOPLE.population(text)
