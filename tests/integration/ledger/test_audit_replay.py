"""'As of' (valid time) and 'as known at' (transaction time), alone and together."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest

from entrypoints.bootstrap import Services
from tests.factories import AUTHORITY, journey, progress, record, sif_inspection


def _pause() -> datetime:
    """An instant strictly between what was recorded before and what is recorded after."""
    time.sleep(0.01)
    instant = datetime.now(UTC)
    time.sleep(0.01)
    return instant


def _correct_overall(grade: str) -> dict:
    return {
        "type": "Corrected",
        "authority": AUTHORITY,
        "id": "insp-1",
        "record": "inspection",
        "fields": {
            "grades": {
                "overall_effectiveness": grade,
                "help_and_protection": "inadequate",
                "looked_after": "inadequate",
                "adoption": "inadequate",
                "care_leavers": "inadequate",
                "leadership": "inadequate",
            }
        },
        "reason": "The report's table was misread",
        "source": "report, page 2",
    }


def test_correction_changes_todays_answer_but_not_the_known_at_answer_from_before(
    services: Services,
) -> None:
    record(services.ledger, *journey())
    before_correction = _pause()
    record(services.ledger, _correct_overall("requires_improvement"))

    now = services.views.judgements(AUTHORITY, as_of=date(2018, 9, 1))
    then = services.views.judgements(AUTHORITY, as_of=date(2018, 9, 1), known_at=before_correction)

    assert now["overall"]["grade"] == "requires_improvement"
    assert then["overall"]["grade"] == "inadequate"
    assert then["known_at"] == before_correction.isoformat()
    # Both the mistake and the correction stay in the history.
    kinds = [e["kind"] for e in services.views.timeline(AUTHORITY)["entries"]]
    assert "correction" in kinds
    assert "correction" not in [
        e["kind"] for e in services.views.timeline(AUTHORITY, known_at=before_correction)["entries"]
    ]


def test_late_entry_is_invisible_to_known_at_before_it_but_in_force_as_of_its_date(
    services: Services,
) -> None:
    record(services.ledger, *journey())
    before_late_entry = _pause()
    # Recorded today, true since 2019: a late entry.
    record(services.ledger, sif_inspection("insp-2", "2019-06-01", grade="good"))

    assert (
        services.views.judgements(AUTHORITY, as_of=date(2019, 7, 1))["inspection"]["ref"]
        == "insp-2"
    )
    assert (
        services.views.judgements(AUTHORITY, as_of=date(2019, 1, 1))["inspection"]["ref"]
        == "insp-1"
    )
    known_then = services.views.judgements(
        AUTHORITY, as_of=date(2019, 7, 1), known_at=before_late_entry
    )
    assert known_then["inspection"]["ref"] == "insp-1"


def test_known_at_before_anything_was_recorded_knows_no_authority(services: Services) -> None:
    long_ago = datetime(2000, 1, 1, tzinfo=UTC)
    record(services.ledger, *journey())
    assert services.views.authorities(known_at=long_ago) == []


def test_action_status_as_of_follows_the_dates_of_updates(
    services: Services, clock: object
) -> None:
    record(services.ledger, *journey())
    record(
        services.ledger,
        {
            "type": "ActionProgressUpdated",
            "authority": AUTHORITY,
            "id": "act-1",
            "date": "2018-10-01",
            "rag": "red",
            "narrative": "Recruitment stalled.",
            "source": "board paper",
        },
        {
            "type": "ActionDueDateRevised",
            "authority": AUTHORITY,
            "id": "act-1",
            "date": "2018-11-15",
            "new_due_date": "2019-03-31",
            "reason": "Recruitment",
            "approver": "Improvement board",
            "source": "board minutes",
        },
    )
    october = services.views.actions(AUTHORITY, as_of=date(2018, 10, 15))["actions"][0]
    assert (october["rag"], october["due_date"], october["slipped"]) == ("red", "2018-12-31", False)
    later = services.views.actions(AUTHORITY, as_of=date(2019, 4, 2))["actions"][0]
    assert later["due_date"] == "2019-03-31"
    assert later["original_due_date"] == "2018-12-31"
    assert later["slipped"] and later["overdue"] and later["days_overdue"] == 2
    soon = services.views.actions(AUTHORITY, as_of=date(2019, 3, 20))
    assert soon["due_soon"] == ["act-1"] and soon["overdue"] == []


def test_an_audit_answer_reads_the_read_models_rows_not_the_log(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    record(services.ledger, *journey())
    instant = _pause()
    record(services.ledger, progress("act-1", "2018-10-01", "green"))
    expected = services.views.actions(AUTHORITY, known_at=instant)

    def no_replay(*_: object, **__: object) -> object:
        raise AssertionError("a query read the log")

    monkeypatch.setattr(services.ledger, "read_stored", no_replay)
    monkeypatch.setattr(services.ledger, "plain_events", no_replay)
    assert services.views.actions(AUTHORITY, known_at=instant) == expected
    assert services.views.judgements(AUTHORITY, known_at=instant)["inspection"] is not None
    assert services.views.timeline(AUTHORITY, known_at=instant)["entries"]
    assert expected["actions"][0]["rag"] is None  # the green update came after the instant


def test_changing_an_audit_answer_does_not_change_the_next_one(services: Services) -> None:
    record(services.ledger, *journey())
    instant = _pause()
    first = services.views.timeline(AUTHORITY, known_at=instant)
    first["entries"][0]["facts"]["text"] = "scribbled on by a caller"
    first["entries"][0]["title"] = "scribbled"
    again = services.views.timeline(AUTHORITY, known_at=instant)
    assert again["entries"][0]["title"] != "scribbled"
    assert "scribbled on by a caller" not in str(again)
