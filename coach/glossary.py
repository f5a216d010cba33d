"""Jargon the guidance uses, for retrieval: a question naming a term ("What is creaming?", "otif meaning") is
searched with the term's plain meaning added, so a section that explains the idea in ordinary words is found
even when the embedding model has never seen the word.

The glossary is `knowledge/glossary.yaml` (term, other spellings, meaning, source). It is not guidance: nothing
in it is quoted or cited; it only widens the words a question is searched with, at no extra embedding.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from coach.config import DEFAULT_KNOWLEDGE

GLOSSARY = DEFAULT_KNOWLEDGE / "glossary.yaml"


@dataclass(frozen=True)
class Term:
    term: str
    means: str
    pattern: re.Pattern[str]


class Glossary:
    def __init__(self, terms: list[Term]) -> None:
        self.terms = terms

    @classmethod
    def load(cls, path: Path) -> Glossary:
        if not path.is_file():
            return cls([])
        terms = []
        for entry in yaml.safe_load(path.read_text("utf-8")) or []:
            names = [str(entry["term"]), *(str(a) for a in entry.get("also", []))]
            words = "|".join(re.escape(n).replace(r"\ ", r"[\s-]+") for n in sorted(names, key=len, reverse=True))
            pattern = re.compile(rf"(?<![\w-])(?:{words})(?![\w-])", re.I)
            terms.append(Term(str(entry["term"]), " ".join(str(entry["means"]).split()), pattern))
        return cls(terms)

    def expand(self, question: str, rare: Callable[[str], bool] = lambda _: True) -> str:
        """The question with the meaning of each glossary term it names ("What is OTIF? (OTIF: on time in
        full, the share of orders delivered complete on the promised date)"); unchanged when it names none.
        `rare(words)` says whether the words as written are rare enough to need it (a term the guidance uses
        everywhere, such as KPI, is known well enough; its meaning would only pull the search towards it)."""
        found = [t for t in self.terms if (m := t.pattern.search(question)) and rare(m.group(0))]
        if not found:
            return question
        return question + " (" + "; ".join(f"{t.term}: {t.means}" for t in found) + ")"


@lru_cache(maxsize=4)
def glossary(path: Path = GLOSSARY) -> Glossary:
    return Glossary.load(path)
