"""Every list the ledger answers (judgements, recommendations, actions, timeline, indicators)
as a table: named columns over the query API's answer, written as CSV or XLSX.

A table is only ever made from what `JourneyViews` returned, so an export honours the same
audit point (as of a day, as known at an instant) as the page or command that asked for it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from reports.wording import GRADE_LABELS, RAG_LABELS

#: A cell: text, a whole or exact number, a day, a yes/no, or empty.
Value = str | int | Decimal | date | bool | None

LISTS = ("judgements", "recommendations", "actions", "timeline", "indicators")
FORMATS = ("csv", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Table:
    """A titled table: its column headings and rows of plain values."""

    title: str
    headings: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _number(value: str | None) -> Decimal | str | None:
    if value is None:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        return value


def _joined(values: Sequence[str]) -> str:
    return ", ".join(values)


def judgements_table(view: dict[str, Any]) -> Table:
    areas = ([view["overall"]] if view.get("overall") else []) + list(view["areas"])
    inspection = view.get("inspection") or {}
    rows = tuple(
        (
            a["label"],
            a.get("parent"),
            a["grade_label"],
            _day(a["since"]),
            a.get("inspection") or inspection.get("ref"),
            a.get("previous_grade_label"),
            _day(a.get("previous_since")),
            a.get("direction"),
        )
        for a in areas
    )
    headings = (
        "Area",
        "Part of",
        "Grade",
        "In force since",
        "Inspection",
        "Previous grade",
        "Previous since",
        "Direction of travel",
    )
    return Table("Judgements", headings, rows)


def recommendations_table(view: dict[str, Any]) -> Table:
    rows = tuple(
        (
            r["ref"],
            r["status"],
            _day(r["issued"]),
            r["area"],
            r["origin"],
            r["text"],
            _joined([a["ref"] for a in r["actions"]]),
            _joined(r["red_actions"]),
            _joined(r["overdue_actions"]),
            r["source"],
        )
        for r in view["recommendations"]
    )
    headings = (
        "Recommendation",
        "Status",
        "Issued",
        "Area",
        "From",
        "Text",
        "Actions",
        "Red actions",
        "Overdue actions",
        "Source",
    )
    return Table("Recommendations", headings, rows)


def actions_table(view: dict[str, Any]) -> Table:
    rows = []
    for a in view["actions"]:
        latest = a.get("latest_update") or {}
        closed = a.get("closed") or {}
        rows.append(
            (
                a["ref"],
                a["title"],
                a["owner"],
                _joined(a["answers"]),
                _day(a["planned"]),
                a["status"],
                RAG_LABELS.get(a["rag"] or "", None),
                _day(latest.get("date")),
                latest.get("narrative"),
                _day(a["due_date"]),
                _day(a["original_due_date"]),
                len(a["revisions"]),
                a["overdue"],
                a["days_overdue"],
                a["due_soon"],
                _day(closed.get("date")),
                a["source"],
            )
        )
    headings = (
        "Action",
        "Title",
        "Owner",
        "Answers",
        "Planned",
        "Status",
        "RAG",
        "Latest update on",
        "Latest update",
        "Due",
        "Originally due",
        "Due date revisions",
        "Overdue",
        "Days overdue",
        "Due soon",
        "Closed on",
        "Source",
    )
    return Table("Actions", headings, tuple(rows))


def timeline_table(view: dict[str, Any]) -> Table:
    rows = tuple(
        (
            _day(e["date"]),
            e["kind"],
            e["event"],
            e["ref"],
            e["title"],
            e["summary"],
            e["recorded_at"],
            e["recorded_by"],
            e["source"],
            "yes" if e.get("corrected") else None,
        )
        for e in view["entries"]
    )
    headings = (
        "Date",
        "Kind",
        "Event",
        "Record",
        "What",
        "Detail",
        "Recorded at",
        "Recorded by",
        "Source",
        "Corrected later",
    )
    return Table("Timeline", headings, rows)


def indicators_table(view: dict[str, Any]) -> Table:
    rows = []
    for i in view["indicators"]:
        for r in i["readings"]:
            rows.append(
                (
                    i["ref"],
                    i["name"],
                    i["unit"],
                    i["higher_is_better"],
                    _number(i["target"]),
                    _day(r["period_end"]),
                    _number(r["value"]),
                    r.get("note") or None,
                    i["movement"] if r is i["latest"] or r == i["latest"] else None,
                )
            )
    headings = (
        "Indicator",
        "Name",
        "Unit",
        "Higher is better",
        "Target",
        "Period end",
        "Value",
        "Note",
        "Latest movement",
    )
    return Table("Indicators", headings, tuple(rows))


TABLES: dict[str, Callable[[dict[str, Any]], Table]] = {
    "judgements": judgements_table,
    "recommendations": recommendations_table,
    "actions": actions_table,
    "timeline": timeline_table,
    "indicators": indicators_table,
}


def csv_bytes(table: Table) -> bytes:
    """The table as CSV (UTF-8 with a byte-order mark, so Excel reads the £ and the dashes)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.headings)
    for row in table.rows:
        writer.writerow([_csv_cell(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def grade_label(key: str | None) -> str | None:
    return GRADE_LABELS.get(key or "")
