"""The rules every command's handler keeps: the authority exists, nothing is dated in the future,
the same command twice changes nothing, another command cannot re-create a record, and a stale
`expected_version` is a conflict."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.domain.errors import (
    ConcurrentUpdateConflict,
    InvalidCommand,
    RecordAlreadyExists,
    UnknownRecord,
)
from tests.factories import action, authority, progress, recommendation, sif_inspection
from tests.factories import journey as a_journey
from tests.unit.ledger.application.journey_in_memory import InMemoryJourney


def test_a_record_needs_its_authority_registered_first(journey: InMemoryJourney) -> None:
    with pytest.raises(UnknownRecord, match="no authority 'testshire'") as refused:
        journey.run(sif_inspection("insp-1", "2018-08-17"))
    assert refused.value.field == "authority"
    assert journey.records == {}


def test_nothing_is_recorded_as_true_after_today(journey: InMemoryJourney) -> None:
    journey.run(authority())
    with pytest.raises(InvalidCommand, match="2026-11-24 is in the future") as refused:
        journey.run(sif_inspection("insp-1", "2026-11-24"))
    assert refused.value.field == "published"
    # Today itself is fine (under the framework in use today: the SIF's period ended in 2018).
    areas = ["leaders", "help_and_protection", "in_care", "care_leavers"]
    journey.run(
        sif_inspection(
            "insp-2",
            "2026-11-23",
            framework="ilacs-2026",
            kind="standard",
            grades=dict.fromkeys(areas, "good"),
        )
    )


def test_the_same_command_twice_records_once(journey: InMemoryJourney) -> None:
    lines = a_journey()
    assert journey.run(*lines) == 5
    assert journey.run(*lines) == 0
    assert journey.run(progress("act-1", "2018-10-01", "amber")) == 1
    assert journey.run(progress("act-1", "2018-10-01", "amber")) == 0


def test_another_command_cannot_record_an_existing_record_again(journey: InMemoryJourney) -> None:
    journey.run(*a_journey())
    with pytest.raises(RecordAlreadyExists, match="inspection 'insp-1' is already recorded") as e:
        journey.run(sif_inspection("insp-1", "2018-08-17", grade="good"))
    assert e.value.field == "id"
    with pytest.raises(RecordAlreadyExists, match="authority 'testshire'"):
        journey.run({**authority(), "name": "Another name"})
    for make in (
        lambda: recommendation("rec-1", "insp-1", text="Other text."),
        lambda: action("act-1", ["rec-1"], due="2019-01-31"),
    ):
        with pytest.raises(RecordAlreadyExists):
            journey.run(make())


def test_an_update_against_a_version_someone_else_moved_on_is_a_conflict(
    journey: InMemoryJourney,
) -> None:
    journey.run(*a_journey())
    version = journey.get("action", "act-1").version
    journey.run(progress("act-1", "2018-10-01", "amber", expected_version=version))
    with pytest.raises(ConcurrentUpdateConflict, match="version 2, you saw 1"):
        journey.run(progress("act-1", "2018-11-01", "red", expected_version=version))
    assert journey.get("action", "act-1").rag == "amber"


def test_the_recorder_and_the_dates_come_from_the_system_and_the_command(
    journey: InMemoryJourney,
) -> None:
    journey.run(authority(), actor="alice")
    journey.run(sif_inspection("insp-1", "2018-08-17"), actor="bob")
    registered, inspected = journey.events
    assert (registered.meta.recorded_by, inspected.meta.recorded_by) == ("alice", "bob")
    # Registering is dated the day it is recorded; an inspection by its publication.
    assert registered.meta.effective_date == journey.today
    assert inspected.meta.effective_date == date(2018, 8, 17)
    assert inspected.meta.authority == "testshire"
    assert inspected.meta.source == "test report"
