"""Lexical retrieval for hybrid ranking: BM25 (rank-bm25) over stemmed words (snowballstemmer).

Dense similarity finds passages that mean the same thing; BM25 makes sure that a passage naming the person's
key terms ("repeat incidents", "rough sleeping") is not outranked by one that is merely about something near.
`LexicalIndex` is built once per collection snapshot and scores a query against every document in about a
millisecond for the knowledge base's size; `fuse` combines the two signals.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import snowballstemmer
from rank_bm25 import BM25Okapi

_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers herself him himself his how i if in into is it its itself just let me more most my myself no nor
    not of off on once only or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves get gets got make
    makes made us one also want wants""".split()  # noqa: SIM905
) | frozenset(
    # the direction of a change says nothing about what is measured: "fewer repeat incidents" is about incidents
    """fewer less more better worse faster quicker sooner slower higher lower""".split()  # noqa: SIM905
)
_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return str(_stemmer.stemWord(word))


def tokens(text: str) -> list[str]:
    """Lower-cased, stop words out, stemmed ('incidents' → 'incid', 'sleeping' → 'sleep'); a hyphenated word
    counts as its parts ('first-year' → 'first', 'year') so it meets the same words written apart."""
    out: list[str] = []
    for w in _WORD.findall(text.lower().replace("’", "'")):
        for part in w.split("-") if "-" in w else (w,):
            if part and part not in STOPWORDS:
                out.append(_stem(part))
    return out


class LexicalIndex:
    """BM25 over a fixed list of documents. Scores are scaled to 0..1 by the best score of the query."""

    def __init__(self, documents: Sequence[str]) -> None:
        self.size = len(documents)
        corpus = [tokens(d) or ["∅"] for d in documents]
        self._bm25 = BM25Okapi(corpus) if corpus else None
        self._postings: dict[str, np.ndarray] = {}
        holders: dict[str, list[int]] = {}
        for i, doc in enumerate(corpus):
            for t in set(doc):
                holders.setdefault(t, []).append(i)
        self._postings = {t: np.asarray(ix, dtype=np.int64) for t, ix in holders.items()}

    def idf(self, token: str) -> float:
        """Rarity of a word in this collection: log(1 + N / documents holding it); unseen words count most."""
        df = len(self._postings.get(token, ()))
        return float(np.log1p(self.size / df)) if df else float(np.log1p(self.size))

    def coverage(self, query_tokens: Sequence[str]) -> np.ndarray:
        """Per document, the share of the query's words it holds, each word weighted by its rarity (0..1).

        Unlike the scaled BM25 score this is absolute: a query whose key words no document holds covers
        little everywhere, which is what a fit floor needs to see."""
        out = np.zeros(self.size, dtype=np.float32)
        q = list(dict.fromkeys(query_tokens))
        if not q or not self.size:
            return out
        weights = [self.idf(t) for t in q]
        total = sum(weights)
        for t, w in zip(q, weights, strict=True):
            ix = self._postings.get(t)
            if ix is not None:
                out[ix] += w / total
        return out

    def scores(self, query: str) -> np.ndarray:
        if self._bm25 is None:
            return np.zeros(0, dtype=np.float32)
        q = tokens(query)
        if not q:
            return np.zeros(self.size, dtype=np.float32)
        raw = np.asarray(self._bm25.get_scores(q), dtype=np.float32)
        top = float(raw.max()) if raw.size else 0.0
        return raw / top if top > 0 else np.zeros(self.size, dtype=np.float32)


def fuse(dense: np.ndarray, lexical: np.ndarray, lexical_weight: float = 0.3) -> np.ndarray:
    """One score from cosine similarity (−1..1) and scaled BM25 (0..1)."""
    return np.asarray((1.0 - lexical_weight) * dense + lexical_weight * lexical, dtype=np.float32)
