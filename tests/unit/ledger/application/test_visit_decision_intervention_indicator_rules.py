"""Monitoring visits' dates, decisions' money, interventions that lift others, and indicators'
readings: one a period, finite."""

from __future__ import annotations

from typing import Any

import pytest

from ledger.domain.errors import InvalidCommand, RecordAlreadyExists, UnknownRecord
from tests.factories import AUTHORITY, authority
from tests.unit.ledger.application.journey_in_memory import InMemoryJourney


def visit(ref: str = "mv-1", **overrides: Any) -> dict[str, Any]:
    return {
        "type": "MonitoringVisitRecorded",
        "authority": AUTHORITY,
        "id": ref,
        "first_day": "2017-04-12",
        "last_day": "2017-04-13",
        "letter_date": "2017-06-13",
        "progress_statement": "uneven progress",
        "number": 6,
        "findings": [{"kind": "concern", "text": "Caseloads are high."}],
        "source": "letter",
        **overrides,
    }


def decision(ref: str = "d-1", **overrides: Any) -> dict[str, Any]:
    return {
        "type": "DecisionRecorded",
        "authority": AUTHORITY,
        "id": ref,
        "body": "Cabinet",
        "date": "2015-12-10",
        "title": "Additional investment",
        "investment": "5000000.00",
        "source": "minutes",
        **overrides,
    }


def intervention(ref: str, kind: str = "improvement_notice", **overrides: Any) -> dict[str, Any]:
    return {
        "type": "InterventionRecorded",
        "authority": AUTHORITY,
        "id": ref,
        "kind": kind,
        "date": "2016-03-01",
        "title": "Improvement notice",
        "by": "DfE",
        "source": "notice",
        **overrides,
    }


def indicator(ref: str = "cla") -> dict[str, Any]:
    return {
        "type": "IndicatorDefined",
        "authority": AUTHORITY,
        "id": ref,
        "name": "Children looked after",
        "unit": "count",
        "higher_is_better": False,
        "source": "performance report",
    }


def reading(period_end: str, value: str, ref: str = "cla") -> dict[str, Any]:
    return {
        "type": "IndicatorReadingRecorded",
        "authority": AUTHORITY,
        "id": ref,
        "period_end": period_end,
        "value": value,
        "source": "performance report",
    }


@pytest.fixture
def registered(journey: InMemoryJourney) -> InMemoryJourney:
    journey.run(authority())
    return journey


def test_a_visit_s_days_come_in_order_and_before_its_letter(registered: InMemoryJourney) -> None:
    with pytest.raises(InvalidCommand, match="last day on site is before the first") as order:
        registered.run(visit(first_day="2017-04-14"))
    assert order.value.field == "last_day"
    with pytest.raises(InvalidCommand, match="letter is dated before the last day") as early:
        registered.run(visit(letter_date="2017-04-12"))
    assert early.value.field == "letter_date"
    registered.run(visit(first_day="2017-04-13", letter_date="2017-04-13"))
    recorded = registered.get("monitoring_visit", "mv-1")
    assert recorded.findings == [{"kind": "concern", "text": "Caseloads are high."}]
    assert (recorded.number, recorded.progress_statement) == (6, "uneven progress")
    assert str(registered.events[-1].meta.effective_date) == "2017-04-13"


def test_an_investment_is_exact_money_not_negative(registered: InMemoryJourney) -> None:
    with pytest.raises(InvalidCommand, match="whole pence") as pence:
        registered.run(decision(investment="100.001"))
    assert pence.value.field == "investment"
    with pytest.raises(InvalidCommand, match="positive amount"):
        registered.run(decision(investment="-1.00"))
    registered.run(decision("d-0", investment="0"))
    registered.run(decision())
    assert str(registered.get("decision", "d-1").investment) == "5000000.00"
    registered.run(decision("d-2", investment=None))
    assert registered.get("decision", "d-2").investment is None


def test_an_intervention_lifts_only_a_recorded_one(registered: InMemoryJourney) -> None:
    with pytest.raises(UnknownRecord, match="no intervention 'notice'") as unknown:
        registered.run(intervention("lifted", "intervention_lifted", lifts="notice"))
    assert unknown.value.field == "lifts"
    registered.run(intervention("notice"))
    registered.run(intervention("lifted", "intervention_lifted", lifts="notice"))
    assert registered.get("intervention", "lifted").lifts == "notice"


def test_an_indicator_has_one_finite_reading_a_period(registered: InMemoryJourney) -> None:
    with pytest.raises(UnknownRecord, match="no indicator 'cla'"):
        registered.run(reading("2017-02-28", "1853"))
    registered.run(indicator())
    registered.run(reading("2017-02-28", "1853"))
    with pytest.raises(RecordAlreadyExists, match="already has a reading for 2017-02-28") as twice:
        registered.run(reading("2017-02-28", "1860"))
    assert twice.value.field == "period_end"
    assert (
        str(
            registered.get("indicator", "cla").readings[
                next(iter(registered.get("indicator", "cla").readings))
            ]
        )
        == "1853"
    )
    # A reading is dated by the end of its period.
    assert str(registered.events[-1].meta.effective_date) == "2017-02-28"


def test_a_reading_that_is_not_finite_is_refused_by_the_record_itself() -> None:
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
        higher_is_better=False,
        target=None,
        meta=meta,
    )
    for bad in (Decimal("NaN"), Decimal("Infinity")):
        with pytest.raises(InvalidCommand, match="finite number") as refused:
            cla.record_reading(date(2017, 2, 28), bad, "", meta)
        assert refused.value.field == "value"
    assert cla.readings == {}
