"""The coach's wording: `prompts/coach/<move>.yaml`, one file per move, each key a list of variants.

`render("ladder.higher", turn, avoid, who="users")` picks a variant by the turn number, skipping any whose text
is in `avoid` (the questions asked recently), so wording varies and no question repeats word for word.
"""

from __future__ import annotations

import string
from collections.abc import Collection
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
def _load(folder: Path = PROMPTS) -> dict[str, tuple[str, ...]]:
    if not folder.is_dir():
        raise CoachError(f"Prompt folder {folder} is missing.", "Restore prompts/ from the repository.")
    out: dict[str, tuple[str, ...]] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8")) or {}
        if not isinstance(data, dict):
            raise CoachError(f"{path} must map template names to lists of variants.", "Fix the file.")
        for key, variants in data.items():
            items = [variants] if isinstance(variants, str) else list(variants or [])
            out[f"{path.stem}.{key}"] = tuple(str(v).strip() for v in items if str(v).strip())
    return out


def variants(name: str) -> tuple[str, ...]:
    found = _load().get(name)
    if not found:
        raise CoachError(f"No prompt template named '{name}'.", f"Add it to prompts/coach/{name.split('.')[0]}.yaml.")
    return found


def fill(template: str, slots: dict[str, object]) -> str:
    return string.Formatter().vformat(template, (), _Safe({k: str(v) for k, v in slots.items()})).strip()


def render(name: str, turn: int = 0, avoid: Collection[str] = (), **slots: object) -> str:
    options = variants(name)
    texts = [fill(options[(turn + i) % len(options)], slots) for i in range(len(options))]
    return next((t for t in texts if t not in avoid), texts[0])


def names() -> list[str]:
    return sorted(_load())
