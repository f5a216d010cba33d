"""The curated knowledge base on disk: guidance (Markdown), measures (YAML), labelled examples (JSONL).

Everything is validated before anything is written to the index; every error names the file and line.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator

from coach.domain import Citation, ExampleLabel, Kind, Label, Measure, Passage
from coach.errors import KnowledgeError

DEV_THRESHOLD = 52  # first byte of sha1 below this → dev (about 20 %)


def split_of(text: str, explicit: str | None = None) -> str:
    """The documented train/dev split: stable, derived from the text alone unless given explicitly."""
    if explicit in ("train", "dev"):
        return explicit
    digest = hashlib.sha1(text.strip().lower().encode("utf-8")).digest()
    return "dev" if digest[0] < DEV_THRESHOLD else "train"


def content_hash(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:16]


class GuidanceMeta(BaseModel):
    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    sources: list[str] = Field(min_length=1)
    tags: list[str] = Field(default_factory=list)
    audience: list[str] = Field(default_factory=list)

    @field_validator("audience", "tags", mode="before")
    @classmethod
    def _listify(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v


class Example(BaseModel):
    """One labelled statement. `label` is output or outcome, or `none` for text that is not a statement about
    work (gibberish, small talk, a question or a command to the coach)."""

    text: str = Field(min_length=1, max_length=2000)
    label: ExampleLabel
    domain: str = "general"
    reason: str = ""
    split: str | None = None
    source: str = Field(default="", description="The public guide whose style or label the statement follows.")
    disputed: str = Field(default="", description="Who labels it otherwise, and why.")
    rule_label: Label | None = Field(
        default=None, description="In evaluation sets labelled by their source: our rule's label where it differs."
    )
    whole: str = Field(default="", description="For a part of a mixed statement: the whole statement.")

    @property
    def resolved_split(self) -> str:
        return split_of(self.whole or self.text, self.split)

    @property
    def expected_by_rule(self) -> str:
        """The label under our labelling rule (the source's own label unless a rule_label says otherwise)."""
        return self.rule_label or self.label


@dataclass
class GuidanceDoc:
    meta: GuidanceMeta
    body: str
    path: Path


@dataclass
class SourceFile:
    """One knowledge file: its stable key (used in the index), kind, path and content hash."""

    key: str
    kind: str  # guidance | measures | examples
    path: Path
    hash: str
    items: list[Any] = field(default_factory=list)


def _fail(path: Path, line: int | None, what: str, hint: str = "") -> KnowledgeError:
    where = f"{path}" + (f", line {line}" if line else "")
    return KnowledgeError(f"{where}: {what}", hint or "Fix the file and run `coach ingest` again.")


def parse_guidance(path: Path, text: str) -> GuidanceDoc:
    if not text.startswith("---"):
        raise _fail(path, 1, "missing YAML front matter (the file must start with a '---' line)")
    end = text.find("\n---", 3)
    if end == -1:
        raise _fail(path, 1, "front matter is not closed by a '---' line")
    raw = text[3:end]
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1  # raw starts on the opening --- line
        raise _fail(path, line, f"front matter is not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(data, dict):
        raise _fail(path, 2, "front matter must be a mapping of id, title, sources, tags, audience")
    try:
        meta = GuidanceMeta.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field_name = ".".join(str(p) for p in err["loc"])
        raise _fail(path, 2, f"front matter field '{field_name}': {err['msg']}") from None
    body = text[end + 4 :].lstrip("\n")
    if not body.strip():
        raise _fail(path, None, "the document has front matter but no body")
    return GuidanceDoc(meta=meta, body=body, path=path)


def _load_yaml(path: Path, text: str) -> tuple[Any, Any]:
    """The YAML's node tree (for line numbers) and its data; a syntax error names the file and line."""
    try:
        return yaml.compose(text), yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise _fail(path, mark.line + 1 if mark else None, f"not valid YAML ({getattr(exc, 'problem', exc)})") from None


def parse_measures(path: Path, text: str) -> list[Measure]:
    root, data = _load_yaml(path, text)
    if not isinstance(data, dict) or not isinstance(data.get("measures"), list):
        raise _fail(path, 1, "expected a mapping with a 'measures' list")
    lines: list[int] = []
    if root is not None:
        for key_node, value_node in root.value:
            if key_node.value == "measures":
                lines = [n.start_mark.line + 1 for n in value_node.value]
    default_domain = data.get("domain")
    out: list[Measure] = []
    for i, item in enumerate(data["measures"]):
        line = lines[i] if i < len(lines) else None
        if not isinstance(item, dict):
            raise _fail(path, line, f"measure #{i + 1} is not a mapping")
        if default_domain and "domain" not in item:
            item = {**item, "domain": default_domain}
        try:
            m = Measure.model_validate(item)
        except ValidationError as exc:
            err = exc.errors()[0]
            field_name = ".".join(str(p) for p in err["loc"])
            ident = item.get("id", f"#{i + 1}")
            msg = "is missing" if err["type"] == "missing" else f": {err['msg']}"
            raise _fail(path, line, f"measure '{ident}': field '{field_name}' {msg}".replace("' :", "':")) from None
        out.append(m)
    return out


_LABELS_HINT = "use 'output', 'outcome' or 'none' (or give 'output' and 'outcome' parts of a mixed statement)"


def _example(path: Path, n: int, obj: dict[str, Any]) -> Example:
    try:
        return Example.model_validate({k: v for k, v in obj.items() if k in Example.model_fields})
    except ValidationError as exc:
        err = exc.errors()[0]
        raise _fail(path, n, f"field '{err['loc'][0]}': {err['msg']}") from None


def _mixed_parts(path: Path, n: int, obj: dict[str, Any]) -> list[Example]:
    """A mixed statement {"text","output","outcome"}: each part, an exact substring, becomes a labelled example
    (kept in the same split as the whole statement, so a whole never trains while its part is evaluated)."""
    whole = obj.get("text")
    if not isinstance(whole, str) or not whole.strip():
        raise _fail(path, n, "field 'text': a mixed statement needs its whole text")
    parts: list[Example] = []
    for label in ("output", "outcome"):
        part = obj.get(label)
        if not isinstance(part, str) or not part.strip():
            raise _fail(path, n, f"field '{label}': give the {label} part of the mixed statement as text")
        if part not in whole:
            raise _fail(path, n, f"field '{label}': the part must be an exact substring of 'text'")
        reason = f"The {label} part of the mixed statement '{whole}'."
        fields = {"text": part, "label": label, "reason": reason, "whole": whole}
        fields |= {k: obj[k] for k in ("domain", "split", "source") if k in obj}
        parts.append(_example(path, n, fields))
    return parts


def parse_examples(path: Path, text: str) -> list[Example]:
    """JSONL: one {"text","label"[,"domain","reason","split","source","disputed"]} object per line, label output,
    outcome or none; or a mixed statement {"text","output","outcome"[,"domain"]} whose two parts are labelled."""
    out: list[Example] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _fail(path, n, f"not valid JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise _fail(path, n, "each line must be a JSON object with text and label")
        if "label" not in obj and ("output" in obj or "outcome" in obj):
            out += _mixed_parts(path, n, obj)
            continue
        if obj.get("label") not in ("output", "outcome", "none"):
            raise _fail(path, n, f"unknown label {obj.get('label')!r}: {_LABELS_HINT}")
        if obj.get("rule_label") not in (None, "output", "outcome"):
            raise _fail(path, n, f"unknown rule_label {obj.get('rule_label')!r}: use 'output' or 'outcome'")
        out.append(_example(path, n, obj))
    return out


def read_mixed(path: Path) -> list[tuple[str, str, str]]:
    """The mixed statements of a JSONL file as (whole, output part, outcome part), validated like any examples."""
    whole: dict[str, dict[str, str]] = {}
    for e in read_jsonl_labelled(path):
        if e.whole:
            whole.setdefault(e.whole, {})[e.label] = e.text
    return [(w, p["output"], p["outcome"]) for w, p in whole.items()]


@dataclass
class SectionQuestions:
    """The questions one guidance section answers, in a reader's words: extra search keys for the section (they
    are embedded at ingest and never shown). `line` is where the section is named in its file."""

    doc_id: str
    section: str
    questions: list[str]
    line: int


MAX_QUESTIONS = 8  # per section: a few varied phrasings, not a bank of every way to ask


def parse_questions(path: Path, text: str) -> list[SectionQuestions]:
    """YAML: `doc: <guidance id>` and `sections:` mapping each section heading (as written after `##`) to a
    list of questions. That the document and its sections exist is checked against the guidance at ingest."""
    root, data = _load_yaml(path, text)
    if not isinstance(data, dict) or not isinstance(data.get("doc"), str) or not isinstance(data.get("sections"), dict):
        raise _fail(path, 1, "expected a mapping with 'doc' (a guidance id) and 'sections' (heading → questions)")
    lines: dict[str, int] = {}
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            if key_node.value == "sections" and isinstance(value_node, yaml.MappingNode):
                lines = {str(k.value): k.start_mark.line + 1 for k, _ in value_node.value}
    out: list[SectionQuestions] = []
    for section, questions in data["sections"].items():
        line = lines.get(str(section), 1)
        if not isinstance(questions, list) or not questions:
            raise _fail(path, line, f"section '{section}': give a list of questions")
        if len(questions) > MAX_QUESTIONS:
            raise _fail(path, line, f"section '{section}': {len(questions)} questions, at most {MAX_QUESTIONS}")
        bad = next((q for q in questions if not isinstance(q, str) or not q.strip()), None)
        if bad is not None or any(len(q) > 300 for q in questions):
            raise _fail(path, line, f"section '{section}': each question must be text of at most 300 characters")
        out.append(SectionQuestions(data["doc"], str(section), [" ".join(q.split()) for q in questions], line))
    return out


KIND_GLOBS = {
    "guidance": "guidance/**/*.md",
    "measures": "measures/**/*.yaml",
    "examples": "examples/**/*.jsonl",
    "questions": "questions/**/*.yaml",
}


def _key(root: Path, path: Path, core_root: Path | None) -> str:
    rel = path.relative_to(root).as_posix()
    if core_root is not None and root.resolve() == core_root.resolve():
        return f"knowledge/{rel}"
    return f"{root.resolve().as_posix()}/{rel}"


def scan(roots: list[Path], core_root: Path | None = None) -> list[SourceFile]:
    """Read and validate every knowledge file under the roots. Raises KnowledgeError on the first problem."""
    files: list[SourceFile] = []
    for root in roots:
        if not root.is_dir():
            raise KnowledgeError(
                f"Knowledge folder not found: {root}.",
                "Give a folder holding guidance/*.md, measures/*.yaml and/or examples/*.jsonl.",
            )
        found = 0
        for kind, pattern in KIND_GLOBS.items():
            for path in sorted(root.glob(pattern)):
                if path.name.lower() == "readme.md":
                    continue
                raw = path.read_bytes()
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise _fail(path, None, f"not UTF-8 text (byte {exc.start})") from None
                items: list[Any]
                if kind == "guidance":
                    items = [parse_guidance(path, text)]
                elif kind == "measures":
                    items = list(parse_measures(path, text))
                elif kind == "questions":
                    items = parse_questions(path, text)
                else:
                    items = list(parse_examples(path, text))
                files.append(SourceFile(_key(root, path, core_root), kind, path, content_hash(raw), items))
                found += 1
        if found == 0:
            raise KnowledgeError(
                f"No knowledge files in {root}.",
                "Expected guidance/*.md, measures/*.yaml or examples/*.jsonl below it.",
            )
    seen: dict[str, str] = {}
    for f in files:
        ids = (
            [d.meta.id for d in f.items]
            if f.kind == "guidance"
            else ([m.id for m in f.items] if f.kind == "measures" else [])
        )
        for ident in ids:
            if ident in seen and seen[ident] != f.key:
                raise _fail(f.path, None, f"id '{ident}' is already used in {seen[ident]}", "Ids must be unique.")
            seen[ident] = f.key
    return files


def load_measures(roots: list[Path]) -> list[Measure]:
    return [m for f in scan(roots) if f.kind == "measures" for m in f.items]


def load_examples(roots: list[Path]) -> list[Example]:
    return [e for f in scan(roots) if f.kind == "examples" for e in f.items]


def read_jsonl_labelled(path: Path) -> list[Example]:
    """Any file of {"text","label"} lines, or every *.jsonl file of a folder (used by `coach eval`)."""
    if path.is_dir():
        files = sorted(path.glob("**/*.jsonl"))
        if not files:
            raise KnowledgeError(f"No .jsonl files in {path}.", "Give a JSONL file or a folder holding some.")
        return [e for f in files for e in read_jsonl_labelled(f)]
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeError(f"File not found: {path}.", "Give the path of a JSONL file.") from None
    except UnicodeDecodeError:
        raise KnowledgeError(f"{path} is not UTF-8 text.", "Save it as UTF-8.") from None
    except OSError as exc:
        raise KnowledgeError(
            f"Cannot read {path} ({exc.strerror}).", "Give the path of a readable JSONL file."
        ) from None
    return parse_examples(path, text)


# ----- the index's metadata format (written by ingest, read back by every index adapter) ------------------
def citation_from(meta: dict[str, Any]) -> Citation | None:
    if "doc_id" not in meta:
        return None
    sources = [s for s in str(meta.get("sources", "")).split(" | ") if s]
    return Citation(
        doc_id=str(meta["doc_id"]),
        title=str(meta.get("title", "")),
        section=str(meta.get("section", "")),
        sources=sources,
    )


_ANSWER_ONLY = frozenset({"section_text", "section_no"})


def passage_from(kind: Kind, pid: str, doc: str, meta: dict[str, Any], score: float) -> Passage:
    # The section's whole text is for knowledge answers (read from the snapshot), not for every search result.
    flat = {k: v for k, v in meta.items() if isinstance(v, str | int | float | bool) and k not in _ANSWER_ONLY}
    return Passage(
        id=pid, kind=kind, text=doc, score=round(float(score), 4), citation=citation_from(meta), metadata=flat
    )


def measure_from_meta(meta: dict[str, Any]) -> Measure:
    """The library measure stored with an indexed measure passage."""
    return Measure.model_validate_json(str(meta["json"]))
