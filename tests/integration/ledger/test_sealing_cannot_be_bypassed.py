"""No setting, in the environment or given to the ledger, can store an event outside the chain,
and an event whose seal fails is not stored at all."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

from entrypoints.bootstrap import Services
from ledger.application.service import JourneyLedger
from ledger.domain.frameworks import FrameworkCatalogue
from ledger.evidence.chain import EMPTY, verify_history
from ledger.persistence.library_settings import UnsafeLibrarySetting
from ledger.persistence.seal_store import SealStore
from tests.conftest import Clock
from tests.factories import journey, progress, record

# Every library setting that, merged from the process environment, would store or load events
# outside the chain, under its plain name and under the ledger's application prefix.
BYPASSING_ENVIRONMENT = {
    "POSTGRES_ENABLE_DB_FUNCTIONS": "y",
    "IS_SNAPSHOTTING_ENABLED": "y",
    "CREATE_TABLE": "y",
    "AGGREGATE_CACHE_MAXSIZE": "10",
    "COMPRESSOR_TOPIC": "eventsourcing.compressor:ZlibCompressor",
}


def _bypassing_environment(kind: str) -> dict[str, str]:
    plain = {
        "sqlite": ("eventsourcing.sqlite", "eventsourcing.sqlite:SQLiteApplicationRecorder"),
        "postgresql": (
            "eventsourcing.postgres",
            "eventsourcing.postgres:PostgresApplicationRecorder",
        ),
    }[kind]
    env = {
        **BYPASSING_ENVIRONMENT,
        "PERSISTENCE_MODULE": plain[0],
        "INFRASTRUCTURE_FACTORY": plain[0],
        "APPLICATION_RECORDER_TOPIC": plain[1],
    }
    return {**env, **{f"LEDGER_{key}": value for key, value in env.items()}}


def _every_event_is_sealed(services: Services) -> None:
    ledger = services.ledger
    stored = list(ledger.stored_rows())
    assert stored, "nothing was recorded"
    assert ledger.fingerprint().count == len(stored)
    outcome = ledger.verify()
    assert outcome.intact, outcome.problem


def test_the_process_environment_cannot_switch_sealing_off(
    make_services: Callable[..., Services], monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    for key, value in _bypassing_environment(kind).items():
        monkeypatch.setenv(key, value)
    services = make_services()
    record(services.ledger, *journey())
    record(services.ledger, progress("act-1", "2018-10-01", "red"))
    _every_event_is_sealed(services)
    ledger = services.ledger
    assert ledger.snapshots is None
    assert not getattr(ledger.recorder.datastore, "enable_db_functions", False)
    assert ledger.mapper.compressor is None  # the environment's compressor was not taken either


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("PERSISTENCE_MODULE", "eventsourcing.sqlite"),
        ("PERSISTENCE_MODULE", "eventsourcing.popo"),
        ("PERSISTENCE_MODULE", "ledger.persistence.sealed_sqlite"),
        ("POSTGRES_ENABLE_DB_FUNCTIONS", "y"),
        ("APPLICATION_RECORDER_TOPIC", "eventsourcing.sqlite:SQLiteApplicationRecorder"),
        ("IS_SNAPSHOTTING_ENABLED", "y"),
        ("INFRASTRUCTURE_FACTORY", "eventsourcing.sqlite:SQLiteFactory"),
        ("LEDGER_PERSISTENCE_MODULE", "eventsourcing.sqlite"),
        ("CIPHER_TOPIC", "tests.somewhere:Cipher"),
    ],
)
def test_a_setting_given_to_the_ledger_that_could_bypass_sealing_is_refused(
    services: Services, frameworks: FrameworkCatalogue, clock: Clock, setting: str, value: str
) -> None:
    env = {**services.storage.env, setting: value}
    with pytest.raises(UnsafeLibrarySetting, match=setting.removeprefix("LEDGER_") + "|not "):
        JourneyLedger(env, frameworks, clock)


def test_the_ledger_refuses_the_library_s_own_unsealed_recorder(
    services: Services, frameworks: FrameworkCatalogue, clock: Clock
) -> None:
    """What the library's plain recorder would store, no seal would cover: refused by name."""
    plain = (
        "eventsourcing.sqlite" if services.storage.kind == "sqlite" else "eventsourcing.postgres"
    )
    with pytest.raises(UnsafeLibrarySetting, match=f"not '{plain}'"):
        JourneyLedger({**services.storage.env, "PERSISTENCE_MODULE": plain}, frameworks, clock)


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("POSTGRES_ENABLE_DB_FUNCTIONS", "yes"),
        ("APPLICATION_RECORDER_TOPIC", "eventsourcing.sqlite:SQLiteApplicationRecorder"),
        ("IS_SNAPSHOTTING_ENABLED", "true"),
    ],
)
def test_no_application_on_the_sealed_persistence_can_bypass_it(
    services: Services, setting: str, value: str
) -> None:
    """Not only the ledger: any library application given the sealed factories."""
    env = {**services.storage.env, "CREATE_TABLE": "n", setting: value}
    with pytest.raises(UnsafeLibrarySetting, match=setting):
        Application[UUID](env=env)


# -- a seal that fails ----------------------------------------------------------------------


def test_events_whose_seal_fails_are_not_stored(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The seal is written after the events, in their transaction: if writing it fails, the
    events go too (PostgreSQL's library recorder used to commit them, then re-raise)."""
    ledger = services.ledger
    record(ledger, *journey())
    before = list(ledger.stored_rows())

    def failing_append(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the seal could not be written")

    monkeypatch.setattr(SealStore, "append", failing_append)
    with pytest.raises(RuntimeError, match="seal could not be written"):
        record(ledger, progress("act-1", "2018-10-01", "red"))
    monkeypatch.undo()

    assert list(ledger.stored_rows()) == before
    assert ledger.verify().intact
    record(ledger, progress("act-1", "2018-10-01", "red"))
    assert ledger.fingerprint().count == len(before) + 1
    assert ledger.verify().intact


def test_a_failed_seal_of_the_first_events_leaves_an_empty_store(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_append(*args: Any, **kwargs: Any) -> None:
        raise ValueError("no seal")

    monkeypatch.setattr(SealStore, "append", failing_append)
    with pytest.raises(ValueError, match="no seal"):
        record(services.ledger, *journey())
    assert list(services.ledger.stored_rows()) == []
    assert services.ledger.fingerprint() == EMPTY


def test_a_library_application_on_the_sealed_persistence_seals_what_it_saves(
    services: Services,
) -> None:
    """The sealed factory seals whatever application uses it (the library's cases run on it in
    `test_library_conformance.py`)."""
    env = {**services.storage.env, "CREATE_TABLE": "y"}
    app = Application[UUID](env=env)
    try:
        app.save(Aggregate(), Aggregate())
        recorder: Any = app.recorder
        assert recorder.fingerprint().count == 2
        assert verify_history(recorder.stored_rows(), recorder.seals()).intact
    finally:
        app.close()
