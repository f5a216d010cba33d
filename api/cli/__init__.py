"""`coach` command line. One error boundary (`CoachGroup`): a domain error becomes a two-line message and an
exit code, never a traceback. The container (model, index, database) is built lazily through Typer's context,
so `coach --help` and commands that need no model start at once: nothing here imports the settings model
(pydantic-settings), the database layer (SQLAlchemy) or the model stack until a command asks for it; the data
folder, database URL and log level are read by `coach.env` (tests/unit/test_cli_startup.py keeps it so)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from api.cli.render import err
from api.cli.store import Listings, StoreListings, Stores, check_data_dir, open_stores, quick_listings
from coach.env import DataPlace, read_place
from coach.errors import CoachError, InvalidInput

if TYPE_CHECKING:
    from api.container import Container
    from coach.config import Settings
    from coach.service import CoachService


@dataclass
class CliState:
    """What commands share, each built on first use: the settings, the container (model, index, database) or
    only the stores (database) for commands that need no model. Those read only `place` (the data folder,
    database URL and log level), never the whole settings model."""

    _settings: Settings | None = None
    container: Container | None = None
    creating: bool = False  # `coach ingest` may create the data folder
    _stores: Stores | None = None
    _place: DataPlace | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from coach.config import get_settings

            self._settings = get_settings()
        return self._settings

    @property
    def place(self) -> DataPlace:
        if self._place is None:
            self._place = self._settings.place if self._settings is not None else read_place()
        return self._place

    @property
    def service(self) -> CoachService:
        if self.container is None:
            from api.container import build

            check_data_dir(self.place, creating=self.creating)
            self.container = build(self.settings)
        return self.container.service

    @property
    def stores(self) -> Stores:
        if self._stores is None:
            if self.container is not None:
                svc = self.container.service
                self._stores = Stores(
                    self.container.db, svc.records, svc.workshops, self.container.keys, svc.teaching.corrections
                )
            else:
                self._stores = open_stores(self.place)
        return self._stores

    @property
    def listings(self) -> Listings:
        """The listing commands' reader: straight from the SQLite file when it can be, else the full store."""
        if self._stores is None and self.container is None:
            quick = quick_listings(self.place)
            if quick is not None:
                return quick
        return StoreListings(self.stores)


def state(ctx: typer.Context) -> CliState:
    root = ctx.find_root()
    if not isinstance(root.obj, CliState):
        root.obj = CliState()
    return root.obj


def report(exc: CoachError) -> None:
    err.print(f"[bold red]Error:[/] {exc.message}", highlight=False)
    if exc.hint:
        err.print(f"[dim]{exc.hint}[/]", highlight=False)


class CoachGroup(TyperGroup):
    """The CLI's one error boundary."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CoachError as exc:
            report(exc)
            raise typer.Exit(getattr(exc, "exit_code", 2)) from None


app = typer.Typer(
    cls=CoachGroup, add_completion=False, no_args_is_help=True, help="Outcome Coach: from outputs to outcomes."
)


@app.callback()
def _main(
    ctx: typer.Context, verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log more.")] = False
) -> None:
    place = state(ctx).place
    level = "DEBUG" if verbose else place.log_level.strip().upper()
    if not isinstance(logging.getLevelName(level), int):
        raise InvalidInput(
            f"Unknown log level '{place.log_level.strip().lower()}' (COACH_LOG_LEVEL).",
            "Use debug, info, warning, error or critical.",
        )
    logging.basicConfig(level=level if verbose else "WARNING", format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("coach").setLevel(level)
    for noisy in ("httpx", "chromadb", "sentence_transformers", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _register() -> None:
    from api.cli import (
        classify,
        conversations,
        corrections,
        eval_answers,
        eval_measures,
        eval_replies,
        keys,
        knowledge,
        knowledge_gaps,
        serve,
        workshops,
    )

    for module in (
        knowledge,
        knowledge_gaps,
        classify,
        corrections,
        eval_answers,
        eval_measures,
        eval_replies,
        conversations,
        workshops,
        serve,
        keys,
    ):
        module.register(app)


_register()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
