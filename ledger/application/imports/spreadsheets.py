"""Spreadsheets as grids of cells: `.xlsx` and `.ods` read with python-calamine, `.csv` with the
csv module. A merged cell's value is given to every cell it covers, so a heading merged across
two columns, or a recommendation merged down its actions' rows, reads as it looks.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import PurePath
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from ledger.domain.errors import LedgerError

#: A cell's value as read: text, a number, a day, or None for an empty cell.
Cell = str | int | float | date | None

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".csv")


class UnreadableSpreadsheet(LedgerError):
    """The file is not a spreadsheet this ledger can read."""


@dataclass(frozen=True)
class Sheet:
    """One sheet: its name and its rows (row 1 first), merged cells filled.

    `merges_known` is False where the format gave no merged ranges (python-calamine gives none
    for `.ods`); heading rows then fill a blank cell from its left neighbour instead.
    """

    name: str
    rows: tuple[tuple[Cell, ...], ...]
    merges_known: bool


def column_letter(index: int) -> str:
    """A 0-based column index as a spreadsheet names it: 0 is A, 26 is AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def read_spreadsheet(name: str, data: bytes) -> list[Sheet]:
    """Every sheet of the file `name` (its suffix says the format) holding `data`."""
    suffix = PurePath(name).suffix.lower()
    if suffix == ".csv":
        return [_read_csv(PurePath(name).stem, data)]
    if suffix not in SPREADSHEET_SUFFIXES:
        raise UnreadableSpreadsheet(
            f"{name!r} is not a spreadsheet this ledger reads (.xlsx, .ods or .csv)"
        )
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError, OSError) as error:
        raise UnreadableSpreadsheet(f"{name!r} cannot be read as a spreadsheet: {error}") from None
    try:
        return [_read_sheet(workbook, sheet_name) for sheet_name in workbook.sheet_names]
    finally:
        workbook.close()


def _read_sheet(workbook: CalamineWorkbook, sheet_name: str) -> Sheet:
    sheet = workbook.get_sheet_by_name(sheet_name)
    rows = [[_cell(value) for value in row] for row in sheet.to_python(skip_empty_area=False)]
    merges = sheet.merged_cell_ranges
    for (top, left), (bottom, right) in merges or ():
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            row = rows[r]
            row.extend([None] * (right + 1 - len(row)))
            for c in range(left, right + 1):
                row[c] = value
    return Sheet(sheet_name, _trimmed(rows), merges is not None)


def _cell(value: Any) -> Cell:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        # A date typed in a cell comes back at midnight: a tracker's dates are days.
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int | float):
        return int(value) if isinstance(value, float) and value.is_integer() else value
    if isinstance(value, timedelta | time):
        return str(value)
    text = str(value).strip()
    return text or None


def _read_csv(name: str, data: bytes) -> Sheet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the system's code page.
        text = data.decode("cp1252", errors="replace")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [[_cell(value) for value in row] for row in csv.reader(io.StringIO(text), dialect)]
    return Sheet(name, _trimmed(rows), True)


def _trimmed(rows: Sequence[Sequence[Cell]]) -> tuple[tuple[Cell, ...], ...]:
    """Rows with trailing empty cells dropped (and trailing empty rows)."""
    out = [tuple(row[: _last_filled(row) + 1]) for row in rows]
    while out and not out[-1]:
        out.pop()
    return tuple(out)


def _last_filled(row: Sequence[Cell]) -> int:
    for index in range(len(row) - 1, -1, -1):
        if row[index] is not None:
            return index
    return -1
