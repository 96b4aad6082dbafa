"""The composition root: the one place that builds the ledger, its read models and their queries
from settings, for the CLI, the web app, the scheduler and the tests alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from eventsourcing.persistence import InterfaceError, OperationalError

from ledger.application import JourneyLedger
from ledger.errors import LedgerError
from ledger.frameworks import FrameworkCatalogue
from ledger.storage import Storage, parse_database_url
from projections.runner import ProjectionRunner
from projections.store import DocumentStore, PostgresDocumentStore, SQLiteDocumentStore
from projections.views import ALL_PROJECTIONS, JourneyViews


class DatabaseUnavailable(LedgerError):
    """The database cannot be reached or opened."""


@dataclass
class Services:
    """Everything built from settings, handed to the entry points."""

    storage: Storage
    ledger: JourneyLedger
    store: DocumentStore
    runner: ProjectionRunner
    views: JourneyViews
    frameworks: FrameworkCatalogue
    today: Callable[[], date]
    timezone: ZoneInfo

    def close(self) -> None:
        self.ledger.close()


def today_in(timezone: ZoneInfo) -> Callable[[], date]:
    """ "Today" as the council's clock reads it, not the server's."""
    return lambda: datetime.now(timezone).date()


def build_services(
    database_url: str,
    frameworks: FrameworkCatalogue,
    timezone: str = "Europe/London",
    cipher_key: str | None = None,
    today: Callable[[], date] | None = None,
) -> Services:
    """Open (creating if need be) the ledger at `database_url` and wire its read side."""
    storage = parse_database_url(database_url, cipher_key)
    zone = ZoneInfo(timezone)
    clock = today or today_in(zone)
    if storage.sqlite_path is not None:
        storage.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        ledger = JourneyLedger(storage.env, frameworks, clock)
        store: DocumentStore
        if storage.kind == "sqlite":
            store = SQLiteDocumentStore(storage.env["SQLITE_DBNAME"])
        else:
            datastore = ledger.sealed_recorder.datastore
            store = PostgresDocumentStore(datastore, storage.schema)
    except (OperationalError, InterfaceError) as error:
        raise DatabaseUnavailable(
            f"cannot open the database at {storage.display}: {error}"
        ) from None
    runner = ProjectionRunner(ledger, store, ALL_PROJECTIONS)
    views = JourneyViews(ledger, store, runner, frameworks, clock)
    return Services(storage, ledger, store, runner, views, frameworks, clock, zone)
