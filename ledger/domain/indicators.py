"""Performance indicators (caseloads, timeliness, children looked after) and their readings."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from eventsourcing.domain import event

from ledger.domain.errors import InvalidCommand, RecordAlreadyExists
from ledger.domain.grades import ComparisonSeries, IndicatorUnit
from ledger.domain.meta import EventMeta
from ledger.domain.quantities import check_reading
from ledger.domain.records import LedgerAggregate


class Indicator(LedgerAggregate):
    """An indicator; `higher_is_better` is None where neither direction is better in itself."""

    KIND = "indicator"
    CORRECTABLE = frozenset({"name", "unit", "higher_is_better", "target", "reading"})

    @event("IndicatorDefined")
    def __init__(
        self,
        ref: str,
        name: str,
        unit: IndicatorUnit,
        higher_is_better: bool | None,
        target: Decimal | None,
        meta: EventMeta,
    ):
        self.ref = ref
        self.name = name
        self.unit = unit
        self.higher_is_better = higher_is_better
        self.target = target
        self.readings: dict[date, Decimal] = {}
        self.comparisons: dict[str, dict[date, Decimal]] = {}

    def record_reading(self, period_end: date, value: Decimal, note: str, meta: EventMeta) -> None:
        """Record the value for the period ending `period_end`; one reading a period."""
        if period_end in self.readings:
            raise RecordAlreadyExists(
                f"indicator {self.ref!r} already has a reading for {period_end.isoformat()}; "
                "record a correction to change it",
                field="period_end",
            )
        check_reading(value, self.unit, "value")
        self._reading_recorded(period_end=period_end, value=value, note=note, meta=meta)

    @event("IndicatorReadingRecorded")
    def _reading_recorded(
        self, period_end: date, value: Decimal, note: str, meta: EventMeta
    ) -> None:
        self.readings[period_end] = value

    @staticmethod
    def check_target(target: Decimal | None, unit: IndicatorUnit, field: str = "target") -> None:
        """Raise unless the target is one a reading of this unit could meet."""
        if target is not None:
            check_reading(target, unit, field, "a target")

    def record_comparison(
        self, series: ComparisonSeries, period_end: date, value: Decimal, meta: EventMeta
    ) -> None:
        """Record the comparison figure (England's, the region's, the statistical neighbours')
        for the period ending `period_end`; one a series and period."""
        if period_end in self.__dict__.get("comparisons", {}).get(series.value, {}):
            raise RecordAlreadyExists(
                f"indicator {self.ref!r} already has a {series.label} figure for "
                f"{period_end.isoformat()}",
                field="period_end",
            )
        check_reading(value, self.unit, "value", "a figure")
        self._comparison_recorded(series=series, period_end=period_end, value=value, meta=meta)

    @event("IndicatorComparisonRecorded")
    def _comparison_recorded(
        self, series: ComparisonSeries, period_end: date, value: Decimal, meta: EventMeta
    ) -> None:
        self.__dict__.setdefault("comparisons", {}).setdefault(series.value, {})[period_end] = value

    def check_correction(self, fields: Mapping[str, Any]) -> None:
        super().check_correction(fields)
        unit = fields.get("unit", self.unit)
        readings = dict(self.readings)
        reading = fields.get("reading")
        if reading is not None:
            if reading["period_end"] not in self.readings:
                raise InvalidCommand(
                    f"indicator {self.ref!r} has no reading for {reading['period_end']}",
                    "fields",
                )
            readings[reading["period_end"]] = reading["value"]
            check_reading(reading["value"], unit, "fields.reading.value")
        if "unit" in fields:
            for period_end, value in sorted(readings.items()):
                check_reading(value, unit, "fields.unit", f"the reading for {period_end}")
        self.check_target(fields.get("target", self.target), unit, "fields.target")

    def apply_correction(self, corrected_fields: Mapping[str, Any]) -> None:
        fields = dict(corrected_fields)
        reading = fields.pop("reading", None)
        if reading is not None:
            self.readings[reading["period_end"]] = reading["value"]
        super().apply_correction(fields)
