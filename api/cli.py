"""`coach` command line: ingest, search, classify, correct, eval, measures, chat, sessions, export, keys, serve."""

from __future__ import annotations

import json
import logging
import sys
from enum import StrEnum
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


class Fmt(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


class KindOpt(StrEnum):
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
        out.print(
            f"  [dim]note:[/] looks like a {c.commitment}: a fair commitment, still worth naming the outcome it serves"
        )
    for e in c.evidence:
        if e.kind == "example":
            out.print(f"  [dim]like:[/] {e.text} [dim]({e.label}, {e.similarity:.2f})[/]", highlight=False)
        elif e.citation:
            out.print(
                f"  [dim]guidance:[/] {e.citation.label()} [dim]— {'; '.join(e.citation.sources[:2])}[/]",
                highlight=False,
            )


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
    split: Annotated[
        str | None, typer.Option(help="Only lines of this split (train|dev); dev uses the train-only model.")
    ] = None,
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
    out.print(
        f"accuracy [bold]{report.accuracy:.1%}[/]   macro-F1 [bold]{report.macro_f1:.3f}[/]   "
        f"mean confidence right {report.mean_confidence_right:.2f} / wrong {report.mean_confidence_wrong:.2f}   "
        f"would ask {report.clarify_rate:.0%}"
    )
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
    _require_keys_off_loopback(host)
    out.print(f"Outcome Coach on http://{host}:{port}/  (Ctrl+C to stop)")
    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, workers=workers, log_level="info")


# ----- conversations: chat, sessions, export, measures -------------------------------------------------
from enum import StrEnum  # noqa: E402


class MapFmt(StrEnum):
    md = "md"
    json = "json"
    csv = "csv"
    svg = "svg"


class TextJson(StrEnum):
    text = "text"
    json = "json"


_CHIP = {"output": "bold white on dark_cyan", "outcome": "bold white on green4"}
_QUIT = {"/quit", "/exit", "/q", ":q"}
_CHAT_HELP = (
    "Type a statement about your work, answer the coach's question, or try: 'summary', 'skip', 'start over', "
    "'why is this an output?', 'no, that is an outcome', 'propose measures'. /quit (or Ctrl+D) leaves; "
    "the session is saved after every turn."
)


def _measure_table(measures: list[Any], title: str | None = None) -> Table:
    from rich.markup import escape

    t = Table(title=title, show_lines=True, expand=False)
    for col, style in (
        ("Measure", "bold"),
        ("Kind", ""),
        ("Definition", ""),
        ("Calculation", "dim"),
        ("Data source · cadence", ""),
        ("Gaming risk", "dim"),
        ("Balancing measure", "dim"),
    ):
        t.add_column(col, style=style or None, overflow="fold")
    for m in measures:
        kind = f"[magenta]{m.kind}[/]" if m.kind == "leading" else f"[blue]{m.kind}[/]"
        t.add_row(
            escape(m.name),
            kind,
            escape(m.definition),
            escape(m.calculation),
            escape(f"{', '.join(m.data_sources)} · {m.cadence}"),
            escape(m.gaming_risk),
            escape(m.balancing_measure),
        )
    return t


def _print_reply(reply: Any) -> None:
    """One coach reply: label chips per statement, the text, directions, measures, the question, citations."""
    from rich.markup import escape

    for c in reply.statements:
        chip = f"[{_CHIP.get(c.label, 'bold')}] {c.label.upper()} [/]"
        unsure = " [black on yellow] UNSURE [/]" if c.needs_clarification else ""
        note = f" [dim]({escape(c.commitment)})[/]" if c.commitment else ""
        out.print(f"{chip}{unsure} {c.confidence:.0%}  {escape(c.text)}{note}", highlight=False)
    body = reply.text
    if reply.question and body.rstrip().endswith(reply.question):
        body = body.rstrip()[: -len(reply.question)].rstrip()
    if body:
        out.print(f"[bold green]coach>[/] {escape(body)}", highlight=False)
    if reply.measures:
        out.print(_measure_table(reply.measures))
    if reply.options:
        out.print("[italic]Directions to consider:[/] " + " · ".join(escape(o) for o in reply.options), highlight=False)
    if reply.queued:
        out.print("[dim]Queued: " + "; ".join(escape(q) for q in reply.queued) + "[/]", highlight=False)
    if reply.question:
        out.print(f"[bold yellow]?[/] [bold]{escape(reply.question)}[/]", highlight=False)
    if reply.citations:
        cites = "; ".join(escape(c.label()) for c in reply.citations)
        out.print(f"[dim]Sources: {cites}[/]", highlight=False)


def _print_turn(turn: Any) -> None:
    from rich.markup import escape

    if turn.role == "user":
        out.print(f"[bold cyan]you>[/] {escape(turn.text)}", highlight=False)
    elif turn.reply is not None:
        _print_reply(turn.reply)
    else:
        out.print(f"[bold green]coach>[/] {escape(turn.text)}", highlight=False)
    out.print()


@app.command()
def chat(
    session: Annotated[str | None, typer.Option("--session", "-s", help="Resume this session id.")] = None,
    team: Annotated[str, typer.Option(help="Team the session belongs to.")] = "local",
) -> None:
    """Talk with the coach in the terminal. Every turn is saved; resume with --session ID. /quit leaves."""
    try:
        svc = service()
        if session:
            view = svc.get_session(session, team)
            n = len(view.messages)
            out.print(f"[dim]Resuming session {view.id} ({view.phase}, {n} messages so far).[/]")
        else:
            view = svc.start_session(mode="coach", team=team)
            out.print(f"[dim]New session {view.id}. {_CHAT_HELP}[/]")
        out.print()
        for t in view.messages:
            _print_turn(t)
    except CoachError as exc:
        fail(exc)
        return
    while True:
        try:
            line = out.input("[bold cyan]you>[/] ")
        except (EOFError, KeyboardInterrupt):
            out.print()
            break
        text = line.strip()
        if text.lower() in _QUIT:
            break
        if text.lower() in {"/help", "/?"}:
            out.print(f"[dim]{_CHAT_HELP}[/]")
            continue
        if not text:
            continue
        try:
            result = svc.handle_message(view.id, text, team=team, source="cli")
        except CoachError as exc:
            err.print(f"[bold red]Error:[/] {exc.message}")
            if exc.hint:
                err.print(f"[dim]{exc.hint}[/]")
            continue
        out.print()
        _print_reply(result.reply)
        out.print()
    out.print(f"[dim]Session saved. Resume with: coach chat --session {view.id}[/]")


@app.command()
def sessions(
    team: Annotated[str, typer.Option(help="Whose sessions to list.")] = "local",
    all_teams: Annotated[bool, typer.Option("--all", help="List the sessions of every team.")] = False,
) -> None:
    """List conversation sessions, most recently updated first."""
    try:
        rows = service().list_sessions(None if all_teams else team)
    except CoachError as exc:
        fail(exc)
        return
    if not rows:
        out.print("No sessions yet. Start one with: coach chat")
        return
    from rich import box

    # Fits an 80-column terminal without cutting the id: no vertical rules, minute precision.
    t = Table(
        title=f"sessions ({'all teams' if all_teams else 'team ' + team})",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
    )
    for col in ("id", "mode", "phase", "chains", "updated UTC"):
        t.add_column(col, justify="right" if col == "chains" else "left", no_wrap=col != "mode")
    for r in rows:
        t.add_row(
            r.id,
            r.mode + (f" {r.workshop}" if r.workshop else ""),
            r.phase,
            str(r.chains),
            r.updated_at[:16].replace("T", " "),
        )
    out.print(t)


@app.command("export")
def export_cmd(
    session_id: Annotated[str, typer.Argument(help="The session id (see `coach sessions`).")],
    format: Annotated[MapFmt, typer.Option("--format", "-f", help="md, json, csv or svg")] = MapFmt.md,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file.")] = None,
    team: Annotated[str | None, typer.Option(help="Only if the session belongs to this team.")] = None,
) -> None:
    """Export a session's outcome map (outputs → outcomes → measures) as Markdown, JSON, CSV or SVG."""
    try:
        data = service().export_map(session_id, format.value, team)
    except CoachError as exc:
        fail(exc)
        return
    if output is None:
        sys.stdout.write(data if data.endswith("\n") else data + "\n")
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(data, encoding="utf-8")
    except OSError as exc:
        fail(CoachError(f"Cannot write {output}: {exc.strerror or exc}.", "Choose a writable path with -o."))
        return
    size = len(data.encode())
    err.print(f"Wrote the {format.value} map of session {session_id} to {output} ({size:,} bytes).")


@app.command()
def measures(
    outcome: Annotated[str, typer.Argument(help='The outcome, e.g. "Fewer patients are readmitted".')],
    k: Annotated[int, typer.Option("--k", "-k", help="How many measures (1-10).")] = 3,
    format: Annotated[TextJson, typer.Option("--format", "-f")] = TextJson.text,
) -> None:
    """Propose outcome measures from the library, adapted to the outcome (≥1 leading, ≥1 lagging)."""
    try:
        found = service().propose_measures(outcome, k=k)
    except CoachError as exc:
        fail(exc)
        return
    if format == TextJson.json:
        print(json.dumps([m.model_dump(mode="json") for m in found], ensure_ascii=False, indent=2))
        return
    if not found:
        out.print("No measures found. Run `coach ingest` to index the measure library.")
        return
    out.print(_measure_table(found, title=f"Measures for: {outcome}"))
    for m in found:
        out.print(f"[bold]{m.name}[/] [dim](fit {m.fit:.2f}, from {m.library_id})[/]", highlight=False)
        out.print(f"  baseline: {m.baseline_prompt}", highlight=False, markup=False)
        out.print(f"  target:   {m.target_prompt}", highlight=False, markup=False)


# ----- API keys: coach keys create | list | revoke ------------------------------------------------------
from api.auth import KINDS, KeyStore, is_loopback  # noqa: E402

keys_app = typer.Typer(no_args_is_help=True, help="API keys: create (the key is shown once), list, revoke.")
app.add_typer(keys_app, name="keys")
KeyKind = StrEnum("KeyKind", {k: k for k in KINDS})  # type: ignore[misc]


def _key_store() -> KeyStore:
    """Keys live in the SQL database; no model or index is loaded for these commands."""
    from coach.adapters.sql import Database

    settings = get_settings()
    settings.ensure_dirs()
    db = Database(settings.resolved_database_url)
    db.migrate()
    return KeyStore(db)


def _require_keys_off_loopback(host: str) -> None:
    """`coach serve` on another address than loopback requires keys unless COACH_API__REQUIRE_KEYS says false
    (and check_bind already refused that). Worker processes inherit the environment."""
    import os

    if get_settings().api.require_keys is not None or is_loopback(host):
        return
    os.environ["COACH_API__REQUIRE_KEYS"] = "true"
    get_settings.cache_clear()
    err.print(f"API keys are required: the server is bound to {host}, beyond this machine.")
    try:
        if _key_store().count_active() == 0:
            err.print("[yellow]No API keys exist yet.[/] Create one with `coach keys create --team NAME`.")
    except Exception:  # only a hint; the server reports database problems itself
        pass


@keys_app.command("create")
def keys_create(
    team: Annotated[str, typer.Option("--team", help="The team the key belongs to; it sees only its own sessions.")],
    kind: Annotated[
        KeyKind, typer.Option("--kind", help="api (integrations), widget (a web page) or trainer.")
    ] = KeyKind.api,  # type: ignore[attr-defined]
    origin: Annotated[
        list[str] | None,
        typer.Option(
            "--origin",
            help="Widget keys: a site allowed to use it (repeat for several), e.g. https://intranet.example.org",
        ),
    ] = None,
    name: Annotated[str, typer.Option(help="A note to recognise the key by.")] = "",
) -> None:
    """Create a key and print it once (stdout); only its hash is stored."""
    try:
        created = _key_store().create(team, kind.value, origin or [], name)
    except CoachError as exc:
        fail(exc)
        return
    where = f" for {', '.join(created.origins)}" if created.origins else ""
    article = "an" if created.kind[0] in "aeiou" else "a"
    err.print(
        f"Created {article} {created.kind} key for team [bold]{created.team}[/]{where} (prefix {created.prefix}).",
        highlight=False,
    )
    err.print("[yellow]This is the only time the key is shown: store it now.[/]")
    print(created.key)


@keys_app.command("list")
def keys_list(format: Annotated[TextJson, typer.Option("--format", "-f")] = TextJson.text) -> None:
    """Every key: prefix, team, kind, origins, created, revoked. Keys themselves are never shown again."""
    try:
        keys = _key_store().list()
    except CoachError as exc:
        fail(exc)
        return
    if format == TextJson.json:
        print(json.dumps([k.model_dump(mode="json") for k in keys], ensure_ascii=False, indent=2))
        return
    if not keys:
        out.print("No keys yet. Create one with `coach keys create --team NAME`.")
        return
    t = Table()
    for col in ("prefix", "team", "kind", "origins", "name", "created", "status"):
        t.add_column(col)
    for k in keys:
        t.add_row(
            k.prefix,
            k.team,
            k.kind,
            "\n".join(k.origins),
            k.name,
            k.created_at.strftime("%Y-%m-%d %H:%M"),
            "[red]revoked[/]" if k.revoked else "[green]active[/]",
        )
    out.print(t)


@keys_app.command("revoke")
def keys_revoke(
    prefix: Annotated[str, typer.Argument(help="The key's prefix, as `coach keys list` shows it.")],
) -> None:
    """Revoke a key: it stops working at once here, and within seconds in running servers."""
    try:
        info = _key_store().revoke(prefix)
    except CoachError as exc:
        fail(exc, code=1)
        return
    out.print(f"Revoked {info.kind} key {info.prefix} of team {info.team}.", highlight=False)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
