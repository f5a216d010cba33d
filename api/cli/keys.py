"""`coach keys create | list | revoke`: API keys. No model or index is loaded for these commands."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from api.cli import state
from api.cli.render import TextJson, err, out
from api.kinds import KINDS

if TYPE_CHECKING:
    from api.auth import KeyStore

keys_app = typer.Typer(no_args_is_help=True, help="API keys: create (the key is shown once), list, revoke.")
KeyKind = StrEnum("KeyKind", {k: k for k in KINDS})  # type: ignore[misc]


def key_store(ctx: typer.Context) -> KeyStore:
    """Keys live in the SQL database: open it (migrated) without the model or the index."""
    return state(ctx).stores.keys


@keys_app.command("create")
def keys_create(
    ctx: typer.Context,
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
    created = key_store(ctx).create(team, kind.value, origin or [], name)
    where = f" for {', '.join(created.origins)}" if created.origins else ""
    article = "an" if created.kind[0] in "aeiou" else "a"
    err.print(
        f"Created {article} {created.kind} key for team [bold]{created.team}[/]{where} (prefix {created.prefix}).",
        highlight=False,
    )
    err.print("[yellow]This is the only time the key is shown: store it now.[/]")
    print(created.key)


@keys_app.command("list")
def keys_list(ctx: typer.Context, format: Annotated[TextJson, typer.Option("--format", "-f")] = TextJson.text) -> None:
    """Every key: prefix, team, kind, origins, created, revoked. Keys themselves are never shown again."""
    keys = state(ctx).listings.keys()
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
    ctx: typer.Context,
    prefix: Annotated[str, typer.Argument(help="The key's prefix, as `coach keys list` shows it.")],
) -> None:
    """Revoke a key: it stops working at once here, and within seconds in running servers."""
    info = key_store(ctx).revoke(prefix)
    out.print(f"Revoked {info.kind} key {info.prefix} of team {info.team}.", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(keys_app, name="keys")
