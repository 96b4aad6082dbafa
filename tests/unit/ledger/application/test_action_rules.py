"""Improvement-plan actions: what they answer, when they can be due, and what a closed one takes."""

from __future__ import annotations

from typing import Any

import pytest

from ledger.domain.errors import ActionAlreadyClosed, InvalidCommand, UnknownRecord
from tests.factories import AUTHORITY, action, progress
from tests.factories import journey as a_journey
from tests.unit.ledger.application.journey_in_memory import InMemoryJourney


def revise(ref: str, day: str, new_due: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "ActionDueDateRevised",
        "authority": AUTHORITY,
        "id": ref,
        "date": day,
        "new_due_date": new_due,
        "reason": "Recruitment took longer",
        "approver": "Improvement board",
        "source": "board minutes",
        **extra,
    }


def close(kind: str, ref: str, day: str) -> dict[str, Any]:
    note = "evidence" if kind == "ActionCompleted" else "reason"
    return {
        "type": kind,
        "authority": AUTHORITY,
        "id": ref,
        "date": day,
        note: "Signed off by the board",
        "source": "board minutes",
    }


@pytest.fixture
def planned(journey: InMemoryJourney) -> InMemoryJourney:
    journey.run(*a_journey())  # act-1 planned 2018-09-01, due 2018-12-31
    return journey


def test_an_action_cannot_be_due_before_it_was_planned(journey: InMemoryJourney) -> None:
    lines = a_journey()[:-1]
    journey.run(*lines)
    with pytest.raises(InvalidCommand, match="cannot be due before it was planned") as refused:
        journey.run(action("act-1", ["rec-1"], due="2018-08-31", planned="2018-09-01"))
    assert refused.value.field == "due_date"
    journey.run(action("act-1", ["rec-1"], due="2018-09-01", planned="2018-09-01"))


def test_an_action_answers_at_least_one_recorded_recommendation(journey: InMemoryJourney) -> None:
    journey.run(*a_journey()[:-1])
    with pytest.raises(InvalidCommand, match="answers at least one") as none:
        journey.run(action("act-1", [], due="2018-12-31"))
    assert none.value.field == "answers"
    with pytest.raises(UnknownRecord, match="no recommendation 'rec-9'") as unknown:
        journey.run(action("act-1", ["rec-1", "rec-9"], due="2018-12-31"))
    assert unknown.value.field == "answers[1]"


def test_an_action_keeps_what_it_was_planned_with(planned: InMemoryJourney) -> None:
    act = planned.get("action", "act-1")
    assert (act.ref, act.title, act.owner) == ("act-1", "Action act-1", "Head of service")
    assert act.answers == ["rec-1", "rec-2"]
    assert str(act.due_date) == str(act.original_due_date) == "2018-12-31"
    assert str(act.planned) == "2018-09-01"
    assert act.rag is None
    assert act.closed_as is None


def test_progress_sets_the_rag_and_cannot_predate_the_plan(planned: InMemoryJourney) -> None:
    planned.run(progress("act-1", "2018-09-01", "amber"))
    assert planned.get("action", "act-1").rag == "amber"
    with pytest.raises(InvalidCommand, match="was planned after 2018-08-31") as refused:
        planned.run(progress("act-1", "2018-08-31", "red"))
    assert refused.value.field == "date"
    assert planned.get("action", "act-1").rag == "amber"


def test_a_due_date_revision_keeps_the_original_and_must_move_it(
    planned: InMemoryJourney,
) -> None:
    with pytest.raises(InvalidCommand, match="already due then") as same:
        planned.run(revise("act-1", "2018-10-01", "2018-12-31"))
    assert same.value.field == "new_due_date"
    planned.run(revise("act-1", "2018-10-01", "2019-03-31"))
    act = planned.get("action", "act-1")
    assert (str(act.due_date), str(act.original_due_date)) == ("2019-03-31", "2018-12-31")
    revised = planned.events[-1]
    assert str(revised.previous_due_date) == "2018-12-31"
    assert (revised.reason, revised.approver) == ("Recruitment took longer", "Improvement board")
    with pytest.raises(InvalidCommand, match="planned after"):
        planned.run(revise("act-1", "2018-08-01", "2019-06-30"))


@pytest.mark.parametrize(
    ("kind", "status"), [("ActionCompleted", "complete"), ("ActionCancelled", "cancelled")]
)
def test_a_closed_action_takes_no_more_updates(
    planned: InMemoryJourney, kind: str, status: str
) -> None:
    with pytest.raises(InvalidCommand, match="planned after"):
        planned.run(close(kind, "act-1", "2018-08-31"))
    planned.run(close(kind, "act-1", "2018-12-20"))
    assert planned.get("action", "act-1").closed_as == status
    for line in (
        progress("act-1", "2018-12-21", "green"),
        revise("act-1", "2018-12-21", "2019-01-31"),
        close("ActionCompleted", "act-1", "2018-12-22"),
        close("ActionCancelled", "act-1", "2018-12-22"),
    ):
        with pytest.raises(ActionAlreadyClosed, match=f"action 'act-1' is {status}"):
            planned.run(line)


def test_updates_need_a_planned_action(planned: InMemoryJourney) -> None:
    with pytest.raises(UnknownRecord, match="no action 'act-9'"):
        planned.run(progress("act-9", "2018-10-01", "red"))
    # A recommendation's id names no action: ids are per kind of record.
    with pytest.raises(UnknownRecord, match="no action 'rec-1'"):
        planned.run(progress("rec-1", "2018-10-01", "red"))
