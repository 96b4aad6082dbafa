"""The headings councils' trackers use, and finding the heading row(s) of a sheet.

A heading is compared with its words only: case, punctuation and spacing aside ("Due Date:",
"due-date" and "DUE DATE" are one heading). A heading merged over two columns above a second
heading row ("Due dates" over "Original" and "Revised") reads as both words together.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ledger.application.imports.spreadsheets import Cell, Sheet


class Field(StrEnum):
    """What a tracker's column holds."""

    REF = "ref"
    RECOMMENDATION = "recommendation"
    ACTION = "action"
    OWNER = "owner"
    PLANNED = "planned"
    DUE_DATE = "due_date"
    REVISED_DUE_DATE = "revised_due_date"
    REVISION_REASON = "revision_reason"
    REVISION_APPROVER = "revision_approver"
    REVISION_DATE = "revision_date"
    RAG = "rag"
    UPDATE = "update"
    UPDATE_DATE = "update_date"


FIELD_NAMES = {
    Field.REF: "reference",
    Field.RECOMMENDATION: "recommendation",
    Field.ACTION: "action",
    Field.OWNER: "owner",
    Field.PLANNED: "date the action was agreed",
    Field.DUE_DATE: "due date",
    Field.REVISED_DUE_DATE: "revised due date",
    Field.REVISION_REASON: "reason for the revised date",
    Field.REVISION_APPROVER: "who approved the revised date",
    Field.REVISION_DATE: "date the due date was revised",
    Field.RAG: "RAG rating",
    Field.UPDATE: "progress update",
    Field.UPDATE_DATE: "date of the update",
}

_DUE: tuple[str, ...] = ("due date", "due dates", "due", "target date", "target dates")
_DUE += ("deadline", "deadlines", "completion date", "timescale", "timescales")
# Words that name a due date only beside "original" or "revised" (alone, "Date" could be any).
_DUE_IN_GROUPS = (*_DUE, "date", "dates")

HEADINGS: dict[Field, tuple[str, ...]] = {
    Field.REF: (
        "ref",
        "reference",
        "id",
        "no",
        "number",
        "action ref",
        "action reference",
        "action id",
        "action no",
        "action number",
        "ref no",
        "item",
        "item no",
    ),
    Field.RECOMMENDATION: (
        "recommendation",
        "recommendations",
        "ofsted recommendation",
        "ofsted recommendations",
        "area for improvement",
        "areas for improvement",
        "recommendation ref",
        "recommendation no",
        "recommendation number",
        "rec",
        "rec no",
        "rec ref",
        "what needs to improve",
        "area for priority action",
        "areas for priority action",
    ),
    Field.ACTION: (
        "action",
        "actions",
        "activity",
        "activities",
        "what we will do",
        "action description",
        "actions to be taken",
        "action to be taken",
        "what we will do and how",
    ),
    Field.OWNER: (
        "owner",
        "lead",
        "responsible officer",
        "action owner",
        "lead officer",
        "responsible",
        "accountable officer",
        "who",
        "lead responsible officer",
    ),
    Field.PLANNED: ("start date", "date agreed", "date added", "date raised", "planned"),
    Field.DUE_DATE: (
        *_DUE,
        *(f"{d} original" for d in _DUE_IN_GROUPS),
        *(f"original {d}" for d in _DUE_IN_GROUPS),
    ),
    Field.REVISED_DUE_DATE: (
        *(f"revised {d}" for d in _DUE_IN_GROUPS),
        *(f"{d} revised" for d in _DUE_IN_GROUPS),
        *(f"new {d}" for d in _DUE_IN_GROUPS),
        "extended to",
        "revised",
    ),
    Field.REVISION_REASON: (
        "reason",
        "reason for revision",
        "reason for change",
        "reason for revised date",
        "reason for extension",
        "revision reason",
        "reason for delay",
        "reason for revised target date",
        "reason for new date",
        "revised date reason",
    ),
    Field.REVISION_APPROVER: (
        "approved by",
        "approver",
        "extension approved by",
        "revision approved by",
        "revised date approved by",
        "agreed by",
    ),
    Field.REVISION_DATE: ("date revised", "revision date", "date of revision", "revised on"),
    Field.RAG: (
        "rag",
        "status",
        "rating",
        "rag status",
        "rag rating",
        "progress rating",
        "current rag",
        "rag rating current",
        "current status",
        "brag",
        "r a g",
    ),
    Field.UPDATE: (
        "update",
        "updates",
        "progress",
        "commentary",
        "progress update",
        "latest update",
        "progress commentary",
        "progress to date",
        "update on progress",
        "comments",
        "latest progress",
        "narrative",
    ),
    Field.UPDATE_DATE: (
        "update date",
        "date of update",
        "progress date",
        "as at",
        "date updated",
        "last updated",
        "updated",
        "date of progress update",
        "date of last update",
        "update as at",
    ),
}
_BY_WORDS = {words: field for field, all_words in HEADINGS.items() for words in all_words}
#: The least a sheet's heading row must name to be read as an improvement plan.
REQUIRED = (Field.REF, Field.ACTION)
_MAX_HEADING_ROW = 20


def words(text: str) -> str:
    """A heading's words: lower case, punctuation and spacing aside."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("&", " and ")))


@dataclass(frozen=True)
class Header:
    """Where a sheet's headings are: the last heading row, and each field's column."""

    last_row: int  # 0-based index of the last heading row; data start below it
    columns: Mapping[Field, int]
    headings: Mapping[int, str]  # each recognised column's heading as the sheet writes it


def field_of(heading: str, extra: Mapping[str, Field]) -> Field | None:
    """The field a heading names (the mapping file's own headings first)."""
    key = words(heading)
    return extra.get(key) or _BY_WORDS.get(key)


def find_header(
    sheet: Sheet, extra: Mapping[str, Field], header_row: int | None = None
) -> Header | None:
    """The heading row(s) naming the most fields (at least a reference and an action), or
    None if no row in the first twenty does. `header_row` (1-based) skips the search."""
    candidates: list[Header] = []
    rows = sheet.rows
    if header_row is not None:
        starts = [header_row - 1]
    else:
        starts = list(range(min(len(rows), _MAX_HEADING_ROW)))
    for start in starts:
        for depth in (1, 2):
            if start + depth > len(rows):
                continue
            found = _header_at(sheet, start, depth, extra)
            if found is not None:
                candidates.append(found)
    if not candidates:
        return None
    # Most fields wins; on a tie, the higher and shallower heading (a title row is no heading).
    return max(candidates, key=lambda h: (len(h.columns), -h.last_row))


def _header_at(sheet: Sheet, start: int, depth: int, extra: Mapping[str, Field]) -> Header | None:
    top = list(sheet.rows[start])
    if depth == 1:
        texts = [_text(c) for c in top]
    else:
        bottom = list(sheet.rows[start + 1])
        width = max(len(top), len(bottom))
        top += [None] * (width - len(top))
        bottom += [None] * (width - len(bottom))
        if not sheet.merges_known:
            top = _filled_right(top, bottom)
        texts = [_joined(_text(t), _text(b)) for t, b in zip(top, bottom, strict=True)]
    columns: dict[Field, int] = {}
    headings: dict[int, str] = {}
    for index, text in enumerate(texts):
        field = field_of(text, extra) if text else None
        if depth == 2 and field is None and text:
            # Under a heading merged over several columns, the lower heading alone may name it.
            below = _text(
                sheet.rows[start + 1][index] if index < len(sheet.rows[start + 1]) else None
            )
            field = field_of(below, extra) if below else None
        if field is not None and field not in columns:
            columns[field] = index
            headings[index] = text
    if not all(f in columns for f in REQUIRED):
        return None
    if depth == 2:
        single = _header_at(sheet, start, 1, extra)
        if single is not None and len(columns) <= len(single.columns):
            return None  # the second row added nothing: it is data, not headings
    return Header(start + depth - 1, columns, headings)


def _text(cell: Cell) -> str:
    return "" if cell is None else str(cell).strip()


def _joined(top: str, bottom: str) -> str:
    if not top or words(top) == words(bottom):
        return bottom
    if not bottom:
        return top
    return f"{top} {bottom}"


def _filled_right(top: Sequence[Cell], bottom: Sequence[Cell]) -> list[Cell]:
    """A heading row whose merged cells came back blank: a blank cell over a lower heading
    takes the heading to its left, as a heading merged across would have."""
    filled = list(top)
    for index in range(1, len(filled)):
        # Only across columns that all have a lower heading (a merged group heading).
        under_group = bottom[index] is not None and bottom[index - 1] is not None
        if filled[index] is None and filled[index - 1] is not None and under_group:
            filled[index] = filled[index - 1]
    return filled
