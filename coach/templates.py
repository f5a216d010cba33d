"""Reply wording from prompts/coach/*.txt (variants split by '---') and prompts/coach/families.yaml."""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

import yaml

from coach.config import REPO_ROOT
from coach.errors import CoachError

PROMPTS = REPO_ROOT / "prompts" / "coach"


class _Safe(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@lru_cache(maxsize=1)
def _load(folder: Path = PROMPTS) -> dict[str, list[str]]:
    if not folder.is_dir():
        raise CoachError(f"Prompt folder {folder} is missing.", "Restore prompts/ from the repository.")
    out: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.txt")):
        variants = [v.strip() for v in path.read_text("utf-8").split("\n---\n")]
        out[path.stem] = [v for v in variants if v]
    fam = yaml.safe_load((folder / "families.yaml").read_text("utf-8"))
    for family, variants in fam.items():
        out[f"family:{family}"] = list(variants)
    return out


def render(name: str, turn: int = 0, **slots: object) -> str:
    variants = _load().get(name)
    if not variants:
        raise CoachError(f"No prompt template named '{name}'.", "Add prompts/coach/" + name + ".txt.")
    template = variants[turn % len(variants)]
    return string.Formatter().vformat(template, (), _Safe({k: str(v) for k, v in slots.items()})).strip()


def names() -> list[str]:
    return sorted(_load())
