"""Indicators over time: each indicator's readings up to a day, and how the latest one moved."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from ledger.application.log import PlainEvent
from ledger.domain.grades import ComparisonSeries
from projections.jsonable import copied, corrected_kind, recorded
from projections.rows import Row, RowWrite
from projections.writes import Current, Document, Projection, row

NAME = "indicators"


def _defined(e: PlainEvent, _: Current) -> list[RowWrite]:
    d = e.data
    body = {
        "ref": d["ref"],
        "name": d["name"],
        "unit": d["unit"],
        "higher_is_better": d["higher_is_better"],
        "target": d["target"],
        **recorded(e),
    }
    return [row(NAME, e, "indicator", e.originator_id, body)]


def _reading_record(e: PlainEvent, period_end: str) -> str:
    return f"{e.originator_id}/{period_end}"


def _reading(e: PlainEvent, _: Current) -> list[RowWrite]:
    d = e.data
    body = {"period_end": d["period_end"], "value": d["value"], "note": d["note"], **recorded(e)}
    record = _reading_record(e, d["period_end"])
    return [row(NAME, e, "reading", record, body, d["period_end"], parent=e.originator_id)]


def _comparison(e: PlainEvent, _: Current) -> list[RowWrite]:
    d = e.data
    body = {
        "series": d["series"],
        "period_end": d["period_end"],
        "value": d["value"],
        **recorded(e),
    }
    record = f"{e.originator_id}/{d['series']}/{d['period_end']}"
    return [
        row(
            NAME,
            e,
            "comparison",
            record,
            body,
            d["period_end"],
            replaces=True,
            parent=e.originator_id,
        )
    ]


def _corrected(e: PlainEvent, current: Current) -> list[RowWrite]:
    kind, _ = corrected_kind(e)
    if kind != "indicator":
        return []
    indicator = current(NAME, "indicator", e.originator_id)
    if indicator is None:
        return []
    fields = copied(e.data["corrected_fields"])
    reading = fields.pop("reading", None)
    writes = []
    if reading is not None:
        record = _reading_record(e, reading["period_end"])
        found = current(NAME, "reading", record)
        if found is not None:
            body = {**found, "value": reading["value"], "corrected": e.data["reason"]}
            valid = body["period_end"]
            writes.append(
                row(NAME, e, "reading", record, body, valid, replaces=True, parent=e.originator_id)
            )
    if fields:
        body = {**indicator, **fields}
        writes.append(row(NAME, e, "indicator", e.originator_id, body, replaces=True))
    return writes


def _assemble(rows: Sequence[Row]) -> Document:
    indicators: dict[str, dict[str, Any]] = {}
    by_id: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r.kind == "indicator":
            indicator = {**r.body, "readings": {}}
            indicators[indicator["ref"]] = by_id[r.record] = indicator
    for r in rows:
        if r.kind == "reading":
            by_id[r.record.partition("/")[0]]["readings"][r.body["period_end"]] = r.body
        elif r.kind == "comparison":
            indicator = by_id[r.record.partition("/")[0]]
            body = {k: v for k, v in r.body.items() if k != "series"}
            series = indicator.setdefault("comparisons", {}).setdefault(r.body["series"], {})
            series[r.body["period_end"]] = body
    return {"indicators": indicators}


INDICATORS = Projection(
    NAME,
    {
        "IndicatorDefined": _defined,
        "IndicatorReadingRecorded": _reading,
        "IndicatorComparisonRecorded": _comparison,
        "Corrected": _corrected,
    },
    _assemble,
)


def movement(higher_is_better: bool | None, previous: str, latest: str) -> str:
    """How a reading moved: "better", "worse", "unchanged", or "changed" with no better way."""
    change = Decimal(latest) - Decimal(previous)
    if change == 0:
        return "unchanged"
    if higher_is_better is None:
        return "changed"
    return "better" if (change > 0) == higher_is_better else "worse"


def _comparisons(indicator: Document, day: str) -> list[dict[str, Any]]:
    """Each comparison series (England, region, statistical neighbours) with a figure by `day`."""
    found = indicator.get("comparisons") or {}
    views = []
    for series in ComparisonSeries:
        readings = sorted(
            (r for r in found.get(series.value, {}).values() if r["period_end"] <= day),
            key=lambda r: r["period_end"],
        )
        if readings:
            views.append({"series": series.value, "label": series.label, "readings": readings})
    return views


def series(doc: Document, as_of: date) -> list[dict[str, Any]]:
    """Every indicator with its readings for periods ending on or before `as_of`."""
    day = as_of.isoformat()
    views = []
    for indicator in doc["indicators"].values():
        readings = sorted(
            (r for r in indicator["readings"].values() if r["period_end"] <= day),
            key=lambda r: r["period_end"],
        )
        latest = readings[-1] if readings else None
        previous = readings[-2] if len(readings) > 1 else None
        views.append(
            {
                "ref": indicator["ref"],
                "name": indicator["name"],
                "unit": indicator["unit"],
                "higher_is_better": indicator["higher_is_better"],
                "target": indicator["target"],
                "readings": readings,
                "latest": latest,
                "previous": previous,
                "movement": movement(
                    indicator["higher_is_better"], previous["value"], latest["value"]
                )
                if latest and previous
                else None,
                "comparisons": _comparisons(indicator, day),
                "source": indicator["source"],
            }
        )
    return sorted(views, key=lambda v: v["name"])
