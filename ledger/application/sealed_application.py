"""What every application storing events in a sealed chain shares: the library's settings as
the composition root chose them (never the process environment), a sealed recorder, no
snapshots, and its schema made once (see `ledger.persistence.library_settings`).

The journey (`JourneyLedger`) and the accounts audit trail (`AccountsAudit`) are two such
applications, each with its own events table and its own chain.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Protocol, cast
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import ApplicationRecorder, EventStore
from eventsourcing.utils import Environment, EnvType

from ledger.evidence.chain import Fingerprint, Seal, StoredFields, StoredRow
from ledger.persistence.library_settings import UnsafeLibrarySetting, library_settings
from ledger.persistence.sealed_postgres import SealedPostgresRecorder
from ledger.persistence.sealed_sqlite import SealedSQLiteRecorder

SEALED_RECORDERS = (SealedSQLiteRecorder, SealedPostgresRecorder)


class SealedRecorder(Protocol):
    """What an application needs of its recorder besides the library's: the chain's seals."""

    def schema_exists(self) -> bool: ...

    def schema_ready(self) -> bool: ...

    def create_table(self) -> None: ...

    def fingerprint(self) -> Fingerprint: ...

    def stored_rows(self, batch_size: int = 5000) -> Iterator[StoredRow]: ...

    def rows_after(self, position: int, limit: int) -> list[StoredFields]: ...

    def seals(self) -> list[Seal]: ...

    def snapshot(self) -> AbstractContextManager[None]: ...


class SealedApplication(Application[UUID]):
    """A library application whose every event is sealed, whatever the environment says."""

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        """The library's settings: exactly those the composition root chose, checked (see
        `ledger.persistence.library_settings`). Never the process environment, which the
        library would otherwise merge in, and where one setting can switch sealing off."""
        return Environment(name, library_settings(dict(env or {})))

    def construct_recorder(self) -> ApplicationRecorder:
        """The factory's recorder, which must be one of the sealed ones."""
        recorder = super().construct_recorder()
        if not isinstance(recorder, SEALED_RECORDERS):
            self.factory.close()
            raise UnsafeLibrarySetting(
                f"the ledger records only through its sealed recorders, not "
                f"{type(recorder).__name__}"
            )
        return recorder

    def construct_snapshot_store(self) -> EventStore[UUID]:
        """Refused: snapshots are rows no seal covers, which loading would trust."""
        self.factory.close()
        raise UnsafeLibrarySetting("the ledger never loads records from snapshots")

    @property
    def sealed_recorder(self) -> SealedRecorder:
        return cast(SealedRecorder, self.recorder)

    # -- the schema -------------------------------------------------------------------------

    def schema_exists(self) -> bool:
        """Whether the store holds this application's events, made by any version (a read)."""
        return self.sealed_recorder.schema_exists()

    def schema_ready(self) -> bool:
        """Whether the store's tables are all there, as this version makes them (a read)."""
        return self.sealed_recorder.schema_ready()

    def create_schema(self) -> None:
        """Create or upgrade the store's tables, once, however many processes ask at once."""
        self.sealed_recorder.create_table()

    # -- tamper evidence --------------------------------------------------------------------

    def fingerprint(self) -> Fingerprint:
        return self.sealed_recorder.fingerprint()

    def stored_rows(self) -> Iterator[StoredRow]:
        return self.sealed_recorder.stored_rows()

    def seals(self) -> list[Seal]:
        return self.sealed_recorder.seals()
