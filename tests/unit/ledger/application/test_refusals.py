"""Every refusal says exactly what is wrong, on the field it concerns, and changes nothing; the
same command sent again (a retried form, a re-imported file) changes nothing either."""

from __future__ import annotations

from typing import Any

import pytest

from ledger.domain.errors import ConcurrentUpdateConflict, InvalidCommand
from tests.factories import action, progress, recommendation, sif_inspection
from tests.factories import journey as a_journey
from tests.unit.ledger.application.journey_in_memory import InMemoryJourney
from tests.unit.ledger.application.test_action_rules import close, revise
from tests.unit.ledger.application.test_correction_rules import correct
from tests.unit.ledger.application.test_inspection_and_recommendation_rules import decide
from tests.unit.ledger.application.test_visit_decision_intervention_indicator_rules import (
    decision,
    indicator,
    intervention,
    reading,
    visit,
)

REFUSALS: list[tuple[str, dict[str, Any], str, str | None]] = [
    (
        "future",
        sif_inspection("i-9", "2027-01-01"),
        "2027-01-01 is in the future; the ledger records what happened",
        "published",
    ),
    (
        "future letter",
        visit("mv-9", first_day="2026-12-01", last_day="2026-12-02", letter_date="2026-12-03"),
        "2026-12-03 is in the future; the ledger records what happened",
        "letter_date",
    ),
    (
        "future reading",
        reading("2027-01-31", "1"),
        "2027-01-31 is in the future; the ledger records what happened",
        "period_end",
    ),
    (
        "future progress",
        progress("act-1", "2027-01-01", "red"),
        "2027-01-01 is in the future; the ledger records what happened",
        "date",
    ),
    (
        "visit order",
        visit("mv-9", first_day="2017-04-14"),
        "the last day on site is before the first",
        "last_day",
    ),
    (
        "visit letter",
        visit("mv-9", letter_date="2017-04-12"),
        "the letter is dated before the last day on site",
        "letter_date",
    ),
    (
        "inspection order",
        sif_inspection("i-9", "2018-08-17", first_day="2018-06-22", last_day="2018-06-11"),
        "the last day on site is before the first",
        "last_day",
    ),
    (
        "inspection published",
        sif_inspection("i-9", "2018-06-21", last_day="2018-06-22"),
        "the report is published before the last day on site",
        "published",
    ),
    (
        "kind",
        sif_inspection("i-9", "2018-08-17", kind="short"),
        "'short' is not a kind of inspection under sif-2013 (single_inspection, re_inspection)",
        "kind",
    ),
    (
        "framework",
        sif_inspection("i-9", "2018-08-17", framework="sif-2009"),
        "'sif-2009' is not a known framework (ilacs-2018, ilacs-2023, ilacs-2026, sif-2013)",
        "framework",
    ),
    (
        "area",
        {**recommendation("rec-9", "insp-1"), "area": "leaders"},
        "'leaders' is not a judgement area of sif-2013 (overall_effectiveness, help_and_protection, "
        "looked_after, adoption, care_leavers, leadership, lscb)",
        "leaders",
    ),
    (
        "missing areas",
        sif_inspection("i-9", "2018-08-17", grades={"overall_effectiveness": "good"}),
        "an inspection under sif-2013 grades every area; missing: help_and_protection, looked_after, "
        "adoption, care_leavers, leadership",
        "grades",
    ),
    (
        "origin",
        recommendation("rec-9", "nowhere"),
        "no inspection or monitoring visit 'nowhere' is recorded for 'testshire'",
        "origin",
    ),
    (
        "answers none",
        action("act-9", [], due="2018-12-31"),
        "an action answers at least one recommendation",
        "answers",
    ),
    (
        "answers unknown",
        action("act-9", ["rec-1", "rec-9"], due="2018-12-31"),
        "no recommendation 'rec-9' is recorded for 'testshire'",
        "answers[1]",
    ),
    (
        "due before planned",
        action("act-9", ["rec-1"], due="2018-08-31"),
        "an action cannot be due before it was planned",
        "due_date",
    ),
    (
        "unknown action",
        progress("act-9", "2018-10-01", "red"),
        "no action 'act-9' is recorded for 'testshire'",
        "id",
    ),
    (
        "progress before plan",
        progress("act-1", "2018-08-31", "red"),
        "action 'act-1' was planned after 2018-08-31",
        "date",
    ),
    (
        "same due date",
        revise("act-1", "2018-10-01", "2018-12-31"),
        "action 'act-1' is already due then",
        "new_due_date",
    ),
    (
        "close before issue",
        decide("RecommendationClosed", "rec-1", "2018-08-16"),
        "a recommendation cannot close before it was issued",
        "date",
    ),
    (
        "reopen open",
        decide("RecommendationReopened", "rec-1", "2018-09-01"),
        "recommendation 'rec-1' is open already",
        None,
    ),
    (
        "pence",
        decision("d-9", investment="1.001"),
        "an investment is in pounds and whole pence",
        "investment",
    ),
    (
        "negative",
        decision("d-9", investment="-1"),
        "an investment is a positive amount of money",
        "investment",
    ),
    (
        "lifts",
        intervention("x", "intervention_lifted", lifts="nothing"),
        "no intervention 'nothing' is recorded for 'testshire'",
        "lifts",
    ),
    (
        "reading twice",
        reading("2017-02-28", "2"),
        "indicator 'cla' already has a reading for 2017-02-28; record a correction to change it",
        "period_end",
    ),
    (
        "not correctable",
        correct("action", "act-1", {"due_date": "2019-01-01"}),
        "cannot correct due_date of an action (correctable: answers, owner, title)",
        "fields",
    ),
    (
        "reading period",
        correct("indicator", "cla", {"reading": {"period_end": "2017-01-31", "value": "1"}}),
        "indicator 'cla' has no reading for 2017-01-31",
        "fields",
    ),
    (
        "again",
        sif_inspection("insp-1", "2018-08-17", grade="good"),
        "inspection 'insp-1' is already recorded with different details; record a correction to "
        "change it",
        "id",
    ),
]


@pytest.fixture
def recorded(journey: InMemoryJourney) -> InMemoryJourney:
    journey.run(*a_journey(), visit(), indicator(), reading("2017-02-28", "1853"))
    return journey


@pytest.mark.parametrize(("_", "line", "message", "field"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_a_refusal_names_the_problem_and_its_field_and_changes_nothing(
    recorded: InMemoryJourney, _: str, line: dict[str, Any], message: str, field: str | None
) -> None:
    before = {k: vars(v).copy() for k, v in recorded.records.items()}
    with pytest.raises(InvalidCommand) as refused:
        recorded.run(line)
    assert (refused.value.message, refused.value.field) == (message, field)
    assert str(refused.value) == message
    assert {k: vars(v) for k, v in recorded.records.items()} == before


def test_a_closed_recommendation_refuses_closing_again(recorded: InMemoryJourney) -> None:
    recorded.run(decide("RecommendationClosed", "rec-1", "2018-09-01"))
    with pytest.raises(InvalidCommand) as refused:
        recorded.run(decide("RecommendationClosed", "rec-1", "2018-09-02"))
    assert refused.value.message == "recommendation 'rec-1' is already closed"


AGAIN = [
    ("close", [decide("RecommendationClosed", "rec-1", "2018-09-01")]),
    (
        "reopen",
        [
            decide("RecommendationClosed", "rec-1", "2018-09-01"),
            decide("RecommendationReopened", "rec-1", "2018-09-02"),
        ],
    ),
    ("complete", [close("ActionCompleted", "act-1", "2018-12-01")]),
    ("cancel", [close("ActionCancelled", "act-1", "2018-12-01")]),
    ("revise", [revise("act-1", "2018-10-01", "2019-03-31")]),
    ("reading", [reading("2017-03-31", "1860")]),
    ("correction", [correct("action", "act-1", {"title": "Audit"})]),
]


@pytest.mark.parametrize(("_", "lines"), AGAIN, ids=[a[0] for a in AGAIN])
def test_the_same_update_again_changes_nothing(
    recorded: InMemoryJourney, _: str, lines: list[dict[str, Any]]
) -> None:
    for line in lines:
        assert recorded.run(line) == 1
    assert recorded.run(lines[-1]) == 0


CONFLICTS = [
    ("recommendation", "rec-1", decide("RecommendationClosed", "rec-1", "2018-09-01")),
    ("action", "act-1", close("ActionCompleted", "act-1", "2018-12-01")),
    ("action", "act-1", close("ActionCancelled", "act-1", "2018-12-01")),
    ("action", "act-1", revise("act-1", "2018-10-01", "2019-03-31")),
    ("action", "act-1", correct("action", "act-1", {"title": "Audit"})),
]


@pytest.mark.parametrize(("kind", "ref", "line"), CONFLICTS)
def test_an_update_of_a_record_changed_since_it_was_read_is_a_conflict(
    recorded: InMemoryJourney, kind: str, ref: str, line: dict[str, Any]
) -> None:
    record = recorded.get(kind, ref)
    stale = record.version - 1
    with pytest.raises(ConcurrentUpdateConflict) as conflict:
        recorded.run({**line, "expected_version": stale})
    kind_words = kind.replace("_", " ")
    assert str(conflict.value) == (
        f"{kind_words} {ref!r} was changed by someone else since you opened it "
        f"(version {record.version}, you saw {stale}); nothing of yours was saved: reload it "
        "and try again"
    )
    assert recorded.run({**line, "expected_version": record.version}) == 1


def test_reopening_needs_the_version_read_too(recorded: InMemoryJourney) -> None:
    recorded.run(decide("RecommendationClosed", "rec-1", "2018-09-01"))
    with pytest.raises(ConcurrentUpdateConflict):
        recorded.run(
            {**decide("RecommendationReopened", "rec-1", "2018-09-02"), "expected_version": 1}
        )
