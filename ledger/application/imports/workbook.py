"""Reading a spreadsheet (ODS as Ofsted publishes it, or XLSX) into plain rows of cell values.

python-calamine reads both formats with one API, fast (it is Rust) and without evaluating
anything; a cell comes back as text, a number, a bool, a date or a datetime.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from ledger.domain.errors import LedgerError

Cell = str | int | float | bool | date | datetime | time | timedelta | None


class SpreadsheetUnreadable(LedgerError):
    """The file is not a spreadsheet python-calamine can read (or cannot be opened)."""


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its name and rows; `first_row` is the spreadsheet's number of `rows[0]`."""

    name: str
    rows: list[list[Cell]]
    first_row: int = 1

    def numbered(self) -> list[tuple[int, list[Cell]]]:
        """Each row with its number as the spreadsheet shows it (1 is the top row)."""
        return [(self.first_row + index, row) for index, row in enumerate(self.rows)]


@dataclass(frozen=True)
class Workbook:
    """The sheets of one file, in order, and the file's name (for citing it)."""

    file_name: str
    sheets: list[Sheet]


def read_workbook(path: Path) -> Workbook:
    """Every sheet of the ODS or XLSX file at `path`; raises `SpreadsheetUnreadable`."""
    try:
        book = CalamineWorkbook.from_path(str(path))
    except FileNotFoundError:
        raise SpreadsheetUnreadable(f"no such file: {path}") from None
    except (CalamineError, OSError, ValueError) as error:
        raise SpreadsheetUnreadable(
            f"{path.name} is not a spreadsheet that can be read (ODS or XLSX): {error}"
        ) from None
    sheets = []
    try:
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            start = sheet.start
            first_row = (start[0] if start else 0) + 1
            rows: list[list[Cell]] = [list(row) for row in sheet.to_python()]
            sheets.append(Sheet(name, rows, first_row))
    except (CalamineError, ValueError) as error:
        raise SpreadsheetUnreadable(f"{path.name}: a sheet cannot be read: {error}") from None
    finally:
        book.close()
    return Workbook(path.name, sheets)
