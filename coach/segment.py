"""Free text → statements, each with its exact text and character span in the original message.

Splits on paragraphs, bullet and numbered list items, sentences (not on abbreviations or decimals),
semicolons, on "and" or a comma before another thing done or wanted ("ran 14 workshops and trained 200
managers", "migrated 40 servers, rolled out MFA, and we want fewer incidents"), and mixed statements into their
outcome and output parts: "improve X by doing Y", "X through a Y", "do Y so that X", "do Y to reduce X",
"X since we did Y", "we did Y, and now X", "we wanted X, so we did Y" (the connecting words are left out).
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
# ", rolled out MFA …", ", and we want fewer incidents": a comma before a new thing done or wanted.
_COMMA_SPLIT = re.compile(
    rf",\s+(?:and\s+)?(?=(?:(?:we|i|they|the team|our team)\s+)?(?:also\s+)?(?:{_ACTION_VERBS}|want|wanted|need|"
    rf"needed|aim|aimed|hope|expect|would like|'d like)\b"
    # ", enrolled 120 learners", ", refurbished the old library": any verb in the past with its object
    r"|(?:also\s+)?[a-z]{3,}ed\s+(?:\d|an?\s|the\s|our\s|their\s|all\s|every\s|new\s|two\s|three\s))",
    re.IGNORECASE,
)

# ----- mixed statements: an outcome and the output meant to bring it about, in one sentence ---------------
_NOT_GERUND = (
    "thing|nothing|something|anything|everything|morning|evening|spring|ring|king|string|sibling|ceiling|"
    "during|wing|swing|sing|bring|earring|offspring|lightning|pudding|wedding|building society"
)
_CHANGE_VERB = (
    r"(?:improv|increas|boost|grow|grew|rais|reduc|cut|lower|strengthen|enhanc|driv|shorten|halv|doubl|lift|"
    r"speed|cut|stop|prevent|get|make|keep|help|win|save|ensur|tackl|encourag|promot|support|build|rebuild|"
    r"retain|protect|end|avoid|lobby|widen|deepen|expand|free|bring|cool|limit|curb|lessen|minimi[sz]|maximi[sz])"
)
_SUBJECT_AFTER_SO = (
    r"(?:that|more|fewer|less|few|many|most|all|every|each|no|the|our|their|its|his|her|we|they|it|you|he|she|"
    r"people|customers?|clients?|users?|patients?|staff|employees?|families|residents?|pupils?|students?|"
    r"children|tenants?|teams?|callers?|members?|parents?|managers?|new|working|product|applications?)"
)
_PRODUCTION_START = re.compile(
    rf"^\s*(?:(?:we|i|the team|our team)\s+(?:\w+\s+)?(?:{_ACTION_VERBS}|\w+ed)\b|(?:{_ACTION_VERBS}|hire|recruit|"
    r"publish|send|plant|install|translate|write|offer|provide|require|open|hold|launch|run|train|distribute|"
    r"deliver|build|create|set|enable|pair|fit|air|give|introduce)\b)",
    re.IGNORECASE,
)
# (pattern, condition on the text before it): each cuts a clause into two statements, dropping the connector.
_MIXED: tuple[tuple[re.Pattern[str], re.Pattern[str] | None], ...] = (
    # "Improve X by doing Y", "Cut churn by 10% by launching …"
    (re.compile(rf"\s+(?:by|through|via)\s+(?=(?!(?:{_NOT_GERUND})\b)[a-z-]{{2,}}ing\b)", re.IGNORECASE), None),
    # "Increase donor retention through a thank-you call …"
    (
        re.compile(
            r"\s+(?:through|via)\s+(?=(?:a|an|the|our|\d[\d,]*|quarterly|monthly|weekly|annual|regular|new)\b)",
            re.IGNORECASE,
        ),
        re.compile(rf"^\s*(?:to\s+)?{_CHANGE_VERB}\w*\b", re.IGNORECASE),
    ),
    # "Do Y so that X", "Do Y so customers …", "We wanted X, so we did Y"
    (re.compile(r"\s*,?\s+so\s+that\s+|\s*,?\s+so\s+(?=" + _SUBJECT_AFTER_SO + r"\b)", re.IGNORECASE), None),
    # "Do Y in order to X", "… with the aim of X"
    (
        re.compile(
            r"\s*,?\s+(?:in order to|so as to|with the (?:aim|goal|purpose|intention|objective) of|with a view to|"
            r"in an effort to)\s+",
            re.IGNORECASE,
        ),
        None,
    ),
    # "Send reminders to reduce missed visits" (only after an activity: "the time to assign" is no purpose)
    (re.compile(rf"\s+to\s+(?={_CHANGE_VERB}\w*\b)", re.IGNORECASE), _PRODUCTION_START),
    # "Fewer patients are readmitted since we started follow-up calls"
    (re.compile(r"\s*,?\s+(?:since|because|after|now that)\s+(?=(?:we|i|our|the team)\b)", re.IGNORECASE), None),
    # "We built a booking app, and now 70% of members …", "We installed thermostats and bills fell by a fifth"
    (
        re.compile(
            r",\s+and\s+(?:now\s+|as a result,?\s+|so\s+)?|\s+and\s+(?:now\s+|as a result,?\s+)|\s+and\s+(?=(?:[\w'’-]+\s+)"
            r"{1,5}(?:fell|rose|dropped|increased|decreased|grew|halved|doubled|improved|declined)\b)",
            re.IGNORECASE,
        ),
        _PRODUCTION_START,
    ),
)
# "Because we moved the contact centre …, callers now reach …": a leading clause, then its result.
_LEADING = re.compile(r"^\s*(?:because|since|after|now that|once)\s+(?=(?:we|i|our|the team)\b)", re.IGNORECASE)


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
        for m in sorted(
            [*_AND_SPLIT.finditer(text, s, e), *_COMMA_SPLIT.finditer(text, s, e)], key=lambda m: m.start()
        ):
            if m.start() >= c and len(text[c : m.start()].split()) >= 2:
                refined.append((c, m.start()))
                c = m.end()
        refined.append((c, e))
    return [piece for s, e in refined for piece in _mixed(text, s, e)]


def _mixed(text: str, start: int, end: int, depth: int = 0) -> list[tuple[int, int]]:
    """Split a mixed statement ("X by doing Y", "doing Y so that X", …) into its two parts, recursively."""
    if depth > 3:
        return [(start, end)]
    m = _LEADING.match(text, start, end)
    if m:
        comma = text.find(", ", m.end(), end)
        if comma != -1 and len(text[m.end() : comma].split()) >= 3 and len(text[comma + 2 : end].split()) >= 2:
            return [(m.end(), comma), *_mixed(text, comma + 2, end, depth + 1)]
    for pattern, condition in _MIXED:
        for m in pattern.finditer(text, start, end):
            left, right = text[start : m.start()], text[m.end() : end]
            if len(left.split()) < 2 or len(right.split()) < 2:
                continue
            if condition is not None and not condition.search(left):
                continue
            return [*_mixed(text, start, m.start(), depth + 1), *_mixed(text, m.end(), end, depth + 1)]
    return [(start, end)]


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
