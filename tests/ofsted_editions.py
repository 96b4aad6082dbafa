"""Ofsted outcome spreadsheets for tests: the 2024 edition where it lies, counted straight from
its cells, and later editions written here as real XLSX files (openpyxl) in the shapes later
editions take: judgements' headings spelt out in full, ONS codes, publication dates, other sheet
names, a long history sheet with one inspection a row."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from python_calamine import CalamineWorkbook

EDITION_2024_NAME = "ofsted-la-inspection-outcomes-2024.ods"


def find_edition_2024() -> Path | None:
    """The 2024 edition where it lies: `shared/data/` beside the checkout (or beside one of its
    parent folders), or the file LEDGER_OFSTED_2024 names. Never copied into the repository."""
    named = os.environ.get("LEDGER_OFSTED_2024")
    if named:
        return Path(named)
    for folder in Path(__file__).resolve().parents[1:]:
        candidate = folder / "shared" / "data" / EDITION_2024_NAME
        if candidate.exists():
            return candidate
    return None


GRADE_KEYS = {
    "Outstanding": "outstanding",
    "Good": "good",
    "Requires improvement to be good": "requires_improvement",
    "Inadequate": "inadequate",
}
FULL_HEADINGS = [
    "Local authority name",
    "ONS area code",
    "Ofsted region",
    "Inspection start date",
    "Inspection end date",
    "Report publication date",
    "Inspection type",
    "Overall effectiveness",
    "The impact of leaders on social work practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care",
    "The experiences and progress of care leavers",
]


def sheet_rows(path: Path, heading: str) -> list[list[Any]]:
    """The rows under the first heading row that has a cell `heading`, in the first sheet
    with one (read as the sheet stands, independently of the code under test)."""
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python()
        for index, row in enumerate(rows):
            if heading in row:
                return [r for r in rows[index:] if any(str(c).strip() for c in r)]
    raise AssertionError(f"no sheet has a heading {heading!r}")


def overall_counts_in_sheet(path: Path) -> tuple[Counter[str], int]:
    """How many authorities the edition's latest-judgements sheet gives each overall grade, and
    how many it lists as not yet inspected: counted from its cells."""
    rows = sheet_rows(path, "Overall effectiveness")
    column = rows[0].index("Overall effectiveness")
    values = [r[column] for r in rows[1:]]
    counts = Counter(GRADE_KEYS[v] for v in values if v)
    return counts, sum(1 for v in values if not v)


def write_xlsx(path: Path, sheets: dict[str, Sequence[Sequence[Any]]]) -> Path:
    """A real XLSX workbook with these sheets and rows."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def later_edition(
    path: Path, rows: Sequence[Sequence[Any]], history: Sequence[Sequence[Any]] = ()
) -> Path:
    """A "2025" edition: a cover, a sheet of latest outcomes with FULL_HEADINGS, and a long
    history sheet (one earlier inspection a row)."""
    cover = [
        ["Local authority inspection outcomes as at 31 March 2025", ""],
        ["Published on:", datetime(2025, 8, 28)],
    ]
    latest = [
        ["Local authority inspection judgements as at 31 March 2025"],
        FULL_HEADINGS,
        *rows,
    ]
    long_history = [
        ["Inspection history"],
        [h for h in FULL_HEADINGS if h != "Inspection end date"],
        *history,
    ]
    return write_xlsx(
        path, {"Cover": cover, "Latest_outcomes_2025": latest, "History_all": long_history}
    )


def row(
    name: str,
    code: str,
    region: str,
    start: date | str,
    end: date | None,
    published: date | None,
    kind: str,
    *grades: str,
) -> list[Any]:
    """One row of `later_edition`'s latest outcomes (grades in FULL_HEADINGS order)."""
    cells = [name, code, region, start, end, published, kind, *grades]
    return cells + [""] * (len(FULL_HEADINGS) - len(cells))
