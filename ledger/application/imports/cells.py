"""What one cell of an Ofsted outcomes spreadsheet says: a heading's meaning, a date, a grade, an
inspection type. Editions word all of these differently; these functions know the variants."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from ledger.application.imports.workbook import Cell
from ledger.domain.grades import Grade, parse_grade

# A heading's meaning, tried in this order: the first pattern found in the heading wins (so
# "publication date" is a publication date before it is a date, and "children in care and care
# leavers" the combined judgement before it is either of its halves).
FIELD_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("link", r"web ?link|hyperlink|\burl\b|webpage"),
        ("name", r"(local authority|\bla|authority) name|^local authority$|^la$|^authority$"),
        ("code", r"\bcode\b|\bons\b|\bgss\b"),
        ("region", r"region"),
        ("theme", r"theme"),
        ("published", r"publi(cation|shed)"),
        ("last_day", r"(end|last|final) (date|day)"),
        ("first_day", r"date|start"),
        ("type", r"\btype\b"),
        ("in_care_and_care_leavers", r"in care and care leavers|looked after"),
        ("care_leavers", r"care leavers"),
        ("in_care", r"in care"),
        ("help_and_protection", r"help and protection"),
        ("leaders", r"leader"),
        ("overall_effectiveness", r"overall"),
    )
)
#: The fields that hold a grade: keys of the judgement areas they name (the ILACS 2023 keys, and
#: the combined judgement of children in care and care leavers that came before it).
GRADE_FIELDS = (
    "overall_effectiveness",
    "leaders",
    "help_and_protection",
    "in_care_and_care_leavers",
    "in_care",
    "care_leavers",
)
# "First ILACS publication date", "Second ILACS overall effectiveness": one inspection a group.
_ORDINAL = re.compile(
    r"^(first|second|third|fourth|fifth|sixth|seventh|eighth|previous|latest|most recent"
    r"|\d+(?:st|nd|rd|th))\b"
)
_NOT_GRADED = frozenset(
    {"", "-", "–", "n/a", "na", "not applicable", "not graded", "not judged", "not yet inspected"}
)
# Ofsted's own numbering of its scale, as older tables print it.
_GRADE_NUMBERS = {
    1: Grade.OUTSTANDING,
    2: Grade.GOOD,
    3: Grade.REQUIRES_IMPROVEMENT,
    4: Grade.INADEQUATE,
}
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


class CellProblem(ValueError):
    """A cell that does not say what its column needs; the message says what it holds."""


@dataclass(frozen=True)
class Heading:
    """What a column holds, and which inspection of a row it belongs to (its ordinal group:
    "" for a table of one inspection a row)."""

    column: int
    field: str
    group: str


def text_of(cell: Cell) -> str:
    """The cell as text, with its runs of white space (and non-breaking spaces) made one space."""
    if cell is None:
        return ""
    return " ".join(str(cell).replace("\xa0", " ").split())


def heading(column: int, cell: Cell) -> Heading | None:
    """The meaning of a heading cell, or None for a column the import does not read."""
    text = text_of(cell).lower()
    if not text:
        return None
    ordinal = _ORDINAL.match(text)
    group = ordinal.group(1) if ordinal else ""
    for field, pattern in FIELD_PATTERNS:
        if pattern.search(text):
            return Heading(column, field, group)
    return None


def day_of(cell: Cell) -> date | None:
    """A date cell (or a date written as text: 2023-07-10, 10/07/2023, 10 July 2023), or None
    when blank; raises `CellProblem` for anything else."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = text_of(cell)
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            pass
    words = text.lower().split()
    if len(words) == 3 and words[1] in _MONTHS and words[0].isdigit() and words[2].isdigit():
        try:
            return date(int(words[2]), _MONTHS.index(words[1]) + 1, int(words[0]))
        except ValueError:
            pass
    raise CellProblem(f"{text!r} is not a date")


def says_not_yet_inspected(cell: Cell) -> bool:
    return "not yet inspected" in text_of(cell).lower()


def grade_of(cell: Cell) -> Grade | None:
    """The grade a cell gives, or None where it gives none ("not graded"); raises `CellProblem`."""
    if isinstance(cell, bool):
        raise CellProblem(f"{cell!r} is not a grade")
    if isinstance(cell, int | float) and cell in _GRADE_NUMBERS:
        return _GRADE_NUMBERS[int(cell)]
    text = text_of(cell)
    lowered = text.lower()
    if lowered in _NOT_GRADED:
        return None
    if lowered.isdigit() and int(lowered) in _GRADE_NUMBERS:
        return _GRADE_NUMBERS[int(lowered)]
    if lowered in ("ri", "requires improvement"):
        return Grade.REQUIRES_IMPROVEMENT
    try:
        return parse_grade(text)
    except ValueError:
        raise CellProblem(f"{text!r} is not a grade") from None


@dataclass(frozen=True)
class InspectionType:
    """An inspection type cell: the ledger's kind of inspection, or a visit (no grades)."""

    kind: str | None
    is_visit: bool = False


def inspection_type(cell: Cell) -> InspectionType | None:
    """What an inspection type cell says, None when blank; raises `CellProblem`."""
    text = text_of(cell).lower()
    if not text:
        return None
    if "visit" in text:
        return InspectionType(None, is_visit=True)
    if "short" in text:
        return InspectionType("short")
    if "standard" in text:
        return InspectionType("standard")
    if "re-inspection" in text or "reinspection" in text:
        return InspectionType("re_inspection")
    if "single inspection" in text or text == "sif":
        return InspectionType("single_inspection")
    raise CellProblem(f"{text_of(cell)!r} is not a type of inspection this import knows")
