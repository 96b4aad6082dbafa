"""Indicators over time: each indicator's readings up to a day, and how the latest one moved."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ledger.application.log import PlainEvent
from ledger.domain.grades import ComparisonSeries
from projections.jsonable import copied, corrected_kind, recorded
from projections.projection import Document, FoldTable, ref_of, remember_ref


def _empty() -> Document:
    return {"indicators": {}}


def _defined(doc: Document, e: PlainEvent) -> None:
    d = e.data
    doc["indicators"][d["ref"]] = {
        "ref": d["ref"],
        "name": d["name"],
        "unit": d["unit"],
        "higher_is_better": d["higher_is_better"],
        "target": d["target"],
        "readings": {},
        **recorded(e),
    }


def _reading(doc: Document, e: PlainEvent) -> None:
    d = e.data
    doc["indicators"][ref_of(doc, e)]["readings"][d["period_end"]] = {
        "period_end": d["period_end"],
        "value": d["value"],
        "note": d["note"],
        **recorded(e),
    }


def _comparison(doc: Document, e: PlainEvent) -> None:
    d = e.data
    indicator = doc["indicators"][ref_of(doc, e)]
    indicator.setdefault("comparisons", {}).setdefault(d["series"], {})[d["period_end"]] = {
        "period_end": d["period_end"],
        "value": d["value"],
        **recorded(e),
    }


def _corrected(doc: Document, e: PlainEvent) -> None:
    kind, ref = corrected_kind(e)
    if kind != "indicator" or ref not in doc["indicators"]:
        return
    fields = copied(e.data["corrected_fields"])
    reading = fields.pop("reading", None)
    indicator = doc["indicators"][ref]
    if reading is not None:
        indicator["readings"][reading["period_end"]].update(
            {"value": reading["value"], "corrected": e.data["reason"]}
        )
    indicator.update(fields)


INDICATORS = FoldTable(
    "indicators",
    _empty,
    {
        "IndicatorDefined": remember_ref(_defined),
        "IndicatorReadingRecorded": _reading,
        "IndicatorComparisonRecorded": _comparison,
        "Corrected": _corrected,
    },
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
