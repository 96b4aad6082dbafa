"""A plan tracker's cells as the ledger's values: days (serials, ISO and UK text), RAG ratings,
text, and the lists of references a cell may hold."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from ledger.application.imports.spreadsheets import Cell

# Spreadsheets count days from 30 December 1899 (the 1900 date system, leap-year bug included
# for the days since 1 March 1900, which is every day a tracker holds).
SERIAL_EPOCH = date(1899, 12, 30)
# Serials this side of 1950 and 2150: a five-digit number in a date column is a day, not a year.
SERIAL_RANGE = (18264, 91311)
_UK_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_TEXT_FORMATS = ("%d %B %Y", "%d %b %Y", "%d-%b-%Y", "%d-%B-%Y", "%d %b %y", "%d-%b-%y")
_ORDINAL = re.compile(r"(?<=\d)(st|nd|rd|th)\b", re.IGNORECASE)

RAG_WORDS = {
    "red": "red",
    "r": "red",
    "amber": "amber",
    "a": "amber",
    "green": "green",
    "g": "green",
    "blue": "complete",
    "b": "complete",
    "complete": "complete",
    "completed": "complete",
    "done": "complete",
}


class CellProblem(ValueError):
    """The cell's value is not what its column holds; the message says what was expected."""


def text_of(cell: Cell) -> str | None:
    """A cell as text (a number as it reads, `3` not `3.0`), or None when empty."""
    if cell is None:
        return None
    if isinstance(cell, date):
        return cell.isoformat()
    text = str(cell).strip()
    return text or None


def day_of(cell: Cell) -> date | None:
    """A day from a date cell, a serial number, ISO text or UK text; None when empty."""
    if cell is None:
        return None
    if isinstance(cell, date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return _serial(cell)
    text = str(cell).strip()
    if not text:
        return None
    if text.isdigit():
        return _serial(int(text))
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ][\d:.]+", text):
            return datetime.fromisoformat(text).date()
    except ValueError:
        raise CellProblem(f"{text!r} is not a date") from None
    numeric = _UK_NUMERIC.match(text)
    if numeric:
        day, month, year = (int(part) for part in numeric.groups())
        if year < 100:
            year += 2000
        try:
            return date(year, month, day)
        except ValueError:
            raise CellProblem(
                f"{text!r} is not a date (day/month/year, as in 31/03/2019)"
            ) from None
    cleaned = _ORDINAL.sub("", text).replace(",", " ")
    cleaned = " ".join(cleaned.split())
    for pattern in _TEXT_FORMATS:
        try:
            return datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    raise CellProblem(
        f"{text!r} is not a date (give it as 31/03/2019, 31 March 2019 or 2019-03-31)"
    )


def _serial(number: float) -> date:
    if not SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
        raise CellProblem(f"{number!r} is not a date (a date serial between 1950 and 2150)")
    return SERIAL_EPOCH + timedelta(days=int(number))


def rag_of(cell: Cell) -> str | None:
    """`red`, `amber`, `green` or `complete` (Blue, B, Complete, Done), or None when empty."""
    text = text_of(cell)
    if text is None:
        return None
    found = RAG_WORDS.get(text.lower().rstrip("."))
    if found is None:
        raise CellProblem(
            f"{text!r} is not a RAG rating (Red, Amber, Green, R, A, G; Blue or Complete for done)"
        )
    return found


def references_in(cell: Cell) -> list[str]:
    """The references a cell lists: `R1, R3`, `1; 3`, `1 and 3` or one per line."""
    text = text_of(cell)
    if text is None:
        return []
    parts = re.split(r"\s*(?:[,;\n/&]|\band\b)\s*", text)
    return [part.strip() for part in parts if part.strip()]
