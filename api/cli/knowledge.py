"""`coach ingest`, `coach search`, `coach measures`: the knowledge base and the measure library."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from api.cli import state
from api.cli.render import Fmt, TextJson, err, measure_table, out


class KindOpt(StrEnum):
    guidance = "guidance"
    measures = "measures"
    examples = "examples"


def ingest(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(help="Extra folders of guidance/measures/examples.")] = None,
    force: Annotated[bool, typer.Option(help="Re-embed everything.")] = False,
    forget: Annotated[list[Path] | None, typer.Option(help="Stop including a folder added earlier.")] = None,
    team: Annotated[
        str | None,
        typer.Option(help="The folders are this team's own: only its sessions, searches and measures see them."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Build or refresh the knowledge index (idempotent: unchanged files are skipped). Creates the data folder
    (COACH_DATA_DIR, default .coach-data here) when there is none yet. Folders given without --team are
    organisation-wide; with --team T they are private to team T (and --forget then forgets only T's)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    st = state(ctx)
    st.creating = True
    new_folder = not st.settings.data_dir.exists()
    svc = st.service
    if new_folder:
        err.print(f"Created the data folder {st.settings.data_dir.resolve()}.", highlight=False, markup=False)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=quiet,
    ) as bar:
        task = bar.add_task("Embedding knowledge", total=None)

        def progress(_phase: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        report = svc.ingest(extra=paths or None, progress=progress, force=force, forget=forget, team=team)
    svc.classifier()
    counts = ", ".join(f"{v} {k}" for k, v in report.counts.items())
    if report.noop:
        msg = f"Index up to date ({report.files} files; {counts}) in {report.seconds:.1f}s."
    else:
        msg = (
            f"Indexed {len(report.changed)} changed file(s), removed {len(report.removed)}, "
            f"{report.chunks_added} chunks added ({counts}) in {report.seconds:.1f}s."
        )
    (err if quiet else out).print(msg)


def search(
    ctx: typer.Context,
    query: str,
    k: Annotated[int, typer.Option("--k", "-k", help="How many passages.")] = 5,
    kind: Annotated[KindOpt, typer.Option(help="Which collection.")] = KindOpt.guidance,
    team: Annotated[str, typer.Option(help="Search as this team: the organisation's knowledge and its own.")] = "local",
    format: Annotated[Fmt, typer.Option("--format", "-f")] = Fmt.text,
) -> None:
    """Search the knowledge base by meaning; passages come with their citation."""
    hits = state(ctx).service.search(query, k=k, kind=kind.value, team=team)  # type: ignore[arg-type,unused-ignore]
    if format != Fmt.text:
        print(json.dumps([h.model_dump() for h in hits], ensure_ascii=False, indent=None if format == Fmt.jsonl else 2))
        return
    for n, h in enumerate(hits, 1):
        head = h.citation.label() if h.citation else h.metadata.get("name", h.id)
        out.print(f"[bold]{n}. {escape(str(head))}[/]  [dim]score {h.score:.3f}[/]")
        out.print(h.text, markup=False, highlight=False)
        if h.citation and h.citation.sources:
            out.print("[dim]Sources: " + escape("; ".join(h.citation.sources)) + "[/]")
        elif h.kind == "examples":
            out.print(f"[dim]label: {h.metadata.get('label')} · domain: {h.metadata.get('domain')}[/]")
        out.print()


def measures(
    ctx: typer.Context,
    outcome: Annotated[str, typer.Argument(help='The outcome, e.g. "Fewer patients are readmitted".')],
    k: Annotated[int, typer.Option("--k", "-k", help="How many measures (1-10).")] = 3,
    team: Annotated[str, typer.Option(help="Propose as this team: the organisation's library and its own.")] = "local",
    format: Annotated[TextJson, typer.Option("--format", "-f")] = TextJson.text,
) -> None:
    """Propose outcome measures from the library, adapted to the outcome (≥1 leading, ≥1 lagging)."""
    found = state(ctx).service.propose_measures(outcome, k=k, team=team)
    if format == TextJson.json:
        print(json.dumps([m.model_dump(mode="json") for m in found], ensure_ascii=False, indent=2))
        return
    if not found:
        out.print("No measures found. Run `coach ingest` to index the measure library.")
        return
    out.print(measure_table(found, title=f"Measures for: {escape(outcome)}"))
    for m in found:
        where = (
            "drafted: the library has no close match"
            if m.drafted
            else f"{m.fit_label}, fit {m.fit:.2f}, from {m.library_id}"
        )
        out.print(f"[bold]{escape(m.name)}[/] [dim]({escape(where)})[/]", highlight=False)
        out.print(f"  baseline: {m.baseline_prompt}", highlight=False, markup=False)
        out.print(f"  target:   {m.target_prompt}", highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    app.command()(ingest)
    app.command()(search)
    app.command()(measures)
