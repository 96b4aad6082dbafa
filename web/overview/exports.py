"""The overview as a table to download: CSV, or an XLSX workbook (one sheet of authorities, one
of counts). The same columns as the page, grades as their labels; shared by the CLI."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.table import Table, TableStyleInfo

from ledger.domain.grades import Grade

DIRECTIONS = {"improved": "Improved", "declined": "Declined", "unchanged": "Unchanged"}


def _label(grade: str | None) -> str:
    return Grade(grade).label if grade else ""


def headings(view: dict[str, Any]) -> list[str]:
    areas = [c["heading"] for c in view["columns"]]
    return [
        "Local authority",
        "ONS code",
        "Region",
        *areas,
        "Direction of travel",
        "Inspection start date",
        "Report published",
        "Framework",
    ]


def rows(view: dict[str, Any]) -> Iterator[list[str]]:
    """One row a shown authority, grades as their labels ("" where none)."""
    areas = [c["area"] for c in view["columns"][1:]]
    for row in view["authorities"]:
        yield [
            row["name"],
            row["code"] or "",
            row["region"] or "",
            _label(row["overall"]) if row["inspection"] else "Not yet inspected",
            *(_label(row["areas"].get(a)) for a in areas),
            DIRECTIONS.get(row["direction"] or "", ""),
            row["first_day"] or "",
            row["published"] or "",
            row["framework"] or "",
        ]


def as_csv(view: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headings(view))
    writer.writerows(rows(view))
    return out.getvalue()


def as_xlsx(view: dict[str, Any]) -> bytes:
    """A workbook with a table of the authorities and a table of counts per grade."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Authorities"
    sheet.append(headings(view))
    count = 0
    for count, values in enumerate(rows(view), start=1):  # noqa: B007 - the count is kept
        sheet.append(values)
    if count:
        last = sheet.cell(row=count + 1, column=len(headings(view))).coordinate
        table = Table(displayName="Authorities", ref=f"A1:{last}")
        table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
        sheet.add_table(table)
    counts = book.create_sheet("Counts")
    counts.append(["Area", *(g.label for g in Grade)])
    overall = view["counts"]["overall"]
    counts.append(["Overall effectiveness", *(overall[g.value] for g in Grade)])
    for column in view["columns"][1:]:
        tally = view["counts"]["areas"][column["area"]]
        counts.append([column["label"], *(tally[g.value] for g in Grade)])
    counts.append([])
    counts.append(["Not yet inspected", view["counts"]["not_inspected"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
