"""A tracker's rows as the actions it states: each action's title, owner, dates, the
recommendations it answers, and its updates, with where in the file each came from.

An action on several rows (a reference repeated, one row per recommendation it answers, or the
same action on two sheets) is one action; a recommendation merged down several rows, or written
once above its actions, belongs to each of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from ledger.application.imports.headings import FIELD_NAMES, Field, Header, find_header
from ledger.application.imports.mapping import PlanMapping
from ledger.application.imports.spreadsheets import Cell, Sheet, column_letter
from ledger.application.imports.tracker_cells import CellProblem, day_of, rag_of, text_of


@dataclass(frozen=True)
class Where:
    """A place in the file: a sheet, a row (1-based) and, where it is one cell, its column."""

    sheet: str
    row: int | None = None
    column: int | None = None
    heading: str | None = None

    def __str__(self) -> str:
        parts = [f"sheet {self.sheet!r}"]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            heading = f" ({self.heading})" if self.heading else ""
            parts.append(f"column {column_letter(self.column)}{heading}")
        return ", ".join(parts)


@dataclass(frozen=True)
class PlanProblem:
    """One problem in a tracker, where it is."""

    where: Where
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class TrackedUpdate:
    """A progress update as a row states it."""

    day: date | None
    rag: str | None  # red, amber, green or complete
    narrative: str | None
    where: Where
    places: Mapping[Field, Where]


@dataclass
class TrackedAction:
    """One action as the tracker states it, gathered from every row it is on."""

    ref: str
    first: Where
    #: Each column's cell on the action's first row: where a value missing from it belongs.
    cells: dict[Field, Where] = field(default_factory=dict)
    values: dict[Field, object] = field(default_factory=dict)
    places: dict[Field, Where] = field(default_factory=dict)
    recommendations: list[tuple[str, Where]] = field(default_factory=list)
    updates: list[TrackedUpdate] = field(default_factory=list)

    def value(self, name: Field) -> object:
        return self.values.get(name)

    def place(self, name: Field) -> Where:
        return self.places.get(name) or self.cells.get(name) or self.first


@dataclass
class Tracker:
    """What a tracker holds: its actions in the order first seen, the sheets read, the sheets
    passed over (no plan headings), and every problem found."""

    actions: dict[str, TrackedAction] = field(default_factory=dict)
    sheets_read: list[str] = field(default_factory=list)
    sheets_skipped: list[str] = field(default_factory=list)
    problems: list[PlanProblem] = field(default_factory=list)
    #: Cells already reported as unreadable: nothing more is said of what they leave missing.
    bad_cells: set[Where] = field(default_factory=set)

    def unreadable(self, where: Where, message: str) -> None:
        self.problems.append(PlanProblem(where, message))
        self.bad_cells.add(where)


_DAYS = (Field.PLANNED, Field.DUE_DATE, Field.REVISED_DUE_DATE, Field.REVISION_DATE)
_TEXTS = (Field.ACTION, Field.OWNER, Field.REVISION_REASON, Field.REVISION_APPROVER)
_ROW_FIELDS = (*_DAYS, *_TEXTS)


def read_tracker(
    sheets: Sequence[Sheet], mapping: PlanMapping, only_sheet: str | None = None
) -> Tracker:
    """The actions of every sheet that holds a plan (or only `only_sheet`)."""
    tracker = Tracker()
    wanted = [only_sheet] if only_sheet else list(mapping.sheets)
    names = [s.name for s in sheets]
    for name in wanted:
        if name not in names:
            tracker.problems.append(
                PlanProblem(
                    Where(name), f"there is no such sheet (the file has {', '.join(names)})"
                )
            )
    for sheet in sheets:
        if wanted and sheet.name not in wanted:
            continue
        header = find_header(sheet, mapping.columns, mapping.header_row)
        if header is None:
            if wanted:
                tracker.problems.append(
                    PlanProblem(
                        Where(sheet.name),
                        "no heading row naming at least a reference (Ref, ID, No.) and an "
                        "action (Action, Activity, What we will do) was found",
                    )
                )
            else:
                tracker.sheets_skipped.append(sheet.name)
            continue
        tracker.sheets_read.append(sheet.name)
        _read_rows(sheet, header, tracker)
    if not tracker.sheets_read and not tracker.problems:
        tracker.problems.append(
            PlanProblem(
                Where(sheets[0].name if sheets else "(none)"),
                "no sheet has an improvement plan's headings (at least a reference and an "
                "action); name the columns in a mapping file",
            )
        )
    return tracker


@dataclass(frozen=True)
class _Row:
    """One data row of a sheet, read by field."""

    sheet: Sheet
    header: Header
    index: int  # 0-based

    @property
    def cells(self) -> tuple[Cell, ...]:
        return self.sheet.rows[self.index]

    def has(self, name: Field) -> bool:
        return name in self.header.columns

    def cell(self, name: Field) -> Cell:
        column = self.header.columns.get(name)
        cells = self.cells
        return cells[column] if column is not None and column < len(cells) else None

    def where(self, name: Field | None = None) -> Where:
        if name is None or name not in self.header.columns:
            return Where(self.sheet.name, self.index + 1)
        column = self.header.columns[name]
        return Where(self.sheet.name, self.index + 1, column, self.header.headings.get(column))


def _read_rows(sheet: Sheet, header: Header, tracker: Tracker) -> None:
    problems = tracker.problems
    recommendation_above: tuple[str, Where] | None = None
    for index in range(header.last_row + 1, len(sheet.rows)):
        row = _Row(sheet, header, index)
        filled = [c for c in row.cells if c is not None]
        if not filled:
            continue
        if len({str(c) for c in filled}) == 1:
            continue  # a section heading, in one cell or merged across the row
        ref = text_of(row.cell(Field.REF))
        if ref is None:
            problems.append(
                PlanProblem(row.where(Field.REF), "this row has no reference for its action")
            )
            continue
        action = tracker.actions.get(ref)
        if action is None:
            cells = {name: row.where(name) for name in header.columns}
            action = tracker.actions[ref] = TrackedAction(ref, row.where(), cells)
        for name in _ROW_FIELDS:
            if not row.has(name):
                continue
            try:
                raw = row.cell(name)
                value: object = day_of(raw) if name in _DAYS else text_of(raw)
            except CellProblem as problem:
                tracker.unreadable(row.where(name), str(problem))
                action.places.setdefault(name, row.where(name))
                continue
            if value is not None:
                _merge(action, name, value, row.where(name), problems)
        if row.has(Field.RECOMMENDATION):
            # A blank recommendation cell belongs to the recommendation above it (written
            # once over its actions, or merged down their rows).
            text = text_of(row.cell(Field.RECOMMENDATION))
            if text is not None:
                recommendation_above = (text, row.where(Field.RECOMMENDATION))
            if recommendation_above is not None:
                text, place = recommendation_above
                if text not in [known for known, _ in action.recommendations]:
                    action.recommendations.append((text, place))
        update = _update(row, tracker)
        if update is not None:
            action.updates.append(update)


def _merge(
    action: TrackedAction, name: Field, value: object, place: Where, problems: list[PlanProblem]
) -> None:
    known = action.values.get(name)
    if known is None:
        action.values[name] = value
        action.places[name] = place
    elif known != value:
        shown = known.isoformat() if isinstance(known, date) else repr(known)
        problems.append(
            PlanProblem(
                place,
                f"action {action.ref!r} has a different {FIELD_NAMES[name]} at "
                f"{action.places[name]} ({shown})",
            )
        )


def _update(row: _Row, tracker: Tracker) -> TrackedUpdate | None:
    rag = narrative = None
    day: date | None = None
    places = {
        name: row.where(name)
        for name in (Field.RAG, Field.UPDATE, Field.UPDATE_DATE)
        if row.has(name)
    }
    try:
        rag = rag_of(row.cell(Field.RAG))
    except CellProblem as problem:
        tracker.unreadable(places[Field.RAG], str(problem))
    narrative = text_of(row.cell(Field.UPDATE))
    try:
        day = day_of(row.cell(Field.UPDATE_DATE))
    except CellProblem as problem:
        tracker.unreadable(places[Field.UPDATE_DATE], str(problem))
    if rag is None and narrative is None:
        return None
    return TrackedUpdate(day, rag, narrative, row.where(), places)
