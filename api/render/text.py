"""Text helpers for Slack's mrkdwn: escaping, clean clipping, chunking, and Markdown → mrkdwn.

Every text a person wrote is escaped (Slack treats `&`, `<` and `>` as control sequences: `<@U1>` would
mention someone, `<https://…|x>` would be a link). Clipping never leaves half an escape or half a link behind.
"""

from __future__ import annotations

import re

ELLIPSIS = "…"

_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_BULLET = re.compile(r"^(\s*)[-*]\s+")


def escape(text: str) -> str:
    """Escape the three characters Slack treats as control sequences in mrkdwn."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` characters at a word boundary, ending with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space >= int(limit * 0.8):
        cut = cut[:space]
    # Never leave half an escape sequence (&amp;) or a half-open link (<...) behind.
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:] and len(cut) - amp <= 5:
        cut = cut[:amp]
    lt = cut.rfind("<")
    if lt != -1 and ">" not in cut[lt:]:
        cut = cut[:lt]
    return cut.rstrip() + ELLIPSIS


def md_to_mrkdwn(text: str) -> str:
    """Markdown as the coach writes it (headings, **bold**, bullets, tables) → Slack mrkdwn; escapes the rest.

    Slack has no tables: each body row becomes a bullet of its cells; the header and rule rows go."""
    lines = escape(text).splitlines()
    out: list[str] = []
    for i, line in enumerate(lines):
        stripped = line.strip()
        heading = _HEADING.match(stripped)
        if heading:
            out.append(f"*{heading.group(1).strip()}*")
            continue
        if _TABLE_RULE.match(stripped):
            continue
        if stripped.startswith("|") and stripped.endswith("|"):
            if i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1].strip()):
                continue  # a table's header row names the columns
            cells = [_BOLD.sub(r"*\1*", c.strip()) for c in stripped.strip("|").split("|")]
            out.append("• " + " — ".join(c for c in cells if c))
            continue
        line = _BOLD.sub(r"*\1*", line)
        line = _BULLET.sub(r"\1• ", line)
        out.append(line)
    return "\n".join(out).strip()


def remove_block(text: str, block: str) -> str:
    """`text` without `block` (e.g. the Markdown copy of a map the reply also carries as data)."""
    block = block.strip()
    if block and block in text:
        text = text.replace(block, "")
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def chunks(text: str, limit: int) -> list[str]:
    """Split long text into pieces of at most `limit` characters, at paragraph, line or word boundaries."""
    text = text.strip()
    if not text:
        return []
    pieces: list[str] = []
    while len(text) > limit:
        window = text[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"))
        if cut < limit // 3:
            cut = window.rfind(" ")
        if cut < limit // 3:
            cut = limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


def percent(x: float) -> str:
    return f"{x:.0%}"
