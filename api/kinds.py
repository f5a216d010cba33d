"""The kinds of API key (see api/auth.py), in a module light enough for the CLI's start-up."""

from __future__ import annotations

KINDS = ("api", "widget", "trainer")
