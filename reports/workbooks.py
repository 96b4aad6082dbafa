"""Tables as an XLSX workbook, one sheet a table, with XlsxWriter.

Nothing in the file depends on when it was written: its creation time is the instant the
tables describe, so the same tables always give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter

from reports.tables import Table

_INVALID = str.maketrans(dict.fromkeys("[]:*?/\\", " "))
_MAX_WIDTH = 60


def sheet_name(title: str, taken: set[str]) -> str:
    """A title as an allowed, unique sheet name (31 characters, no []:*?/\\)."""
    base = title.translate(_INVALID).strip()[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def xlsx_bytes(tables: Sequence[Table], created: datetime) -> bytes:
    """The tables as a workbook: a sheet each, headings bold and frozen, dates as dates."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "remove_timezone": True})
    book.set_properties(
        {"created": created.replace(tzinfo=None), "author": "Improvement-journey ledger"}
    )
    heading = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    day = book.add_format({"num_format": "d mmm yyyy", "valign": "top"})
    wrapped = book.add_format({"text_wrap": True, "valign": "top"})
    taken: set[str] = set()
    for table in tables:
        sheet = book.add_worksheet(sheet_name(table.title, taken))
        widths = [min(max(len(h), 8), _MAX_WIDTH) for h in table.headings]
        for column, text in enumerate(table.headings):
            sheet.write_string(0, column, text, heading)
        for r, row in enumerate(table.rows, start=1):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, date):
                    sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), day)
                    widths[c] = max(widths[c], 11)
                elif isinstance(value, int | Decimal):
                    sheet.write_number(r, c, float(value))
                else:
                    text = str(value)
                    sheet.write_string(r, c, text, wrapped)
                    widths[c] = min(max(widths[c], len(text)), _MAX_WIDTH)
        for column, width in enumerate(widths):
            sheet.set_column(column, column, width + 2)
        sheet.freeze_panes(1, 0)
        if table.rows:
            sheet.autofilter(0, 0, len(table.rows), len(table.headings) - 1)
    book.close()
    return out.getvalue()
