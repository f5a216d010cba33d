"""knowledge/ → chunks → embeddings → vector store. Idempotent by content hash; validates before writing."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from langchain_text_splitters import MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter

from coach.domain import KINDS, Kind, Measure
from coach.errors import KnowledgeError
from coach.knowledge import Example, GuidanceDoc, SectionQuestions, SourceFile, scan
from coach.ports import KnowledgeIndex
from coach.tenancy import ORG, TEAM_KEY

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (phase, done, total)


@dataclass
class Chunk:
    id: str
    text: str  # what is stored and shown
    embed_text: str  # what is embedded (adds the title and section for better retrieval)
    metadata: dict[str, Any]


@dataclass
class IngestReport:
    files: int = 0
    unchanged: int = 0
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    chunks_added: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def noop(self) -> bool:
        return not self.changed and not self.removed


_HEADERS = [("#", "h1"), ("##", "h2"), ("###", "h3")]


def sections(doc: GuidanceDoc) -> list[tuple[str, str]]:
    """The document's sections in order: (name, text). The name is the `##` heading (the `#` title before the
    first one; "heading › subheading" under a `###`): what answers cite and section questions are keyed by."""
    out = []
    for part in MarkdownHeaderTextSplitter(_HEADERS, strip_headers=True).split_text(doc.body):
        section = part.metadata.get("h2") or part.metadata.get("h1") or doc.meta.title
        if part.metadata.get("h3"):
            section = f"{section} › {part.metadata['h3']}"
        out.append((section, part.page_content))
    return out


def chunk_guidance(doc: GuidanceDoc, chunk_size: int = 1000, overlap: int = 120) -> list[Chunk]:
    """Markdown-aware: split on headings first, then long sections by paragraphs and sentences.

    Each chunk also records its section's whole text (`section_text`) and position (`section_no`), so an
    answer can quote a section whole (a list is never cut) even when the section was split for embedding."""
    splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_size, chunk_overlap=overlap)
    chunks: list[Chunk] = []
    for section_no, (section, content) in enumerate(sections(doc)):
        for piece in splitter.split_text(content):
            if not piece.strip():
                continue
            n = len(chunks)
            chunks.append(
                Chunk(
                    id=f"{doc.meta.id}#{n}",
                    text=piece.strip(),
                    embed_text=f"{doc.meta.title}. {section}. {piece.strip()}",
                    metadata={
                        "doc_id": doc.meta.id,
                        "title": doc.meta.title,
                        "section": section,
                        "sources": " | ".join(doc.meta.sources),
                        "tags": ",".join(doc.meta.tags),
                        "audience": ",".join(doc.meta.audience),
                        "section_no": section_no,
                        "section_text": content.strip(),
                    },
                )
            )
    return chunks


def measure_text(m: Measure) -> str:
    """What a measure chunk says and is embedded as: its wording with the population slot filled by the
    library's own population, what it evidences, and the other words people use for it."""
    shown = m.rendered()
    text = f"{shown.name}. {shown.definition} Evidences: {'; '.join(m.outcome_themes)}."
    if m.keywords:
        text += f" Also called: {', '.join(m.keywords)}."
    return text


def chunk_measure(m: Measure) -> Chunk:
    """The stored JSON keeps the slot (so a proposal can fill it with the person's population)."""
    return Chunk(
        id=m.id,
        text=measure_text(m),
        embed_text=measure_text(m),
        metadata={
            "measure_id": m.id,
            "domain": m.domain,
            "kind": m.kind,
            "name": m.rendered().name,
            "json": m.model_dump_json(),
        },
    )


def chunk_example(e: Example, key: str, n: int) -> Chunk:
    return Chunk(
        id=f"{key}:{n}",
        text=e.text,
        embed_text=e.text,
        metadata={"label": e.label, "domain": e.domain, "reason": e.reason, "split": e.resolved_split},
    )


def chunk_questions(q: SectionQuestions, key: str, start: int) -> list[Chunk]:
    """One key per question, embedded as written; `doc_id` and `section` say which section it finds."""
    return [
        Chunk(id=f"{key}:{start + i}", text=text, embed_text=text, metadata={"doc_id": q.doc_id, "section": q.section})
        for i, text in enumerate(q.questions)
    ]


def check_questions(files: list[SourceFile]) -> None:
    """Every section question names a guidance document and a section of it that exist (a renamed heading
    would otherwise leave its questions finding nothing), and each section is listed once per file."""
    known = {d.meta.id: {name for name, _ in sections(d)} for f in files if f.kind == "guidance" for d in f.items}
    for f in files:
        if f.kind != "questions":
            continue
        seen: set[tuple[str, str]] = set()
        for q in f.items:
            if q.doc_id not in known:
                raise KnowledgeError(
                    f"{f.path}, line 1: no guidance document with id '{q.doc_id}'",
                    "Set 'doc' to the id in a guidance file's front matter.",
                )
            if q.section not in known[q.doc_id]:
                raise KnowledgeError(
                    f"{f.path}, line {q.line}: guidance '{q.doc_id}' has no section '{q.section}'",
                    "Use the section's heading exactly as written after '##': "
                    + "; ".join(f"'{n}'" for n in sorted(known[q.doc_id])),
                )
            if (q.doc_id, q.section) in seen:
                raise KnowledgeError(
                    f"{f.path}, line {q.line}: section '{q.section}' is listed twice", "Merge its questions."
                )
            seen.add((q.doc_id, q.section))


def chunks_for(f: SourceFile, team: str = ORG) -> list[Chunk]:
    """A file's chunks; a team's private file gets ids of its own (a team's measure or guidance document may
    share an id with the organisation's) and `team` in its metadata (organisation-wide: "")."""
    if f.kind == "guidance":
        out = [c for doc in f.items for c in chunk_guidance(doc)]
    elif f.kind == "measures":
        out = [chunk_measure(m) for m in f.items]
    elif f.kind == "questions":
        out = []
        for q in f.items:
            out += chunk_questions(q, f.key, len(out))
    else:
        out = [chunk_example(e, f.key, n) for n, e in enumerate(f.items)]
    for c in out:
        c.metadata["source"] = f.key
        c.metadata["file_hash"] = f.hash
        c.metadata[TEAM_KEY] = team
        if team:
            c.id = f"team:{team}/{c.id}"
    return out


def _owner(f: SourceFile, teams: dict[str, str]) -> str:
    """The team a file belongs to (its folder was ingested with --team), or "" (organisation-wide)."""
    path = f.path.resolve()
    for root, team in teams.items():
        if path.is_relative_to(Path(root)):
            return team
    return ORG


def _tag(files: list[SourceFile], teams: dict[str, str]) -> dict[str, str]:
    """Key every team's file apart (moving a folder between teams re-ingests it); returns key → team."""
    owners: dict[str, str] = {}
    for f in files:
        team = _owner(f, teams) if teams else ORG
        if team:
            f.key = f"team:{team}:{f.key}"
        owners[f.key] = team
    return owners


def _untagged(index: KnowledgeIndex, kind: Kind) -> bool:
    """An index built before teams (chunks without `team`) is rebuilt once, so filters never miss a chunk."""
    return bool(index.count(kind)) and any(TEAM_KEY not in m for m in index.snapshot(kind).metadatas)


def ingest(
    index: KnowledgeIndex,
    roots: list[Path],
    core_root: Path | None = None,
    progress: Progress | None = None,
    force: bool = False,
    teams: dict[str, str] | None = None,
) -> IngestReport:
    """Bring the index in line with the knowledge files. Nothing is written unless everything validates.
    `teams` maps a root folder (resolved) to the team it is private to; other folders are organisation-wide."""
    t0 = time.perf_counter()
    files = scan(roots, core_root)  # raises KnowledgeError naming file and line; index untouched
    check_questions(files)
    owners = _tag(files, teams or {})
    report = IngestReport(files=len(files))
    plan: dict[Kind, tuple[list[str], list[Chunk]]] = {}
    rebuild: set[Kind] = set()
    for kind in KINDS:
        current = {f.key: f for f in files if f.kind == kind}
        if force or (index.count(kind) and index.embedder_of(kind) != index.embedder.name) or _untagged(index, kind):
            rebuild.add(kind)
            existing: dict[str, str] = {}
        else:
            existing = index.sources(kind)
        stale = [k for k, h in existing.items() if k not in current or current[k].hash != h]
        todo = [f for k, f in current.items() if existing.get(k) != f.hash]
        report.unchanged += len(current) - len(todo)
        report.changed += [f.key for f in todo]
        report.removed += [k for k in stale if k not in current]
        plan[kind] = (stale, [c for f in todo for c in chunks_for(f, owners[f.key])])

    # Embed everything new before touching the index.
    embedded: dict[Kind, np.ndarray] = {}
    total = sum(len(chunks) for _, chunks in plan.values())
    done = 0
    for kind, (_, chunks) in plan.items():
        vecs = []
        for i in range(0, len(chunks), 128):
            batch = chunks[i : i + 128]
            vecs.append(index.embedder.embed([c.embed_text for c in batch]))
            done += len(batch)
            if progress:
                progress("embedding", done, total)
        embedded[kind] = np.vstack(vecs) if vecs else np.zeros((0, index.embedder.dimension), dtype=np.float32)

    for kind, (stale, chunks) in plan.items():
        if kind in rebuild:
            index.reset(kind)
        elif stale:
            index.delete_sources(kind, stale)
        if chunks:
            index.add(
                kind,
                [c.id for c in chunks],
                [c.text for c in chunks],
                embedded[kind],
                [c.metadata for c in chunks],
            )
        report.chunks_added += len(chunks)
        report.counts[kind] = index.count(kind)
    report.seconds = time.perf_counter() - t0
    log.info(
        "ingest: %d files, %d changed, %d removed, %d chunks added in %.2fs",
        report.files,
        len(report.changed),
        len(report.removed),
        report.chunks_added,
        report.seconds,
    )
    return report
