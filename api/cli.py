"""`coach` command line: ingest, search, classify, correct, eval, measures, chat, sessions, export, keys, serve."""

from __future__ import annotations

import json
import logging
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from coach.config import Settings, get_settings
from coach.errors import CoachError
from coach.service import CoachService
from coach.text import MAX_STATEMENT

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Outcome Coach: from outputs to outcomes.")
out = Console()
err = Console(stderr=True)


class Fmt(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


class KindOpt(str, Enum):
    guidance = "guidance"
    measures = "measures"
    examples = "examples"


_service: CoachService | None = None


def service(settings: Settings | None = None) -> CoachService:
    global _service
    if _service is None:
        from api.container import build

        _service = build(settings or get_settings())
    return _service


def fail(exc: CoachError, code: int = 2) -> None:
    err.print(f"[bold red]Error:[/] {exc.message}")
    if exc.hint:
        err.print(f"[dim]{exc.hint}[/]")
    raise typer.Exit(code)


@app.callback()
def _main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log more.")] = False) -> None:
    level = "DEBUG" if verbose else get_settings().log_level
    logging.basicConfig(level=level if verbose else "WARNING", format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("coach").setLevel(level)
    for noisy in ("httpx", "chromadb", "sentence_transformers", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


@app.command()
def ingest(
    paths: Annotated[list[Path] | None, typer.Argument(help="Extra folders of guidance/measures/examples.")] = None,
    force: Annotated[bool, typer.Option(help="Re-embed everything.")] = False,
    forget: Annotated[list[Path] | None, typer.Option(help="Stop including a folder added earlier.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Build or refresh the knowledge index (idempotent: unchanged files are skipped)."""
    try:
        svc = service()
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=err, transient=True, disable=quiet,
        ) as bar:
            task = bar.add_task("Embedding knowledge", total=None)

            def progress(_phase: str, done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            report = svc.ingest(extra=paths or None, progress=progress, force=force, forget=forget)
        svc.classifier()
    except CoachError as exc:
        fail(exc)
        return
    counts = ", ".join(f"{v} {k}" for k, v in report.counts.items())
    if report.noop:
        msg = f"Index up to date ({report.files} files; {counts}) in {report.seconds:.1f}s."
    else:
        msg = (
            f"Indexed {len(report.changed)} changed file(s), removed {len(report.removed)}, "
            f"{report.chunks_added} chunks added ({counts}) in {report.seconds:.1f}s."
        )
    (err if quiet else out).print(msg)


@app.command()
def search(
    query: str,
    k: Annotated[int, typer.Option("--k", "-k", help="How many passages.")] = 5,
    kind: Annotated[KindOpt, typer.Option(help="Which collection.")] = KindOpt.guidance,
    format: Annotated[Fmt, typer.Option("--format", "-f")] = Fmt.text,
) -> None:
    """Search the knowledge base by meaning; passages come with their citation."""
    try:
        hits = service().search(query, k=k, kind=kind.value)  # type: ignore[arg-type]
    except CoachError as exc:
        fail(exc)
        return
    if format != Fmt.text:
        print(json.dumps([h.model_dump() for h in hits], ensure_ascii=False, indent=None if format == Fmt.jsonl else 2))
        return
    for n, h in enumerate(hits, 1):
        head = h.citation.label() if h.citation else h.metadata.get("name", h.id)
        out.print(f"[bold]{n}. {head}[/]  [dim]score {h.score:.3f}[/]")
        out.print(h.text, markup=False, highlight=False)
        if h.citation and h.citation.sources:
            out.print("[dim]Sources: " + "; ".join(h.citation.sources) + "[/]")
        elif h.kind == "examples":
            out.print(f"[dim]label: {h.metadata.get('label')} · domain: {h.metadata.get('domain')}[/]")
        out.print()


def _classification_json(c: Any) -> dict[str, Any]:
    return {
        "text": c.text,
        "label": c.label,
        "confidence": c.confidence,
        "rationale": c.rationale,
        "evidence": [e.model_dump(exclude_none=True) for e in c.evidence],
        "needs_clarification": c.needs_clarification,
        "commitment": c.commitment,
        "start": c.start,
        "end": c.end,
    }


def _print_classification(c: Any) -> None:
    colour = "cyan" if c.label == "output" else "green"
    unsure = "  [yellow](unsure — the coach would ask)[/]" if c.needs_clarification else ""
    out.print(f"[bold {colour}]{c.label.upper()}[/] {c.confidence:.0%}  [bold]{c.text}[/]{unsure}", highlight=False)
    out.print(f"  [dim]why:[/] {c.rationale}", highlight=False)
    if c.commitment:
        out.print(f"  [dim]note:[/] looks like a {c.commitment}: a fair commitment, still worth naming the outcome it serves")
    for e in c.evidence:
        if e.kind == "example":
            out.print(f"  [dim]like:[/] {e.text} [dim]({e.label}, {e.similarity:.2f})[/]", highlight=False)
        elif e.citation:
            out.print(f"  [dim]guidance:[/] {e.citation.label()} [dim]— {'; '.join(e.citation.sources[:2])}[/]",
                      highlight=False)


@app.command()
def classify(
    text: Annotated[str | None, typer.Argument(help="Statements to classify; omit with --format jsonl.")] = None,
    format: Annotated[Fmt, typer.Option("--format", "-f", help="text, json, or jsonl (reads stdin)")] = Fmt.text,
    split: Annotated[bool, typer.Option("--split/--no-split", help="Split text into statements.")] = True,
) -> None:
    """Classify statements as output or outcome, with confidence, the reason and the evidence."""
    svc = service()
    if format == Fmt.jsonl:
        _classify_stream(svc, split)
        return
    if text is None:
        fail(CoachError("No text given.", 'Pass it as an argument, e.g. coach classify "We ran 14 workshops".'))
        return
    try:
        result = svc.classify(text, split=split)
    except CoachError as exc:
        fail(exc)
        return
    if format == Fmt.json:
        print(json.dumps({"statements": [_classification_json(c) for c in result]}, ensure_ascii=False, indent=2))
        return
    for c in result:
        _print_classification(c)


def _classify_stream(svc: CoachService, split: bool) -> None:
    failures = 0
    for n, raw in enumerate(sys.stdin.buffer, start=1):
        try:
            line = raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError as exc:
            failures += 1
            err.print(f"line {n}: not valid UTF-8 (byte {exc.start}); skipped. Save the input as UTF-8.")
            continue
        if not line.strip():
            continue
        if len(line) > MAX_STATEMENT:
            failures += 1
            err.print(f"line {n}: too long ({len(line):,} characters; the limit is {MAX_STATEMENT:,}); skipped.")
            continue
        try:
            for c in svc.classify(line, split=split):
                print(json.dumps(_classification_json(c), ensure_ascii=False), flush=False)
        except CoachError as exc:
            failures += 1
            err.print(f"line {n}: {exc}")
    sys.stdout.flush()
    if failures:
        raise typer.Exit(1)


@app.command()
def correct(
    text: str,
    label: Annotated[str, typer.Option("--label", "-l", help="output or outcome")],
) -> None:
    """Record a correction; it applies to identical text at once and to the model on its next training."""
    try:
        cid = service().correct(text, label, source="cli")
    except CoachError as exc:
        fail(exc)
        return
    out.print(f"Recorded correction #{cid}: '{text}' is an {label}.")


@app.command("eval")
def eval_cmd(
    file: Path,
    split: Annotated[str | None, typer.Option(help="Only lines of this split (train|dev); dev uses the train-only model.")] = None,
    format: Annotated[Fmt, typer.Option("--format", "-f")] = Fmt.text,
    worst: Annotated[int, typer.Option(help="How many mistakes to list.")] = 10,
) -> None:
    """Accuracy, macro-F1, confusion matrix, per-domain accuracy and the worst mistakes on a labelled JSONL file."""
    from coach.knowledge import read_jsonl_labelled

    try:
        examples = read_jsonl_labelled(file)
        if split:
            examples = [e for e in examples if e.resolved_split == split]
        scope = "train" if split == "dev" else "all"
        report = service().evaluate(examples, scope=scope, worst=worst)
    except CoachError as exc:
        fail(exc)
        return
    if format != Fmt.text:
        print(report.model_dump_json(indent=2))
        return
    out.print(f"[bold]{file}[/] ({report.n} statements{', split ' + split if split else ''})")
    out.print(f"accuracy [bold]{report.accuracy:.1%}[/]   macro-F1 [bold]{report.macro_f1:.3f}[/]   "
              f"mean confidence right {report.mean_confidence_right:.2f} / wrong {report.mean_confidence_wrong:.2f}   "
              f"would ask {report.clarify_rate:.0%}")
    cm = Table(title="confusion (rows: expected)")
    cm.add_column("")
    cm.add_column("→ output")
    cm.add_column("→ outcome")
    for lab, row in report.confusion.items():
        cm.add_row(lab, str(row["output"]), str(row["outcome"]))
    out.print(cm)
    dom = Table(title="per domain")
    dom.add_column("domain")
    dom.add_column("n", justify="right")
    dom.add_column("accuracy", justify="right")
    for d, v in report.per_domain.items():
        dom.add_row(d, str(int(v["n"])), f"{v['accuracy']:.1%}")
    out.print(dom)
    if report.worst:
        out.print("[bold]worst mistakes[/]")
        for m in report.worst:
            out.print(f"  {m.confidence:.0%} said {m.predicted}, is {m.expected}: {m.text}", highlight=False)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Start the HTTP server (API, widget demo page, Slack endpoint)."""
    import uvicorn

    from api.app import check_bind

    try:
        check_bind(get_settings(), host)
    except CoachError as exc:
        fail(exc)
        return
    out.print(f"Outcome Coach on http://{host}:{port}/  (Ctrl+C to stop)")
    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, workers=workers, log_level="info")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
