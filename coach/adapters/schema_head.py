"""The schema's newest Alembic revision, read from the migration files without importing Alembic or SQLAlchemy
(the database layer and the CLI's quick listings both check a database against it)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
_REVISION = re.compile(r"^(down_revision|revision)\s*=\s*[\"']?([^\"'\s]+)[\"']?", re.M)


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest revision among coach/migrations/versions (the one no other revision names as its parent)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = dict((k, v) for k, v in _REVISION.findall(path.read_text(encoding="utf-8")))
        if "revision" in found:
            revisions.add(found["revision"])
            parents.add(found.get("down_revision", "None"))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else ""
