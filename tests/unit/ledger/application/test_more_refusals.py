"""The remaining corners of command handling: messages that name kinds in words, corrections of
the fields that need no other check, and a record of another kind under an id."""

from __future__ import annotations

import pytest

from ledger.domain.actions import Action
from ledger.domain.errors import (
    CommandError,
    CommandsRejected,
    ConcurrentUpdateConflict,
    InvalidCommand,
    RecordAlreadyExists,
    UnknownRecord,
)
from ledger.domain.records import record_id
from tests.factories import AUTHORITY, action, recommendation
from tests.factories import journey as a_journey
from tests.unit.ledger.application.journey_in_memory import InMemoryJourney
from tests.unit.ledger.application.test_correction_rules import correct
from tests.unit.ledger.application.test_visit_decision_intervention_indicator_rules import (
    decision,
    indicator,
    reading,
    visit,
)


@pytest.fixture
def recorded(journey: InMemoryJourney) -> InMemoryJourney:
    journey.run(*a_journey(), visit(), decision(), indicator(), reading("2017-02-28", "1853"))
    return journey


def test_kinds_are_named_in_words(recorded: InMemoryJourney) -> None:
    with pytest.raises(UnknownRecord) as missing:
        recorded.run(correct("monitoring_visit", "mv-9", {"number": 7}))
    assert missing.value.message == "no monitoring visit 'mv-9' is recorded for 'testshire'"
    with pytest.raises(ConcurrentUpdateConflict) as conflict:
        recorded.run(correct("monitoring_visit", "mv-1", {"number": 7}, expected_version=9))
    assert str(conflict.value).startswith("monitoring visit 'mv-1' was changed by someone else")
    visit_record = recorded.get("monitoring_visit", "mv-1")
    with pytest.raises(InvalidCommand) as article:
        visit_record.check_correction({"date": "2017-01-01"})
    assert article.value.message.startswith("cannot correct date of a monitoring visit")


def test_records_created_twice_say_which(recorded: InMemoryJourney) -> None:
    for line, what in (
        (recommendation("rec-1", "insp-1", text="Other."), "recommendation 'rec-1'"),
        (action("act-1", ["rec-1"], due="2019-01-31"), "action 'act-1'"),
    ):
        with pytest.raises(RecordAlreadyExists) as again:
            recorded.run(line)
        assert again.value.message == (
            f"{what} is already recorded with different details; record a correction to change it"
        )


def test_a_correction_names_every_field_it_cannot_change(recorded: InMemoryJourney) -> None:
    recorded.run(correct("indicator", "cla", {"name": "Looked-after children"}))
    assert recorded.get("indicator", "cla").name == "Looked-after children"
    with pytest.raises(InvalidCommand) as both:
        recorded.run(correct("action", "act-1", {"due_date": "2019-01-01", "date": "2018-09-02"}))
    assert both.value.message == (
        "cannot correct date, due_date of an action (correctable: answers, owner, title)"
    )
    empty = recorded.get("decision", "d-1")
    with pytest.raises(InvalidCommand) as nothing:
        empty.check_correction({})
    assert (nothing.value.message, nothing.value.field) == (
        "a correction must change at least one field",
        "fields",
    )


def test_corrections_that_need_no_other_check_are_recorded(recorded: InMemoryJourney) -> None:
    recorded.run(correct("action", "act-1", {"answers": ["rec-2"]}))
    assert recorded.get("action", "act-1").answers == ["rec-2"]
    recorded.run(correct("recommendation", "rec-1", {"text": "Improve supervision."}))
    assert recorded.get("recommendation", "rec-1").text == "Improve supervision."


def test_a_record_of_another_kind_under_the_id_is_refused(recorded: InMemoryJourney) -> None:
    # Ids are per kind of record, so this only happens if the store is not what it should be.
    recorded.records[record_id(Action.KIND, AUTHORITY, "forged")] = recorded.get(
        "recommendation", "rec-1"
    )
    with pytest.raises(UnknownRecord) as refused:
        recorded.run(
            {
                "type": "ActionCompleted",
                "authority": AUTHORITY,
                "id": "forged",
                "date": "2018-12-01",
                "evidence": "Audited",
                "source": "board paper",
            }
        )
    assert refused.value.message == "'forged' is not a action"


def test_a_reading_that_is_not_finite_says_so() -> None:
    from datetime import date
    from decimal import Decimal

    from ledger.domain.grades import IndicatorUnit
    from ledger.domain.indicators import Indicator
    from ledger.domain.meta import EventMeta

    meta = EventMeta(AUTHORITY, date(2017, 1, 1), "s", "tester", "c")
    cla = Indicator(
        ref="cla",
        name="CLA",
        unit=IndicatorUnit.COUNT,
        higher_is_better=None,
        target=None,
        meta=meta,
    )
    with pytest.raises(InvalidCommand) as refused:
        cla.record_reading(date(2017, 2, 28), Decimal("sNaN"), "", meta)
    assert refused.value.message == "a reading is a finite number"


def test_a_rejected_batch_names_how_many_problems() -> None:
    errors = [CommandError(0, "date", "bad"), CommandError(3, None, "worse")]
    rejected = CommandsRejected(errors)
    assert str(rejected) == "2 problem(s); nothing was recorded"
    assert rejected.errors == errors
