"""Tenancy over the fakes: a team's corrections and private knowledge stay with that team (coach/overlay.py,
coach/tenancy.py, coach/teams.py). The HTTP version, on SQLite and PostgreSQL, is tests/api/test_api_teams.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from teamkit import EXAMPLES, team_folder

from coach.adapters.fakes import (
    HashEmbedder,
    InMemoryCorrections,
    InMemoryIndex,
    InMemorySessionStore,
    InMemorySourceRegistry,
)
from coach.classifier import Classifier
from coach.config import DEFAULT_KNOWLEDGE, EmbeddingSettings, LLMSettings, Settings
from coach.errors import CorrectionNotFound, InvalidInput
from coach.ingest import ingest
from coach.overlay import TeamClassifier
from coach.service import CoachService

OUTPUT = "We closed 500 incident records"
DASHBOARD = "Refresh the quarterly dashboard for the board"


@pytest.fixture(scope="module")
def zebra_index(tmp_path_factory: pytest.TempPathFactory) -> InMemoryIndex:
    """The real knowledge base plus the zebra squad's private folder, in memory."""
    folder = team_folder(tmp_path_factory.mktemp("zebra"))
    index = InMemoryIndex(HashEmbedder())
    ingest(index, [DEFAULT_KNOWLEDGE, folder], core_root=DEFAULT_KNOWLEDGE, teams={str(folder.resolve()): "zebra"})
    return index


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=tmp_path_factory.mktemp("teams"),
        database_url=None,
        chroma_url=None,
        extra_knowledge=[],
        llm=LLMSettings(),
        embedding=EmbeddingSettings(backend="hash"),
    )


def service(index: InMemoryIndex, settings: Settings) -> CoachService:
    store = InMemorySessionStore()
    return CoachService(settings, index, store, InMemoryCorrections(store), InMemorySourceRegistry())


@pytest.fixture
def svc(zebra_index: InMemoryIndex, settings: Settings) -> CoachService:
    return service(zebra_index, settings)


def label(svc: CoachService, text: str, team: str | None) -> str:
    return svc.classify(text, split=False, team=team)[0].label


def flipped(svc: CoachService, text: str) -> str:
    return "outcome" if label(svc, text, None) == "output" else "output"


# ----- corrections ------------------------------------------------------------------------------------------


def test_a_correction_changes_its_teams_classifications_only(svc: CoachService) -> None:
    shared = label(svc, DASHBOARD, None)
    new = flipped(svc, DASHBOARD)
    svc.correct(DASHBOARD, new, team="a", source="widget")

    got = svc.classify(DASHBOARD, split=False, team="a")[0]
    assert got.label == new and got.confidence >= 0.95 and not got.needs_clarification
    assert "Your team corrected" in got.rationale
    assert label(svc, "  refresh the QUARTERLY dashboard for the board ", "a") == new  # identical text
    assert label(svc, DASHBOARD, "b") == shared  # another team: untouched
    assert label(svc, DASHBOARD, None) == shared  # and the shared model
    # B's hot path is the shared classifier itself: A's corrections cost it nothing.
    assert svc.team_classifier("b") is svc.classifier()
    assert isinstance(svc.team_classifier("a"), TeamClassifier)
    assert DASHBOARD not in svc.classifier().memory.texts  # not promoted: not in the shared training


def test_a_near_statement_follows_the_teams_correction_by_its_memory(svc: CoachService) -> None:
    new = flipped(svc, DASHBOARD)
    near = DASHBOARD + "!"  # not identical text, the nearest neighbour in the team's memory
    svc.correct(DASHBOARD, new, team="a")
    got = svc.classify(near, split=False, team="a")[0]
    assert got.label == new
    assert got.evidence[0].text == DASHBOARD and got.evidence[0].domain == "correction"
    assert label(svc, near, "b") == label(svc, near, None)


def test_a_reverted_correction_stops_applying_at_once(svc: CoachService) -> None:
    shared = label(svc, DASHBOARD, None)
    cid = svc.correct(DASHBOARD, flipped(svc, DASHBOARD), team="a")
    assert label(svc, DASHBOARD, "a") != shared
    with pytest.raises(CorrectionNotFound):
        svc.revert_correction(cid, by="someone of b", team="b")  # not b's to revert
    done = svc.revert_correction(cid, by="admin", team="a")
    assert done.status == "reverted" and done.changed_by == "admin"
    assert label(svc, DASHBOARD, "a") == shared
    assert [c.status for c in svc.list_corrections("a")] == ["reverted"]
    with pytest.raises(InvalidInput):
        svc.promote_correction(cid, by="admin")  # a reverted correction is not promoted


def test_a_deleted_sessions_correction_stops_applying(svc: CoachService) -> None:
    svc.correct(OUTPUT, "output", team="a")  # pinned, so the conversation's path does not depend on a model
    sid = svc.start_session(team="a").id
    svc.handle_message(sid, OUTPUT, "a")
    svc.handle_message(sid, "no, that is an outcome", "a", source="widget")
    made = svc.list_corrections("a")
    assert made[0].session_id == sid and made[0].label == "outcome" and made[0].source == "widget"
    assert label(svc, OUTPUT, "a") == "outcome"
    svc.delete_session(sid, "a")
    assert label(svc, OUTPUT, "a") == "output"
    assert [c.session_id for c in svc.list_corrections("a")] == [None]


def test_a_deleted_sessions_promoted_correction_leaves_the_shared_model(svc: CoachService) -> None:
    shared = label(svc, DASHBOARD, None)
    sid = svc.start_session(team="a").id
    cid = svc.correct(DASHBOARD, flipped(svc, DASHBOARD), team="a", source="widget", session_id=sid)
    svc.promote_correction(cid, by="admin")
    assert DASHBOARD in svc.classifier().memory.texts and label(svc, DASHBOARD, "b") != shared
    svc.delete_session(sid, "a")
    assert DASHBOARD not in svc.classifier().memory.texts
    assert label(svc, DASHBOARD, "b") == label(svc, DASHBOARD, "a") == shared


def test_promotion_is_for_every_team_and_its_revert_too(svc: CoachService) -> None:
    shared = label(svc, DASHBOARD, None)
    new = flipped(svc, DASHBOARD)
    cid = svc.correct(DASHBOARD, new, team="a")
    assert label(svc, DASHBOARD, "b") == shared
    before = svc.classifier()
    svc.promote_correction(cid, by="admin", team="a")
    assert label(svc, DASHBOARD, "b") == new
    shared_now = svc.classifier()
    assert shared_now is not before and DASHBOARD in shared_now.memory.texts  # retrained with it, at once
    assert [c.id for c in svc.list_corrections(status="promoted")] == [cid]
    svc.revert_correction(cid, by="admin")
    assert label(svc, DASHBOARD, "b") == shared
    assert label(svc, DASHBOARD, "a") == shared
    assert DASHBOARD not in svc.classifier().memory.texts


def test_a_team_that_taught_enough_gets_its_own_model_at_its_next_training(
    zebra_index: InMemoryIndex, settings: Settings
) -> None:
    few = settings.model_copy(update={"classifier": settings.classifier.model_copy(update={"team_model_min": 2})})
    svc = service(zebra_index, few)
    cid = svc.correct(DASHBOARD, flipped(svc, DASHBOARD), team="a")
    svc.correct("Publish the annual report", "output", team="a")
    assert svc.classifiers.train_teams() == ["a", "zebra"]  # zebra taught 2 too: its own examples
    a = svc.team_classifier("a")
    assert isinstance(a, TeamClassifier) and isinstance(a.memory.model, Classifier)
    assert DASHBOARD in a.memory.model.memory.texts and DASHBOARD not in svc.classifier().memory.texts
    assert svc.team_classifier("b") is svc.classifier()
    svc.revert_correction(cid, by="admin")
    a = svc.team_classifier("a")
    assert isinstance(a, TeamClassifier) and a.memory.model is None  # it learned the reverted one: dropped
    assert label(svc, DASHBOARD, "a") == label(svc, DASHBOARD, None)


def test_a_team_model_that_learned_a_promoted_correction_goes_when_it_is_reverted(
    zebra_index: InMemoryIndex, settings: Settings
) -> None:
    few = settings.model_copy(update={"classifier": settings.classifier.model_copy(update={"team_model_min": 2})})
    svc = service(zebra_index, few)
    new = flipped(svc, DASHBOARD)
    promoted = svc.correct(DASHBOARD, new, team="b")
    svc.promote_correction(promoted, by="admin")
    assert svc.classifiers.train_teams() == ["zebra"]  # b taught only 1
    zebra = svc.team_classifier("zebra")
    assert isinstance(zebra, TeamClassifier) and zebra.memory.model is not None
    assert label(svc, DASHBOARD, "zebra") == new  # promoted: every team's
    svc.revert_correction(promoted, by="admin")
    zebra = svc.team_classifier("zebra")
    assert isinstance(zebra, TeamClassifier) and zebra.memory.model is None  # it had learned it
    assert label(svc, DASHBOARD, "zebra") == label(svc, DASHBOARD, None) != new


# ----- a team's own knowledge --------------------------------------------------------------------------------


def test_a_teams_guidance_measures_and_examples_are_its_own(svc: CoachService) -> None:
    def measure_ids(team: str | None) -> set[str]:
        return {p.id for p in svc.search("zebra herds river crossing stripes", k=5, kind="measures", team=team)}

    assert {"team:zebra/zebra-herd-crossings", "team:zebra/zebra-stripe-checks"} <= measure_ids("zebra")
    assert not any("zebra" in i for i in measure_ids("lion") | measure_ids(None))
    guidance = svc.search("stripe-counting release herd behaviour", k=3, team="zebra")
    assert guidance[0].citation is not None and guidance[0].citation.doc_id == "zebra-playbook"
    assert all(
        p.citation is None or p.citation.doc_id != "zebra-playbook"
        for p in svc.search("stripe-counting release herd behaviour", k=10, team="lion")
    )

    proposed = svc.propose_measures("Zebra herds cross the river safely", team="zebra")
    assert "zebra-herd-crossings" in {m.library_id for m in proposed}
    assert not any(
        "zebra" in (m.library_id or "") for m in svc.propose_measures("Zebra herds cross the river safely", team="lion")
    )
    # The team's labelled examples apply to its classifications (and the shared model never trained on them).
    text, own = EXAMPLES[0]
    assert label(svc, text, "zebra") == own
    assert label(svc, text, "lion") != own
    assert text not in svc.classifier().memory.texts


def test_a_teams_coaching_proposes_its_own_measures(svc: CoachService) -> None:
    def measures(team: str) -> set[str]:
        sid = svc.start_session(team=team).id
        svc.correct(EXAMPLES[1][0], "outcome", team=team)  # pinned: the path does not depend on a model
        r = svc.handle_message(sid, EXAMPLES[1][0], team)
        assert r.reply.measures, r.reply.text
        return {m.library_id or "" for m in r.reply.measures}

    assert any(i.startswith("zebra-") for i in measures("zebra"))
    assert not any(i.startswith("zebra-") for i in measures("lion"))


def test_an_index_built_before_teams_is_tagged_on_the_next_ingest(tmp_path: Path) -> None:
    index = InMemoryIndex(HashEmbedder())
    folder = team_folder(tmp_path / "zebra")
    ingest(index, [folder])
    for kind in ("guidance", "measures", "examples"):  # as an index from before teams holds them
        for _doc, _emb, meta in index._items[kind].values():
            meta.pop("team")
    report = ingest(index, [folder])
    assert not report.noop
    assert all(m["team"] == "" for k in ("guidance", "examples") for m in index.snapshot(k).metadatas)
