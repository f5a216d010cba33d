"""Who sees which knowledge: organisation-wide chunks (metadata `team` = "") and a team's private ones.

`coach ingest PATH --team T` stamps every chunk of PATH with `team: T`; everything else is organisation-wide.
`TeamIndex` is a read view of the `KnowledgeIndex` port for one team (or, with `team=None`, for what every team
shares): its searches carry a metadata filter (Chroma's `where`, embedded or server alike) and its snapshots
hold only the rows the team may see, so the measure proposer, the answer engine and the reply composer built
on it never retrieve another team's guidance, measures or examples.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from coach.domain import KINDS, Kind, Passage
from coach.errors import InvalidInput
from coach.ports import Embedder, KnowledgeIndex, Snapshot

if TYPE_CHECKING:
    import numpy as np

ORG = ""  # the `team` metadata of organisation-wide knowledge
TEAM_KEY = "team"
_TEAM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$")  # the same rule as API keys' teams


def check_team(team: str) -> str:
    if not _TEAM.match(team or ""):
        raise InvalidInput(
            f"'{team}' is not a team name.", "Use letters, digits, spaces, dots, dashes or underscores (up to 100)."
        )
    return team


def team_of(meta: dict[str, Any]) -> str:
    return str(meta.get(TEAM_KEY) or ORG)


def visible(meta: dict[str, Any], team: str | None) -> bool:
    """Organisation-wide knowledge is visible to all; a team's private knowledge to that team only."""
    owner = team_of(meta)
    return owner == ORG or (team is not None and owner == team)


def team_filter(team: str | None) -> dict[str, Any]:
    return {TEAM_KEY: ORG} if team is None else {TEAM_KEY: {"$in": [ORG, team]}}


def private_teams(index: KnowledgeIndex) -> set[str]:
    """Teams that have knowledge of their own in any collection."""
    return {team_of(m) for kind in KINDS for m in index.snapshot(kind).metadatas} - {ORG}


class TeamIndex:
    """A read view of the index for one team (`None`: the organisation-wide knowledge only). Writes go to the
    underlying index (ingest writes through the real one)."""

    def __init__(self, index: KnowledgeIndex, team: str | None) -> None:
        self.base = index
        self.team = team
        self.embedder: Embedder = index.embedder
        self.location = index.location
        self._snaps: dict[Kind, tuple[Snapshot, Snapshot]] = {}
        self._lock = threading.Lock()

    def count(self, kind: Kind) -> int:
        return self.base.count(kind)

    def search(
        self, query: str | np.ndarray, kind: Kind, k: int = 5, where: dict[str, Any] | None = None
    ) -> list[Passage]:
        scope = team_filter(self.team)
        return self.base.search(query, kind, k=k, where={"$and": [where, scope]} if where else scope)

    def snapshot(self, kind: Kind) -> Snapshot:
        """The rows this team may see; the same object as long as the index's snapshot is (so the proposer's and
        the answer engine's caches, keyed on it, hold)."""
        full = self.base.snapshot(kind)
        with self._lock:
            cached = self._snaps.get(kind)
            if cached is not None and cached[0] is full:
                return cached[1]
            rows = [i for i, m in enumerate(full.metadatas) if visible(m, self.team)]
            view = (
                full
                if len(rows) == len(full.ids)
                else Snapshot(
                    ids=[full.ids[i] for i in rows],
                    embeddings=full.embeddings[rows],
                    documents=[full.documents[i] for i in rows],
                    metadatas=[full.metadatas[i] for i in rows],
                )
            )
            self._snaps[kind] = (full, view)
            return view

    def sources(self, kind: Kind) -> dict[str, str]:
        return self.base.sources(kind)

    def embedder_of(self, kind: Kind) -> str | None:
        return self.base.embedder_of(kind)

    def reset(self, kind: Kind) -> None:
        self.base.reset(kind)

    def delete_sources(self, kind: Kind, keys: Sequence[str]) -> None:
        self.base.delete_sources(kind, keys)

    def add(
        self, kind: Kind, ids: list[str], documents: list[str], embeddings: np.ndarray, metadatas: list[dict[str, Any]]
    ) -> None:
        self.base.add(kind, ids, documents, embeddings, metadatas)
