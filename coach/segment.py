"""Free text → statements, each with its exact text and character span in the original message.

Splits on paragraphs, bullet and numbered list items, sentences (not on abbreviations or decimals),
semicolons, and on "and" when it joins two separate things done ("ran 14 workshops and trained 200 managers").
"""

from __future__ import annotations

import re

from coach.domain import Statement

_BULLET = re.compile(r"^[ \t]*(?:[-*•·▪‣–—]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)](?=\s)|#{1,6}(?=\s))[ \t]+")
_ABBREV = {
    "e.g",
    "i.e",
    "etc",
    "vs",
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "inc",
    "ltd",
    "co",
    "no",
    "approx",
    "est",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "st",
    "fig",
    "dept",
    "u.s",
    "u.k",
    "e.u",
    "a.m",
    "p.m",
    "cf",
    "al",
    "ca",
    "min",
    "max",
    "avg",
    "incl",
    "corp",
}
# Sentence end: . ! ? … or CJK stops, followed by space (or end) — decimals like 3.5 have no space.
_SENT_END = re.compile(r"([.!?…]+[\"'”’)\]]*)(\s+)|([。！？]+)")
# "and"/", and" followed by a verb that starts a new action.
_ACTION_VERBS = (
    "ran|held|built|wrote|sent|made|led|gave|set|taught|trained|launched|delivered|published|closed|opened|"
    "hired|created|launched|ran|hosted|completed|shipped|deployed|migrated|implemented|introduced|rolled|"
    "produced|organised|organized|designed|developed|updated|reviewed|processed|distributed|installed|"
    "reduced|increased|cut|improved|raised|recruited|answered|resolved|fixed|wrote|drafted|ran|conducted|"
    "run|hold|build|write|send|make|lead|give|train|launch|deliver|publish|close|open|hire|create|host|"
    "complete|ship|deploy|migrate|implement|introduce|roll|produce|organise|organize|design|develop|update|"
    "review|process|distribute|install|reduce|increase|cut|improve|raise|recruit|answer|resolve|fix|draft|"
    "conduct|ensure|achieve|achieved|cutting|reducing|increasing"
)
_AND_SPLIT = re.compile(
    rf",?\s+(?:and|&)\s+(?=(?:(?:we|i|they|the team|our team)\s+)?(?:also\s+)?(?:{_ACTION_VERBS})\b)", re.IGNORECASE
)
_SEMI = re.compile(r"\s*;\s*")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end


def _is_abbreviation(text: str, dot_at: int) -> bool:
    m = re.search(r"([A-Za-z.]+)$", text[:dot_at])
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    return word in _ABBREV or (len(word) == 1 and word.isalpha())


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    cursor = start
    for m in _SENT_END.finditer(text, start, end):
        if m.group(3):  # CJK stop
            cut = m.end(3)
        else:
            punct_start = m.start(1)
            if text[punct_start] == "." and len(m.group(1)) == 1 and _is_abbreviation(text, punct_start):
                continue
            nxt = m.end(2)
            if nxt < end and text[nxt].islower() and text[punct_start] == ".":
                continue  # "approx. three" — not a sentence end
            cut = m.end(1)
        spans.append((cursor, cut))
        cursor = cut
    spans.append((cursor, end))
    return spans


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    cursor = start
    for m in _SEMI.finditer(text, start, end):
        out.append((cursor, m.start()))
        cursor = m.end()
    out.append((cursor, end))
    refined: list[tuple[int, int]] = []
    for s, e in out:
        c = s
        for m in _AND_SPLIT.finditer(text, s, e):
            if len(text[c : m.start()].split()) >= 3:
                refined.append((c, m.start()))
                c = m.end()
        refined.append((c, e))
    return refined


def _blocks(text: str) -> list[tuple[int, int]]:
    """Paragraphs and list items, as spans."""
    blocks: list[tuple[int, int]] = []
    pos = 0
    current: tuple[int, int] | None = None
    for line in text.splitlines(keepends=True):
        line_start, line_end = pos, pos + len(line)
        pos = line_end
        stripped = line.strip()
        if not stripped:
            if current:
                blocks.append(current)
                current = None
            continue
        bullet = _BULLET.match(line)
        if bullet:
            if current:
                blocks.append(current)
            current = (line_start + bullet.end(), line_end)
        elif current is None:
            current = (line_start, line_end)
        else:
            current = (current[0], line_end)
    if current:
        blocks.append(current)
    return blocks


def segment(text: str, split: bool = True) -> list[Statement]:
    """Cut a message into statements. With split=False the whole (trimmed) text is one statement."""
    if not split:
        s, e = _trim(text, 0, len(text))
        return [Statement(text=text[s:e], start=s, end=e)] if e > s else []
    out: list[Statement] = []
    for bs, be in _blocks(text):
        for ss, se in _sentences(text, bs, be):
            for cs, ce in _clauses(text, ss, se):
                s, e = _trim(text, cs, ce)
                piece = text[s:e]
                if e > s and re.search(r"\w", piece):
                    out.append(Statement(text=piece, start=s, end=e))
    return out
