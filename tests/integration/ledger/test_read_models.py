"""Read models folded from plain events: incremental catch-up, rebuild, replay and other processes
all give the same answers; a catch-up touches only the documents of projections that fold the
event; documents stored in an older format are rebuilt."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest

from entrypoints.bootstrap import Services
from ledger.application.log import plain_value
from ledger.domain.errors import LedgerIntegrityError
from projections.projection import Document
from projections.runner import ProjectionRunner
from projections.store import NO_APPENDED, NO_FORMATS, DocumentKey, DocumentStore
from projections.views import ALL_PROJECTIONS
from tests.factories import AUTHORITY, action, journey, progress, record
from tests.integration.ledger.read_model_answers import answers, rich_journey

KEY = "a2V5LWtleS1rZXkta2V5LWtleS1rZXkta2V5LWtleTE="
OTHER_KEY = "b3RoZXItb3RoZXItb3RoZXItb3RoZXItb3RoZXIxMjM="


class CommitSpy:
    """A document store that remembers which documents each commit wrote."""

    def __init__(self, store: DocumentStore) -> None:
        self._store = store
        self.written: list[set[DocumentKey]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def commit(
        self,
        docs: Mapping[DocumentKey, Document],
        positions: Mapping[str, int],
        expected: Mapping[str, int],
        replace: Iterable[str] = (),
        appended: Mapping[str, str] = NO_APPENDED,
        formats: Mapping[str, int] = NO_FORMATS,
    ) -> None:
        self.written.append(set(docs))
        self._store.commit(docs, positions, expected, replace, appended, formats)


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


def test_catching_up_event_by_event_answers_as_a_rebuild_and_a_replay_do(
    services: Services,
) -> None:
    then: list[tuple[datetime, dict]] = []
    for step, line in enumerate(rich_journey()):
        record(services.ledger, line)
        if step % 3 == 0 or step > 20:  # folds of one event and of a few together
            services.runner.catch_up()
            time.sleep(0.002)
            then.append((datetime.now(UTC), answers(services.views)))
            time.sleep(0.002)
    incremental = answers(services.views)
    services.runner.rebuild()
    assert answers(services.views) == incremental
    for instant, answered in then[::4] + then[-1:]:
        assert answers(services.views, known_at=instant) == answered


def test_a_catch_up_writes_only_documents_of_projections_that_fold_the_event(
    services: Services,
) -> None:
    record(services.ledger, *journey())
    spy = CommitSpy(services.store)
    runner = ProjectionRunner(services.ledger, spy, ALL_PROJECTIONS)
    runner.catch_up()
    record(services.ledger, progress("act-1", "2018-10-01", "red"))
    runner.catch_up()
    assert spy.written[-1] == {("actions", AUTHORITY), ("timeline", AUTHORITY)}
    last = services.ledger.last_position()
    assert {p.name: services.store.positions()[p.name] for p in ALL_PROJECTIONS} == dict.fromkeys(
        (p.name for p in ALL_PROJECTIONS), last
    )


def test_an_event_no_projection_folds_moves_the_positions_and_writes_no_document(
    services: Services,
) -> None:
    record(services.ledger, *journey())
    judgements_only = [p for p in ALL_PROJECTIONS if p.name == "judgements"]
    spy = CommitSpy(services.store)
    runner = ProjectionRunner(services.ledger, spy, judgements_only)
    runner.catch_up()
    record(services.ledger, progress("act-1", "2018-10-01", "red"))
    runner.catch_up()
    assert spy.written[-1] == set()
    assert services.store.positions()["judgements"] == services.ledger.last_position()


def test_processes_folding_in_turn_see_each_other_s_events(
    make_services: Callable[..., Services],
) -> None:
    first, second = make_services(), make_services()
    record(first.ledger, *journey())
    first.views.actions(AUTHORITY)  # folds, and keeps the documents it wrote
    record(second.ledger, progress("act-1", "2018-10-01", "red", narrative="From the second"))
    second.runner.catch_up()
    record(first.ledger, progress("act-1", "2018-10-02", "green", narrative="From the first"))
    narratives = [u["narrative"] for u in first.views.actions(AUTHORITY)["actions"][0]["updates"]]
    assert narratives == ["From the second", "From the first"]
    assert answers(first.views) == answers(make_services().views)


def test_read_models_stored_in_an_older_format_are_rebuilt_before_folding(
    make_services: Callable[..., Services],
) -> None:
    old = make_services()
    record(old.ledger, *rich_journey())
    expected = answers(old.views)
    # What an older version left: the timeline in one document, of format 1.
    old.store.commit(
        {("timeline", AUTHORITY): {"entries": [{"stale": True}], "creations": {}}},
        {},
        {},
        replace=["timeline"],
        formats={"timeline": 1},
    )
    assert answers(make_services().views) == expected


def test_a_wrong_key_stops_the_read_models_with_a_clear_message(
    make_services: Callable[..., Services],
) -> None:
    record(make_services(cipher_key=KEY).ledger, *journey())
    wrong = make_services(cipher_key=OTHER_KEY)
    with pytest.raises(LedgerIntegrityError, match="encryption key"):
        wrong.runner.rebuild()


def test_queries_from_many_threads_at_once_fold_each_event_once(services: Services) -> None:
    threads = 4
    record(
        services.ledger,
        *journey(),
        *(action(f"act-t{n}", ["rec-1"], due="2019-12-31") for n in range(threads)),
    )

    def record_and_read(n: int) -> None:
        for i in range(5):
            day = f"2018-10-{i + 1:02d}"
            record(services.ledger, progress(f"act-t{n}", day, "amber", narrative=day))
            services.views.actions(AUTHORITY)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        for done in [pool.submit(record_and_read, n) for n in range(threads)]:
            done.result()  # raises here what the thread raised
    folded = answers(services.views)
    updates = [len(a["updates"]) for a in folded["actions None"]["actions"] if "-t" in a["ref"]]
    assert updates == [5] * threads
    services.runner.rebuild()
    assert answers(services.views) == folded
