"""The `SourceRegistry` port as a JSON file in the data folder."""

from __future__ import annotations

import json
from pathlib import Path


class FileSourceRegistry:
    """Extra knowledge folders an organisation added with `coach ingest PATH`, remembered for later ingests."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "knowledge-sources.json"

    def load(self) -> list[Path]:
        if not self.path.exists():
            return []
        return [Path(p) for p in json.loads(self.path.read_text("utf-8"))]

    def save(self, paths: list[Path]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        unique = sorted({str(p.resolve()) for p in paths})
        self.path.write_text(json.dumps(unique, indent=1), "utf-8")
