"""The guidance grouped by section, for answers: each section's text, heading, sources, BM25 and word rarity.

A section (a document's `##` part) is what an answer quotes and cites; its chunks are only what is embedded.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from coach.answer_text import Unit, units
from coach.domain import Citation
from coach.ports import Snapshot
from coach.retrieval import LexicalIndex, tokens

_ITEM = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
_QUOTED = re.compile(r"^[\"“'‘].*[\"”'’]\s*$")


@dataclass
class Section:
    doc_id: str
    title: str
    name: str
    sources: list[str]
    text: str
    no: int
    rows: list[int]
    heading: frozenset[str]
    _units: list[Unit] | None = field(default=None, repr=False)

    @property
    def units(self) -> list[Unit]:
        if self._units is None:
            self._units = units(self.text)
        return self._units

    def quoted(self, questions: bool) -> float:
        """Share of the section's list items that are quoted questions (`questions`) or quoted statements: a
        catalogue of examples (typical outputs, questions to ask) illustrates; it does not explain."""
        items = [_ITEM.sub("", line).strip() for line in self.text.splitlines() if _ITEM.match(line)]
        quoted = [i for i in items if _QUOTED.match(i) and (i.rstrip("\"”'’ ").endswith("?") == questions)]
        return len(quoted) / len(items) if items else 0.0

    def citation(self) -> Citation:
        return Citation(doc_id=self.doc_id, title=self.title, section=self.name, sources=cited_sources(self))


def cited_sources(section: Section) -> list[str]:
    """The document's sources that this section draws on (an author or title named in it); all when none is."""
    text = f"{section.name} {section.text}"
    named = []
    for source in section.sources:
        title, _, author = source.rpartition(" — ")
        names = re.findall(r"[A-Z][\w'’.-]{3,}", re.sub(r"\(.*?\)", "", author))
        key = title.split(":")[0].strip()
        if any(n in text for n in names) or (len(key) > 6 and key.lower() in text.lower()):
            named.append(source)
    return named or list(section.sources)


class SectionIndex:
    """The guidance snapshot grouped by section, with BM25 over each section's title, heading and text."""

    def __init__(self, snap: Snapshot, asked: Snapshot | None = None) -> None:
        self.snap = snap
        self.asked = asked
        groups: dict[tuple[str, str], Section] = {}
        parts: dict[tuple[str, str], list[tuple[int, str]]] = {}
        for row, (pid, doc, meta) in enumerate(zip(snap.ids, snap.documents, snap.metadatas, strict=True)):
            key = (str(meta.get("doc_id", pid)), str(meta.get("section", "")))
            if key not in groups:
                sources = [s for s in str(meta.get("sources", "")).split(" | ") if s]
                groups[key] = Section(
                    doc_id=key[0],
                    title=str(meta.get("title", key[0])),
                    name=key[1],
                    sources=sources,
                    text=str(meta.get("section_text") or ""),
                    no=int(meta.get("section_no", 0) or 0),
                    rows=[],
                    heading=frozenset(tokens(key[1])),
                )
                parts[key] = []
            groups[key].rows.append(row)
            parts[key].append((_chunk_no(pid), doc))
        for key, sec in groups.items():
            if not sec.text:  # indexed before sections were recorded: rebuild from the chunks
                sec.text = "\n".join(d for _, d in sorted(parts[key]))
        self.sections = list(groups.values())
        self.rows = np.zeros(len(snap.ids), dtype=np.int64)
        for i, sec in enumerate(self.sections):
            self.rows[sec.rows] = i
        self.lexical = LexicalIndex([f"{s.title}. {s.name}. {s.name}. {s.text}" for s in self.sections])
        self.words = [frozenset(tokens(f"{s.title} {s.name} {s.text}")) for s in self.sections]
        df: dict[str, int] = {}
        for ws in self.words:
            for w in ws:
                df[w] = df.get(w, 0) + 1
        self.df = df
        self.quoted_statements = np.array([s.quoted(questions=False) for s in self.sections], dtype=np.float32)
        self.quoted_questions = np.array([s.quoted(questions=True) for s in self.sections], dtype=np.float32)
        # the questions each section answers (knowledge/questions/), embedded at ingest: keys of that section;
        # a question whose section is not in this snapshot (another team's document) finds nothing
        at = {(s.doc_id, s.name): i for i, s in enumerate(self.sections)}
        keyed = (
            []
            if asked is None
            else [(j, at.get((str(m.get("doc_id")), str(m.get("section"))))) for j, m in enumerate(asked.metadatas)]
        )
        keep = [(j, i) for j, i in keyed if i is not None]
        dim = snap.embeddings.shape[1] if snap.embeddings.ndim == 2 else 0
        self.key_rows = np.array([i for _, i in keep], dtype=np.int64)
        self.keys = (
            asked.embeddings[[j for j, _ in keep]] if asked is not None and keep else np.zeros((0, dim), np.float32)
        )
        if len(self.keys):  # and the mean of a section's questions: what they ask in common, one more key
            mean = np.zeros((len(self.sections), self.keys.shape[1]), np.float32)
            np.add.at(mean, self.key_rows, self.keys)
            norms = np.linalg.norm(mean, axis=1)
            has = np.nonzero(norms > 0)[0]
            self.keys = np.vstack([self.keys, mean[has] / norms[has, None]]).astype(np.float32)
            self.key_rows = np.concatenate([self.key_rows, has])

    def idf(self, word: str) -> float:
        n, df = len(self.sections), self.df.get(word, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def rare(self, words: str, at_most: int) -> bool:
        """Some word of `words` is in at most `at_most` sections (or in none)."""
        return any(self.df.get(w, 0) <= at_most for w in tokens(words))

    def found(self, question: str) -> float:
        """The largest share of the question's words (weighted by rarity) that one section contains."""
        q = set(tokens(question))
        total = sum(self.idf(w) for w in q)
        if not q or total <= 0:
            return 0.0
        return max(sum(self.idf(w) for w in q & ws) / total for ws in self.words)

    def same(self, snap: Snapshot, asked: Snapshot | None = None) -> bool:
        def equal(a: Snapshot | None, b: Snapshot | None) -> bool:
            if a is None or b is None:
                return a is b
            return a is b or (a.ids == b.ids and a.documents == b.documents)

        return equal(snap, self.snap) and equal(asked, self.asked)

    def of_doc(self, doc_id: str) -> list[Section]:
        return sorted((s for s in self.sections if s.doc_id == doc_id), key=lambda s: s.no)

    def find(self, doc_id: str, name: str) -> Section | None:
        return next((s for s in self.sections if s.doc_id == doc_id and s.name == name), None)


def _chunk_no(pid: str) -> int:
    tail = pid.rsplit("#", 1)[-1]
    return int(tail) if tail.isdigit() else 0
