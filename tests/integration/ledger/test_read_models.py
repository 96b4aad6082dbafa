"""The read models' rows: written in the transaction that records their events, versioned in
transaction time by corrections, caught up and rebuilt to the same answers a replay of the log
gives; other processes and threads recording at once each project their own events once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from entrypoints.bootstrap import Access, LedgerNotFound, Services, build_services
from ledger.application.log import plain_value
from ledger.domain.errors import ConcurrentUpdateConflict, LedgerIntegrityError
from ledger.domain.frameworks import FrameworkCatalogue
from projections.rows import ROWS_FORMAT, recorded_us
from tests.factories import AUTHORITY, journey, progress, record
from tests.integration.ledger.read_model_answers import (
    answers,
    correction,
    remind,
    rich_journey,
)
from tests.integration.ledger.schema_catalogue import catalogue
from tests.oracle.views import OracleViews

KEY = "a2V5LWtleS1rZXkta2V5LWtleS1rZXkta2V5LWtleTE="
OTHER_KEY = "b3RoZXItb3RoZXItb3RoZXItb3RoZXItb3RoZXIxMjM="


def rows(services: Services, where: str = "1 = 1", params: tuple[Any, ...] = ()) -> list[tuple]:
    """Every stored row, current or replaced, oldest first: projection, kind, record, valid
    from, recorded from, recorded to (None while current), body."""
    dialect = services.read_model.dialect
    columns = "projection, kind, record, valid_from, recorded_from"
    query = dialect.sql(
        f"SELECT {columns}, NULL AS recorded_to, body, position FROM {{rows}} WHERE {where} "
        f"UNION ALL SELECT {columns}, recorded_to, body, position FROM {{history}} WHERE {where} "
        "ORDER BY recorded_from, position, projection"
    )
    return [found[:7] for found in services.read_model.database.read(query, params + params)]


def test_plain_events_hold_what_the_domain_events_hold(services: Services) -> None:
    record(services.ledger, *rich_journey())
    logged = list(services.ledger.read_log())
    plain = list(services.ledger.plain_events())
    assert len(plain) == len(logged) > 20
    envelope = ("originator_id", "originator_version", "timestamp", "meta")
    for p, entry in zip(plain, logged, strict=True):
        event = entry.event
        assert (p.position, p.name) == (entry.position, type(event).__name__)
        assert p.originator_id == str(event.originator_id)
        assert p.recorded_at == event.timestamp.isoformat()
        assert p.meta == plain_value(event.meta)
        assert p.authority == event.meta.authority
        assert p.data == {k: plain_value(v) for k, v in vars(event).items() if k not in envelope}
        assert list(p.data) == [k for k in vars(event) if k not in envelope]


def test_recording_event_by_event_answers_as_a_rebuild_and_a_replay_do(
    services: Services,
) -> None:
    for step in rich_journey():
        record(services.ledger, step)
    remind(services.ledger, "ann", date(2018, 9, 3), "act-1")
    remind(services.ledger, "bob", date(2018, 9, 13), "act-2", sent=False)
    remind(services.ledger, "bob", date(2018, 9, 14), "act-1")
    recorded = answers(services.views)
    assert recorded["ann 2018-09-13"]["reminders"] and recorded["people None"]["people"]
    assert recorded == answers(OracleViews(services.ledger, services.views))
    services.read_model.rebuild()
    assert answers(services.views) == recorded
    assert services.read_model.lag() == 0


def test_rows_are_written_with_their_events_and_only_by_read_models_that_hold_them(
    services: Services,
) -> None:
    record(services.ledger, *journey())
    assert services.read_model.position() == services.ledger.last_position()
    before = len(rows(services))
    record(services.ledger, progress("act-1", "2018-10-01", "amber"))
    written = rows(services)[before:]
    # The update itself (actions) and its timeline entry: nothing else is rewritten.
    assert [(r[0], r[1]) for r in written] == [("actions", "update"), ("timeline", "entry")]
    assert services.read_model.position() == services.ledger.last_position()


def test_a_correction_closes_the_replaced_row_and_opens_a_new_one(services: Services) -> None:
    record(services.ledger, *journey())
    record(services.ledger, correction("action", "act-1", {"title": "Audit"}, "2018-10-01"))
    versions = rows(services, "projection = ? AND kind = ?", ("actions", "action"))
    assert len(versions) == 2
    (_, _, _, _, first_from, first_to, first), (_, _, _, _, second_from, second_to, second) = (
        versions
    )
    corrected = next(e for e in services.ledger.read_log() if type(e.event).__name__ == "Corrected")
    assert first_to == second_from == recorded_us(corrected.event.timestamp.isoformat())
    assert first_from < first_to and second_to is None
    assert '"title":"Action act-1"' in first and '"title":"Audit"' in second


def test_a_refused_batch_writes_no_rows(services: Services) -> None:
    record(services.ledger, *journey())
    before = rows(services)
    version = services.ledger.record_details("action", AUTHORITY, "act-1")
    assert version is not None
    with pytest.raises(ConcurrentUpdateConflict):
        record(
            services.ledger,
            progress("act-1", "2018-10-01", "red"),
            progress("act-1", "2018-10-02", "red", expected_version=version.version - 1),
        )
    assert rows(services) == before


def test_processes_recording_in_turn_see_each_other_s_events(
    make_services: Callable[..., Services],
) -> None:
    first, second = make_services(), make_services()
    record(first.ledger, *journey())
    record(second.ledger, progress("act-1", "2018-10-01", "green"))
    record(first.ledger, progress("act-1", "2018-11-01", "red"))
    for services in (first, second):
        (act,) = services.views.actions(AUTHORITY)["actions"]
        assert [u["rag"] for u in act["updates"]] == ["green", "red"]
    assert first.read_model.lag() == second.read_model.lag() == 0


def test_threads_recording_at_once_each_project_their_own_events_once(
    services: Services,
) -> None:
    record(services.ledger, *journey())
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def update(n: int) -> None:
        barrier.wait()
        for i in range(5):
            try:
                record(services.ledger, progress("act-1", f"2018-10-{n * 5 + i + 1:02d}", "amber"))
            except ConcurrentUpdateConflict:
                continue
            except Exception as error:  # noqa: BLE001 - reported below, whatever it is
                errors.append(error)

    threads = [threading.Thread(target=update, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    updates = [
        e for e in services.ledger.read_log() if type(e.event).__name__ == "ActionProgressUpdated"
    ]
    update_rows = rows(services, "projection = ? AND kind = ?", ("actions", "update"))
    assert len(update_rows) == len(updates) > 0
    assert services.read_model.lag() == 0


def test_rows_behind_the_log_are_caught_up_by_the_next_question(services: Services) -> None:
    record(services.ledger, *rich_journey())
    expected = answers(services.views)
    # As a store written before rows existed (or by an older version) would stand.
    with services.read_model.database.writing() as cursor:
        cursor.execute(services.read_model.dialect.sql("DELETE FROM {rows}"))
        cursor.execute(services.read_model.dialect.sql("DELETE FROM {history}"))
        cursor.execute(services.read_model.dialect.sql("UPDATE {state} SET position = 0, live = 0"))
    assert services.read_model.lag() == services.ledger.last_position()
    # Events recorded while the rows are behind are left to the catch-up, not projected twice.
    record(services.ledger, progress("act-1", "2018-10-03", "green"))
    caught_up = answers(services.views)
    assert services.read_model.lag() == 0
    assert caught_up == answers(OracleViews(services.ledger, services.views))
    assert caught_up != expected


def test_rows_of_another_format_are_rebuilt_before_anything_is_projected(
    services: Services,
) -> None:
    record(services.ledger, *journey())
    expected = answers(services.views)
    with services.read_model.database.writing() as cursor:
        cursor.execute(
            services.read_model.dialect.sql("UPDATE {state} SET format = ?"), (ROWS_FORMAT + 99,)
        )
    assert services.read_model.position() == 0
    record(services.ledger, progress("act-1", "2018-10-03", "green"))  # not projected: wrong format
    assert answers(services.views) != expected
    assert answers(services.views) == answers(OracleViews(services.ledger, services.views))


def test_one_read_model_rebuilt_alone_answers_as_before(services: Services) -> None:
    record(services.ledger, *rich_journey())
    expected = answers(services.views)
    assert services.read_model.rebuild(["timeline"]) == services.ledger.last_position()
    assert answers(services.views) == expected
    with pytest.raises(ValueError, match="no such read model: nonsense"):
        services.read_model.rebuild(["nonsense"])


def test_a_wrong_key_stops_the_read_models_with_a_clear_message(
    make_services: Callable[..., Services],
) -> None:
    record(make_services(cipher_key=KEY).ledger, *journey())
    wrong = make_services(cipher_key=OTHER_KEY)
    with pytest.raises(LedgerIntegrityError, match="LEDGER_CIPHER_KEY"):
        wrong.read_model.rebuild()


def test_known_at_is_exact_to_the_microsecond(services: Services) -> None:
    record(services.ledger, *journey())
    time.sleep(0.001)
    between = datetime.now(UTC)
    record(services.ledger, progress("act-1", "2018-10-01", "green"))
    logged = list(services.ledger.read_log())[-1].event.timestamp
    just_before = (
        logged.replace(microsecond=logged.microsecond - 1) if logged.microsecond else between
    )
    for instant, rag in ((between, None), (just_before, None), (logged, "green")):
        (act,) = services.views.actions(AUTHORITY, known_at=instant)["actions"]
        assert act["rag"] == rag


def test_known_at_the_very_instant_of_a_correction_shows_it(services: Services) -> None:
    record(services.ledger, *journey())
    record(services.ledger, correction("action", "act-1", {"title": "Audit"}, "2018-10-01"))
    corrected_at = list(services.ledger.read_log())[-1].event.timestamp
    a_moment_before = corrected_at - timedelta(microseconds=1)
    titles = [
        services.views.actions(AUTHORITY, known_at=instant)["actions"][0]["title"]
        for instant in (a_moment_before, corrected_at)
    ]
    assert titles == ["Action act-1", "Audit"]
    planned = [
        e["title"]
        for e in services.views.timeline(AUTHORITY, known_at=corrected_at)["entries"]
        if e["event"] == "ActionPlanned"
    ]
    assert planned == ["Action planned: Audit"]


def test_a_store_without_the_read_models_tables_is_read_in_memory_and_upgraded_by_init(
    make_services: Callable[..., Services], database_url: str, frameworks: FrameworkCatalogue
) -> None:
    """A store made by a version before the rows (or whose rows were dropped): reading it
    builds the rows in memory and changes nothing in the store; a web worker refuses it; a
    migration creates the tables and builds the rows."""
    services = make_services()
    record(services.ledger, *rich_journey())
    expected = answers(services.views)
    dialect = services.read_model.dialect
    with services.read_model.database.writing() as cursor:
        for table in (dialect.rows, dialect.history, dialect.state):
            cursor.execute(f"DROP TABLE {table}")
    services.close()
    before = catalogue(database_url)

    reader = build_services(database_url, frameworks, today=services.today, access=Access.READ)
    try:
        assert answers(reader.views) == expected
    finally:
        reader.close()
    assert catalogue(database_url) == before
    with pytest.raises(LedgerNotFound, match="run `ledger init`"):
        build_services(database_url, frameworks, access=Access.RECORD)

    migrated = make_services()
    assert migrated.read_model.live()
    assert answers(migrated.views) == expected
