"""The `SourceRegistry` port as a JSON file in the data folder."""

from __future__ import annotations

import json
from pathlib import Path


class FileSourceRegistry:
    """Extra knowledge folders an organisation added with `coach ingest PATH [--team T]`, remembered for later
    ingests: a list of {"path", "team"} (team "" = organisation-wide; a plain list of paths is read too)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "knowledge-sources.json"

    def _entries(self) -> list[tuple[str, str]]:
        if not self.path.exists():
            return []
        raw = json.loads(self.path.read_text("utf-8"))
        return [(e, "") if isinstance(e, str) else (str(e["path"]), str(e.get("team") or "")) for e in raw]

    def load(self) -> list[Path]:
        return [Path(p) for p, _ in self._entries()]

    def teams(self) -> dict[str, str]:
        return {p: t for p, t in self._entries() if t}

    def save(self, paths: list[Path], teams: dict[str, str] | None = None) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        teams = self.teams() if teams is None else teams
        unique = sorted({str(p.resolve()) for p in paths})
        entries = [{"path": p, "team": teams.get(p, "")} for p in unique]
        self.path.write_text(json.dumps(entries, indent=1), "utf-8")
