"""A team's own knowledge folder (`coach ingest PATH --team T`) with the real model, in embedded Chroma and on a
Chroma server: only that team's searches, measures and classifications retrieve it (a metadata filter)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from teamkit import EXAMPLES, team_folder
from test_ingest import _copy_small_kb, chroma_server, small  # noqa: F401 - fixtures shared with test_ingest

from api.container import build_service
from coach.errors import InvalidInput

pytestmark = pytest.mark.integration

MEASURE_QUERY = "zebra herds crossing the river safely"


def _ids(svc: Any, team: str | None, kind: str, query: str) -> list[str]:
    return [p.id for p in svc.search(query, k=10, kind=kind, team=team)]


def _check_isolation(svc: Any) -> None:
    assert _ids(svc, "zebra", "measures", MEASURE_QUERY)[0].startswith("team:zebra/")
    assert _ids(svc, "zebra", "guidance", "stripe-counting release herd behaviour")[0].startswith("team:zebra/")
    for team in ("lion", None):
        for kind, query in (("measures", MEASURE_QUERY), ("guidance", "stripe rule"), ("examples", EXAMPLES[0][0])):
            assert not any("zebra" in i for i in _ids(svc, team, kind, query)), (team, kind)
    assert "zebra-herd-crossings" in {m.library_id for m in svc.propose_measures(MEASURE_QUERY, team="zebra")}
    assert not any(m.library_id.startswith("zebra-") for m in svc.propose_measures(MEASURE_QUERY, team="lion"))
    text, own = EXAMPLES[0]
    assert svc.classify(text, split=False, team="zebra")[0].label == own
    assert text not in svc.classifier().memory.texts  # the shared model never trains on a team's examples


def test_a_teams_folder_is_its_own_and_forgotten_per_team(small: Any, tmp_path: Path) -> None:  # noqa: F811
    folder = team_folder(tmp_path / "zebra")
    report = small.ingest(extra=[folder], team="zebra")
    assert all(k.startswith("team:zebra:") for k in report.changed)
    _check_isolation(small)
    assert small.registry.teams() == {str(folder.resolve()): "zebra"}
    assert small.ingest().noop  # remembered, with its team

    with pytest.raises(InvalidInput):
        small.ingest(forget=[folder], team="lion")
    report = small.ingest(forget=[folder], team="zebra")
    assert len(report.removed) == 3
    assert not any("zebra" in i for i in _ids(small, "zebra", "measures", MEASURE_QUERY))


def test_a_teams_folder_is_its_own_on_a_chroma_server(
    chroma_server: str,  # noqa: F811
    real_settings: Any,
    real_service: Any,
    tmp_path: Path,
) -> None:
    kb = _copy_small_kb(tmp_path / "kb")
    settings = real_settings.model_copy(
        update={"data_dir": tmp_path / "data", "knowledge_dir": kb, "chroma_url": chroma_server}
    )
    svc = build_service(settings, embedder=real_service.embedder)
    svc.ingest()
    svc.ingest(extra=[team_folder(tmp_path / "zebra")], team="zebra")
    assert svc.index.location == chroma_server
    _check_isolation(svc)
