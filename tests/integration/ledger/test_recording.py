"""Recording: all or nothing, idempotent, and safe against two writers at once."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import date

import pytest
from eventsourcing.persistence import IntegrityError

from entrypoints.bootstrap import Services
from ledger.application.importing import ImportRejected, import_commands
from ledger.domain.actions import Action
from ledger.domain.errors import CommandsRejected, ConcurrentUpdateConflict
from ledger.domain.grades import Rag
from ledger.domain.meta import EventMeta
from ledger.domain.records import record_id
from tests.factories import AUTHORITY, journey, progress, record


def _lines(*records: dict) -> list[str]:
    return [json.dumps(r) + "\n" for r in records]


def test_rejected_import_names_every_error_by_line_and_field_and_writes_nothing(
    services: Services,
) -> None:
    record(services.ledger, *journey())
    before = services.ledger.fingerprint()
    positions = services.read_model.position()
    bad_file = [
        *_lines(progress("act-1", "2018-10-01", "amber")),  # line 1: fine on its own
        '{"type": "ActionProgressUpdated", "authority": "testshire"\n',  # line 2: broken JSON
        *_lines(progress("act-1", "2018-10-02", "purple")),  # line 3: bad RAG
        *_lines(
            {
                "type": "DecisionRecorded",
                "authority": AUTHORITY,
                "id": "d1",
                "body": "Cabinet",
                "date": "2018-13-01",
                "title": "Budget",
                "investment": "abc",
                "source": "minutes",
            }
        ),
    ]
    with pytest.raises(ImportRejected) as rejected:
        import_commands(services.ledger, bad_file, actor="tester")
    problems = {(e.line, e.field) for e in rejected.value.errors}
    assert problems == {(2, None), (3, "rag"), (4, "date"), (4, "investment")}
    assert services.ledger.fingerprint() == before
    assert services.read_model.position() == positions


def test_file_rejected_for_a_reference_to_nothing_writes_nothing(services: Services) -> None:
    record(services.ledger, *journey())
    before = services.ledger.fingerprint()
    lines = _lines(
        progress("act-1", "2018-10-01", "green"),
        {
            "type": "ActionPlanned",
            "authority": AUTHORITY,
            "id": "act-2",
            "date": "2018-09-01",
            "title": "T",
            "owner": "O",
            "due_date": "2018-12-01",
            "answers": ["rec-404"],
            "source": "plan",
        },
    )
    with pytest.raises(ImportRejected) as rejected:
        import_commands(services.ledger, lines, actor="tester")
    assert [(e.line, e.field) for e in rejected.value.errors] == [(2, "answers[0]")]
    assert services.ledger.fingerprint() == before


def test_reimporting_the_same_file_changes_nothing(services: Services) -> None:
    lines = _lines(*journey(), progress("act-1", "2018-10-01", "amber"))
    first = import_commands(services.ledger, lines, actor="tester")
    fingerprint = services.ledger.fingerprint()
    again = import_commands(services.ledger, lines, actor="someone else")
    assert (first.new_events, again.new_events) == (6, 0)
    assert services.ledger.fingerprint() == fingerprint


def test_the_same_id_with_other_details_is_refused(services: Services) -> None:
    record(services.ledger, *journey())
    changed = journey()[1] | {"kind": "re_inspection"}
    with pytest.raises(CommandsRejected) as rejected:
        record(services.ledger, changed)
    assert rejected.value.errors[0].field == "id"
    assert "correction" in rejected.value.errors[0].message


def test_every_event_says_who_when_and_from_what(services: Services) -> None:
    record(services.ledger, *journey(), actor="alice")
    for logged in services.ledger.read_log():
        meta = logged.event.meta
        assert meta.recorded_by == "alice"
        assert meta.source
        assert logged.event.timestamp.tzinfo is not None


def test_a_closed_action_takes_no_more_updates(services: Services) -> None:
    record(services.ledger, *journey())
    record(
        services.ledger,
        {
            "type": "ActionCompleted",
            "authority": AUTHORITY,
            "id": "act-1",
            "date": "2018-12-01",
            "evidence": "Signed off",
            "source": "board",
        },
    )
    with pytest.raises(CommandsRejected) as rejected:
        record(services.ledger, progress("act-1", "2018-12-02", "green"))
    assert "is complete; it takes no more updates" in rejected.value.errors[0].message


def test_two_writers_updating_the_same_action_at_once(
    make_services: Callable[..., Services],
) -> None:
    """One wins, the other gets a clear conflict, and the winner's update is not lost."""
    first, second = make_services(), make_services()
    record(first.ledger, *journey())
    version = 1  # the version both writers saw when they opened the action's form
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def write(name: str, services: Services) -> None:
        barrier.wait()
        try:
            record(
                services.ledger,
                progress(
                    "act-1", "2018-10-01", "amber", narrative=f"by {name}", expected_version=version
                ),
            )
            outcomes[name] = "saved"
        except ConcurrentUpdateConflict as conflict:
            outcomes[name] = conflict

    threads = [
        threading.Thread(target=write, args=(n, s)) for n, s in (("a", first), ("b", second))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(type(o).__name__ if not isinstance(o, str) else o for o in outcomes.values()) == [
        "ConcurrentUpdateConflict",
        "saved",
    ]
    winner = next(name for name, o in outcomes.items() if o == "saved")
    loser = next(o for o in outcomes.values() if isinstance(o, ConcurrentUpdateConflict))
    assert "nothing of yours was saved" in str(loser)
    updates = first.views.actions(AUTHORITY)["actions"][0]["updates"]
    assert [u["narrative"] for u in updates] == [f"by {winner}"]


def test_a_stale_write_that_reaches_the_database_is_refused_by_it(
    make_services: Callable[..., Services],
) -> None:
    """Without an expected version, the database's uniqueness of (record, version) still decides."""
    first, second = make_services(), make_services()
    record(first.ledger, *journey())
    stale = second.ledger.repository.get(record_id("action", AUTHORITY, "act-1"))
    assert isinstance(stale, Action)
    record(first.ledger, progress("act-1", "2018-10-01", "green", narrative="first"))

    stale.update_progress(
        Rag.RED, "stale", [], EventMeta(AUTHORITY, date(2018, 10, 2), "x", "bob", "cmd-stale")
    )
    with pytest.raises(IntegrityError):
        second.ledger.save(stale)
    updates = first.views.actions(AUTHORITY)["actions"][0]["updates"]
    assert [u["narrative"] for u in updates] == ["first"]


def test_a_future_date_is_refused_on_the_field_it_came_from(services: Services) -> None:
    record(services.ledger, *journey())
    future = {**journey()[1], "id": "insp-future", "published": "2027-01-01"}
    with pytest.raises(CommandsRejected) as rejected:
        record(services.ledger, future)
    assert [(e.field, e.message) for e in rejected.value.errors] == [
        ("published", "2027-01-01 is in the future; the ledger records what happened")
    ]


def test_a_decisions_date_can_be_corrected_but_an_actions_planning_date_cannot(
    services: Services,
) -> None:
    record(services.ledger, *journey())
    record(
        services.ledger,
        {
            "type": "DecisionRecorded",
            "authority": AUTHORITY,
            "id": "d1",
            "body": "Cabinet",
            "date": "2018-09-10",
            "title": "Budget",
            "source": "minutes",
        },
    )
    record(
        services.ledger,
        {
            "type": "Corrected",
            "authority": AUTHORITY,
            "id": "d1",
            "record": "decision",
            "fields": {"date": "2018-09-11"},
            "reason": "Minutes misdated",
            "source": "minutes",
        },
    )
    decisions = services.views.timeline(AUTHORITY, kinds=["decision"])["entries"]
    assert [d["date"] for d in decisions if d["event"] == "DecisionRecorded"] == ["2018-09-11"]
    with pytest.raises(CommandsRejected) as rejected:
        record(
            services.ledger,
            {
                "type": "Corrected",
                "authority": AUTHORITY,
                "id": "act-1",
                "record": "action",
                "fields": {"date": "2018-08-01"},
                "reason": "a typing slip",
                "source": "test",
            },
        )
    assert "cannot correct date of an action" in rejected.value.errors[0].message


def test_an_inspection_outside_its_frameworks_period_is_refused_and_nothing_is_written(
    services: Services,
) -> None:
    record(services.ledger, *journey())
    before = services.ledger.fingerprint()
    grades = dict.fromkeys(["leaders", "help_and_protection", "in_care", "care_leavers"], "good")
    too_early = {
        "type": "InspectionRecorded",
        "authority": AUTHORITY,
        "id": "ilacs-2019",
        "framework": "ilacs-2026",
        "kind": "standard",
        "first_day": "2019-05-13",
        "last_day": "2019-05-24",
        "published": "2019-07-01",
        "grades": grades,
        "source": "test report",
    }
    with pytest.raises(CommandsRejected) as rejected:
        record(services.ledger, too_early)
    [problem] = rejected.value.errors
    assert problem.field == "first_day"
    assert "2019-05-13 cannot be under ilacs-2026" in problem.message
    assert "in use from 2026-04-01" in problem.message
    assert services.ledger.fingerprint() == before
