"""Ports: what the core needs from the outside world. Adapters implement them; fakes stand in for tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

from coach.domain import Kind, Label, Passage


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised vectors."""

    name: str
    dimension: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class Retriever(Protocol):
    """Nearest passages of one kind of knowledge, by meaning."""

    def search(
        self, query: str | np.ndarray, kind: Kind, k: int = 5, where: dict[str, Any] | None = None
    ) -> list[Passage]: ...

    def count(self, kind: Kind) -> int: ...


class SecondOpinion(Protocol):
    """An optional second classifier (for example an LLM). The embedded classifier stands on its own."""

    def classify(self, text: str) -> Label | None: ...


class Rephraser(Protocol):
    """Optional fluency layer: rewords a reply's text; facts always come from the engine."""

    def rephrase(self, text: str, context: str) -> str: ...
