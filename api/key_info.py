"""What is shown about an API key (never the key itself after creation): light, so `coach keys list` can show
keys without importing the HTTP stack or the database layer."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class KeyInfo(BaseModel):
    prefix: str
    team: str
    kind: str
    origins: list[str]
    name: str
    created_at: datetime
    revoked: bool


class CreatedKey(KeyInfo):
    key: str
