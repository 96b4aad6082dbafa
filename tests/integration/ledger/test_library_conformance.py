"""The `eventsourcing` library's own recorder and application test cases, run against the sealed
SQLite and PostgreSQL recorders: the ledger's recorders keep every promise of the library's.

The cases are the library's (`eventsourcing.tests.persistence` and `eventsourcing.tests.
application`), run as they are. Where the sealed recorders deliberately differ, the difference is
named here, with why, and tested as a difference (the refusal is asserted), never skipped silently:

1. *Aggregate recorder contract.* The sealed recorders are application recorders: `insert_events`
   returns the notification ids it assigned, where the aggregate case expects `None`. The
   aggregate case runs on them through `AggregateView`, which drops those ids and nothing else.
2. *Text originator ids.* The library can store ids as text; the chain's digest takes each
   originator id as a UUID (docs/verification.md) and every ledger id is one, so the library's
   text-id variants are not run.
3. *Snapshots.* The library's example application turns snapshotting on; snapshots are rows no
   seal covers, which the repository would trust over the sealed events, so the sealed factories
   refuse them: the example case is asserted to fail with that refusal.
4. *Database functions.* The library's PostgreSQL cases with `POSTGRES_ENABLE_DB_FUNCTIONS=y`
   insert through an SQL function that never seals: the sealed factory refuses the setting,
   asserted likewise.
5. *Subscriptions.* The library's SQLite recorder has none (its own suite skips them); the
   PostgreSQL one does, and its optional subscription case runs here.

Counts per backend: the report of `pytest -rA tests/integration/ledger/test_library_conformance.py`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

import pytest
from eventsourcing.persistence import AggregateRecorder, ApplicationRecorder, StoredEvent
from eventsourcing.tests import application as library_application
from eventsourcing.tests import persistence as library_persistence
from eventsourcing.utils import Environment

from ledger.persistence.library_settings import (
    SEALED_POSTGRES_FACTORY,
    SEALED_SQLITE_FACTORY,
    UnsafeLibrarySetting,
)
from ledger.persistence.sealed_postgres import SealedPostgresFactory, SealedPostgresRecorder
from ledger.persistence.sealed_sqlite import SealedSQLiteFactory, SealedSQLiteRecorder


class AggregateView(AggregateRecorder):
    """A sealed application recorder seen through the aggregate recorder's contract (deviation
    1): `insert_events` returns None, as an aggregate recorder's does."""

    def __init__(self, recorder: ApplicationRecorder) -> None:
        self.recorder = recorder

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        self.recorder.insert_events(stored_events, **kwargs)

    def select_events(self, *args: Any, **kwargs: Any) -> Any:
        return self.recorder.select_events(*args, **kwargs)


# -- where the recorders live ---------------------------------------------------------------


class OnSQLite:
    """Each test gets a fresh SQLite file (or, where the library tests one, a shared-cache
    in-memory database)."""

    backend: ClassVar[str] = "sqlite"
    in_memory: ClassVar[bool] = False
    folder: Path
    counter: int = 0

    @pytest.fixture(autouse=True)
    def _fresh_database(self, tmp_path: Path) -> None:
        self.folder = tmp_path

    def library_env(self) -> dict[str, str]:
        type(self).counter += 1
        name = (
            f"file:conformance-{os.getpid()}-{type(self).counter}?mode=memory&cache=shared"
            if self.in_memory
            else str(self.folder / f"ledger-{type(self).counter}.db")
        )
        return {
            "PERSISTENCE_MODULE": SEALED_SQLITE_FACTORY,
            "SQLITE_DBNAME": name,
            "SQLITE_LOCK_TIMEOUT": "30",
            "CREATE_TABLE": "y",
        }

    def sealed_recorder(self) -> SealedSQLiteRecorder:
        factory = SealedSQLiteFactory(Environment("conformance", self.library_env()))
        recorder = factory.application_recorder()
        assert isinstance(recorder, SealedSQLiteRecorder)
        return recorder


class OnPostgres:
    """Each test gets a fresh PostgreSQL schema (the suite's `postgres_url` fixture)."""

    backend: ClassVar[str] = "postgres"
    url: str

    @pytest.fixture(autouse=True)
    def _fresh_schema(self, postgres_url: str) -> None:
        self.url = postgres_url

    def library_env(self) -> dict[str, str]:
        parts = urlsplit(self.url)
        return {
            "PERSISTENCE_MODULE": SEALED_POSTGRES_FACTORY,
            "POSTGRES_DBNAME": parts.path.lstrip("/"),
            "POSTGRES_HOST": parts.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(parts.port or 5432),
            "POSTGRES_USER": parts.username or "postgres",
            "POSTGRES_PASSWORD": parts.password or "",
            "POSTGRES_SCHEMA": parts.query.split("schema=", 1)[1],
            "POSTGRES_POOL_SIZE": "12",
            "POSTGRES_MAX_OVERFLOW": "8",
            "CREATE_TABLE": "y",
        }

    def sealed_recorder(self) -> SealedPostgresRecorder:
        factory = SealedPostgresFactory(Environment("conformance", self.library_env()))
        recorder = factory.application_recorder()
        assert isinstance(recorder, SealedPostgresRecorder)
        return recorder


class WithLibraryEnvironment:
    """The library's application cases configure `Application()` from the process environment
    (as its own suite does): the sealed persistence's settings are put there for each test."""

    saved: dict[str, str | None]

    def setUp(self) -> None:
        env = self.library_env()  # type: ignore[attr-defined]
        self.saved = {key: os.environ.get(key) for key in env}
        os.environ.update(env)

    def tearDown(self) -> None:
        for key, value in self.saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


# -- the recorder cases ---------------------------------------------------------------------


class TestSealedSQLiteAsAggregateRecorder(OnSQLite, library_persistence.AggregateRecorderTestCase):
    def create_recorder(self) -> AggregateRecorder:
        return AggregateView(self.sealed_recorder())


class TestSealedSQLiteApplicationRecorder(
    OnSQLite, library_persistence.ApplicationRecorderTestCase[Any]
):
    def create_recorder(self) -> ApplicationRecorder:
        return self.sealed_recorder()


class TestSealedSQLiteApplicationRecorderInMemory(
    OnSQLite, library_persistence.ApplicationRecorderTestCase[Any]
):
    in_memory = True

    def create_recorder(self) -> ApplicationRecorder:
        return self.sealed_recorder()


@pytest.mark.postgres
class TestSealedPostgresAsAggregateRecorder(
    OnPostgres, library_persistence.AggregateRecorderTestCase
):
    def create_recorder(self) -> AggregateRecorder:
        return AggregateView(self.sealed_recorder())


@pytest.mark.postgres
class TestSealedPostgresApplicationRecorder(
    OnPostgres, library_persistence.ApplicationRecorderTestCase[Any]
):
    def create_recorder(self) -> ApplicationRecorder:
        return self.sealed_recorder()

    def test_insert_subscribe(self) -> None:
        """The library's optional subscription case (deviation 5: PostgreSQL has them)."""
        self.optional_test_insert_subscribe()


# -- the application cases ------------------------------------------------------------------


class TestApplicationOnSealedSQLite(
    WithLibraryEnvironment, OnSQLite, library_application.ApplicationTestCase
):
    pass


class TestApplicationOnSealedSQLiteInMemory(
    WithLibraryEnvironment, OnSQLite, library_application.ApplicationTestCase
):
    in_memory = True


@pytest.mark.postgres
class TestApplicationOnSealedPostgres(
    WithLibraryEnvironment, OnPostgres, library_application.ApplicationTestCase
):
    pass


class RefusesSnapshots:
    """Deviation 3: the example application snapshots, which the sealed factories refuse."""

    def test_example_application(self) -> None:
        with pytest.raises(UnsafeLibrarySetting, match="IS_SNAPSHOTTING_ENABLED"):
            super().test_example_application()  # type: ignore[misc]


class TestExampleApplicationOnSealedSQLite(
    RefusesSnapshots,
    WithLibraryEnvironment,
    OnSQLite,
    library_application.ExampleApplicationTestCase,
):
    expected_factory_topic = SEALED_SQLITE_FACTORY


@pytest.mark.postgres
class TestExampleApplicationOnSealedPostgres(
    RefusesSnapshots,
    WithLibraryEnvironment,
    OnPostgres,
    library_application.ExampleApplicationTestCase,
):
    expected_factory_topic = SEALED_POSTGRES_FACTORY


@pytest.mark.postgres
class TestApplicationOnSealedPostgresWithDatabaseFunctions(
    WithLibraryEnvironment, OnPostgres, library_application.ApplicationTestCase
):
    """Deviation 4: the library's cases with database functions switched on. Every case builds
    an application, and the sealed factory refuses the setting before any event is stored."""

    def library_env(self) -> dict[str, str]:
        return {**super().library_env(), "POSTGRES_ENABLE_DB_FUNCTIONS": "y"}

    def _callTestMethod(self, method: Any) -> None:
        if method.__name__ == "test_name":
            method()  # the one case that builds no application at all
            return
        with pytest.raises(UnsafeLibrarySetting, match="POSTGRES_ENABLE_DB_FUNCTIONS"):
            method()
