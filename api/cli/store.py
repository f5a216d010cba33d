"""What the CLI opens without the model: the database (sessions, workshops, keys) behind the stores, and the
check that the data folder is where the person expects it.

Commands that only read or write records (`sessions`, `export`, `keys`, `workshop`, `corrections list`) use
`Stores` and never import the classifier stack, Chroma or torch: they start in a fraction of a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from coach.env import REPO_ROOT, DataPlace
from coach.errors import CoachError

if TYPE_CHECKING:
    from api.auth import KeyStore
    from api.key_info import KeyInfo
    from coach.adapters.sql import Database
    from coach.adapters.sqlite_listing import SqliteListing
    from coach.domain import OutcomeMap
    from coach.ports import CorrectionReader, CorrectionStore
    from coach.records import Records
    from coach.views import SessionSummary, WorkshopSummary
    from coach.workshops import Workshops


class NoDataFolder(CoachError):
    code = "no_data_folder"
    exit_code = 2


def check_data_dir(place: DataPlace, creating: bool = False) -> None:
    """Refuse to start an empty data folder by accident.

    `.coach-data` is relative to the folder the command runs in. Run elsewhere, the coach used to create an empty
    one silently and then found no sessions, no keys and no index. Now it says where it looked and what to do.
    A folder named explicitly (COACH_DATA_DIR) is created when missing, and so is the default by `coach ingest`."""
    where = place.data_dir
    if where.exists() or creating or place.data_dir_named:
        return
    project = REPO_ROOT / ".coach-data"
    known = f"The project's own is {project}. " if project.exists() and project.resolve() != where.resolve() else ""
    raise NoDataFolder(
        f"No data folder at {where.resolve()}: the coach keeps its knowledge index, sessions and keys in "
        f"COACH_DATA_DIR, which defaults to .coach-data in the folder you run it from.",
        f"{known}Run the command from the project folder, or set COACH_DATA_DIR=/path/to/.coach-data "
        "(for example in a .env file), or run `coach ingest` here to create a new one.",
    )


@dataclass
class Stores:
    """The database and the model-free parts of the core over it."""

    db: Database
    records: Records
    workshops: Workshops
    key_store: KeyStore | None = None
    correction_store: CorrectionStore | None = None

    @property
    def corrections(self) -> CorrectionStore:
        if self.correction_store is None:
            from coach.adapters.corrections import SqlCorrectionStore

            self.correction_store = SqlCorrectionStore(self.db)
        return self.correction_store

    @property
    def keys(self) -> KeyStore:
        if self.key_store is None:
            from api.auth import KeyStore

            self.key_store = KeyStore(self.db)
        return self.key_store


def open_stores(place: DataPlace) -> Stores:
    from coach.adapters.repository import SqlSessionStore
    from coach.adapters.sql import Database
    from coach.records import Records
    from coach.workshops import Workshops

    check_data_dir(place)
    place.ensure_dirs()
    db = Database(place.resolved_database_url)
    db.migrate()
    store = SqlSessionStore(db)
    return Stores(db=db, records=Records(store), workshops=Workshops(store))


class Listings(Protocol):
    """What the listing commands read: `coach sessions`, `workshop list|export`, `corrections list`, `keys list`."""

    def session_summaries(self, team: str | None) -> list[SessionSummary]: ...

    def workshop_summaries(self, team: str | None) -> list[WorkshopSummary]: ...

    def workshop_map(self, code: str, team: str | None) -> OutcomeMap: ...

    def keys(self) -> list[KeyInfo]: ...

    @property
    def records(self) -> Records: ...

    @property
    def correction_reader(self) -> CorrectionReader: ...


@dataclass
class StoreListings:
    """The listings through the full store (PostgreSQL, or an SQLite database still to be created or migrated)."""

    stores: Stores

    def session_summaries(self, team: str | None) -> list[SessionSummary]:
        return self.stores.records.summaries(team)

    def workshop_summaries(self, team: str | None) -> list[WorkshopSummary]:
        return self.stores.workshops.summaries(team)

    def workshop_map(self, code: str, team: str | None) -> OutcomeMap:
        return self.stores.workshops.map(code, team)

    def keys(self) -> list[KeyInfo]:
        return self.stores.keys.list()

    @property
    def records(self) -> Records:
        return self.stores.records

    @property
    def correction_reader(self) -> CorrectionReader:
        return self.stores.corrections


@dataclass
class QuickListings:
    """The same listings read with `sqlite3` alone (coach/adapters/sqlite_listing.py): no SQLAlchemy import."""

    reader: SqliteListing

    @property
    def records(self) -> Records:
        from coach.records import Records

        return Records(self.reader)

    def session_summaries(self, team: str | None) -> list[SessionSummary]:
        return self.records.summaries(team)

    def workshop_summaries(self, team: str | None) -> list[WorkshopSummary]:
        return self.reader.workshop_summaries(team)

    def workshop_map(self, code: str, team: str | None) -> OutcomeMap:
        return self.reader.workshop_map(code, team)

    def keys(self) -> list[KeyInfo]:
        from api.key_info import KeyInfo

        return [KeyInfo(**k) for k in self.reader.api_keys()]

    @property
    def correction_reader(self) -> CorrectionReader:
        return self.reader


def quick_listings(place: DataPlace) -> QuickListings | None:
    """Listings without the database layer when the data folder's SQLite file is there and at the schema head."""
    from coach.adapters.sqlite_listing import SqliteListing

    check_data_dir(place)
    reader = SqliteListing.open(place.resolved_database_url)
    return QuickListings(reader) if reader is not None else None
