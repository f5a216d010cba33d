"""Per-team knowledge views and the review of corrections: the two halves of tenancy in the core.

`TeamKnowledge.view(team)` gives the measure proposer, answer engine and reply composer over the knowledge
`team` may see (coach/tenancy.py). A team with no private knowledge shares the organisation's view, built once;
a team with some gets its own, built on its first use and kept until the next ingest.

`Teaching` records corrections for the team that made them and carries out the administrator's review:
list, promote (the shared model learns it, retrained at once) and revert (it stops applying at once).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from coach.answers import AnswerEngine
from coach.classifiers import ClassifierProvider
from coach.compose import ReplyComposer
from coach.domain import KINDS
from coach.errors import CorrectionNotFound, InvalidInput
from coach.measures import MeasureProposer
from coach.ports import CorrectionRecord, CorrectionStore, KnowledgeIndex, Rephraser
from coach.records import correction_records
from coach.tenancy import TeamIndex, private_teams
from coach.text import clean


@dataclass
class KnowledgeView:
    team: str | None
    index: TeamIndex
    proposer: MeasureProposer
    answers: AnswerEngine
    composer: ReplyComposer


class TeamKnowledge:
    def __init__(self, index: KnowledgeIndex, rephraser: Rephraser | None = None) -> None:
        self.index = index
        self.rephraser = rephraser
        self.shared = self._make(None)
        self._views: dict[str, KnowledgeView] = {}
        self._private: set[str] | None = None
        self._lock = threading.Lock()

    def _make(self, team: str | None, like: KnowledgeView | None = None) -> KnowledgeView:
        view = TeamIndex(self.index, team)
        proposer = MeasureProposer(self.index.embedder, view)
        answers = AnswerEngine(view, tuning=like.answers.tuning if like else None)
        if like is not None:
            proposer.people, proposer.weights = like.proposer.people, like.proposer.weights
        return KnowledgeView(team, view, proposer, answers, ReplyComposer(view, proposer, self.rephraser, answers))

    def private(self) -> set[str]:
        """Teams with knowledge of their own (read from the index once per ingest)."""
        if self._private is None:
            self._private = private_teams(self.index) if any(self.index.count(k) for k in KINDS) else set()
        return self._private

    def view(self, team: str | None) -> KnowledgeView:
        if team is None or team not in self.private():
            return self.shared
        with self._lock:
            if team not in self._views:
                self._views[team] = self._make(team, like=self.shared)
            return self._views[team]

    def invalidate(self) -> None:
        """After an ingest: every view reads the index afresh."""
        with self._lock:
            self._views.clear()
            self._private = None
        self.shared.proposer.invalidate()


class Teaching:
    """Corrections: recorded for the team that made them, reviewed and promoted or reverted by an administrator."""

    def __init__(self, corrections: CorrectionStore, classifiers: ClassifierProvider, max_chars: int) -> None:
        self.corrections = corrections
        self.classifiers = classifiers
        self.max_chars = max_chars

    def correct(self, text: str, label: str, team: str, source: str, session_id: str | None) -> int:
        text = clean(text, limit=self.max_chars, what="statement")
        if label not in ("output", "outcome"):
            raise InvalidInput(f"Unknown label {label!r}.", "Use 'output' or 'outcome'.")
        return self.corrections.add(text.strip(), label, team=team, source=source, session_id=session_id)

    def records(self, team: str | None = None, status: str | None = None, limit: int = 100) -> list[CorrectionRecord]:
        return correction_records(self.corrections, team, status, limit)

    def _find(self, correction_id: int, team: str | None) -> CorrectionRecord:
        found = self.corrections.get(correction_id)
        if found is None or (team is not None and found.team != team):
            raise CorrectionNotFound(
                f"No correction #{correction_id}" + (f" of team '{team}'." if team else "."),
                "List them with `coach corrections list` (or GET /v1/corrections).",
            )
        return found

    def promote(self, correction_id: int, by: str, team: str | None = None) -> CorrectionRecord:
        """The shared model learns the correction: every team's classifications follow it (retrained now)."""
        found = self._find(correction_id, team)
        if found.status == "reverted":
            raise InvalidInput(
                f"Correction #{correction_id} was reverted.", "Record it again if it is right after all."
            )
        done = self.corrections.set_status(correction_id, "promoted", by) or found
        if found.status != "promoted":
            self.classifiers.rebuild_shared()
        return done

    def revert(self, correction_id: int, by: str, team: str | None = None) -> CorrectionRecord:
        """The correction stops applying at once: in its team's memory, and in the shared model if promoted."""
        found = self._find(correction_id, team)
        done = self.corrections.set_status(correction_id, "reverted", by) or found
        if found.status == "promoted":
            self.classifiers.rebuild_shared()
        return done
