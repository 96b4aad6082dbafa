"""An edition of Ofsted's "local authority inspection outcomes", read from its headings.

Editions differ in the words of their headings, their sheets' names and which sheets they have,
so nothing here goes by a file or sheet name. Every table in the workbook is found by its heading
row (a column naming the authority and at least one column of grades) and read by what its
headings say:

* the **current** table has one row per authority and one inspection per row: the authority's
  latest judgements. Every authority in England is in it, "Not yet inspected" or not;
* **history** tables give more inspections of each authority: several per row in groups
  ("First ILACS publication date", "Second ILACS ..."), or one per row with names repeated.
  Authorities in them that are not in the current table no longer exist (reorganised);
* **activity** tables (headings about visits) list the year's inspections and visits; their
  inspections add what the other tables leave out (the inspection's type).

Rows that describe one inspection (the current table's inspection date, the history's
publication date, the year's list giving its type) are merged into one `PublishedInspection`.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from ledger.application.imports.cells import (
    GRADE_FIELDS,
    CellProblem,
    Heading,
    day_of,
    grade_of,
    heading,
    inspection_type,
    says_not_yet_inspected,
    text_of,
)
from ledger.application.imports.workbook import Cell, Sheet, Workbook
from ledger.domain.authority_names import name_key
from ledger.domain.grades import Grade

# A report is published within weeks of the inspection; a history's publication date further
# than this after a first day on site belongs to another inspection.
REPORT_WITHIN = timedelta(days=183)
_AS_AT = re.compile(r"\bas at (\d{1,2} [a-z]+ \d{4})", re.IGNORECASE)
_PUBLISHED_LABEL = re.compile(r"^(published( on)?|publication date|date of publication):?$")

CURRENT, HISTORY, ACTIVITY = 0, 1, 2  # also the order in which their cells are believed


@dataclass(frozen=True)
class Where:
    """A row of a sheet, as a person finds it in the spreadsheet."""

    sheet: str
    row: int

    def __str__(self) -> str:
        return f"sheet {self.sheet!r}, row {self.row}"


@dataclass(frozen=True)
class EditionProblem:
    """Something in the edition that cannot be imported, and where it is."""

    where: Where | None
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class EditionRejected(Exception):
    """The workbook cannot be read as an edition; `problems` names every one found."""

    def __init__(self, problems: list[EditionProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the spreadsheet; nothing was recorded")
        self.problems = problems


@dataclass(frozen=True)
class Entry:
    """One inspection as one row (or one group of a row) of one table gives it."""

    first_day: date | None
    last_day: date | None
    published: date | None
    kind: str | None
    grades: dict[str, Grade]
    where: Where
    source: int  # CURRENT, HISTORY or ACTIVITY


@dataclass(frozen=True)
class PublishedInspection:
    """One inspection of an authority, merged from every table of the edition that gives it.

    `grades` are keyed by the area the spreadsheet's heading names (see `cells.GRADE_FIELDS`),
    not yet by the framework's areas: which framework it was under follows from its dates.
    """

    first_day: date | None
    last_day: date | None
    published: date | None
    kind: str | None
    grades: dict[str, Grade]
    where: Where
    also_at: tuple[Where, ...] = ()

    @property
    def day(self) -> date:
        """The day it is dated by: its first day on site, else its publication."""
        found = self.first_day or self.published
        assert found is not None
        return found


@dataclass
class AuthorityOutcomes:
    """An authority as the edition lists it, and its inspections oldest first."""

    name: str
    code: str | None
    region: str | None
    where: Where
    current: bool
    inspections: list[PublishedInspection] = field(default_factory=list)

    @property
    def key(self) -> str:
        return name_key(self.name)


@dataclass(frozen=True)
class Edition:
    """What one edition says: its title, the day its figures are "as at", when it was
    published, and every authority it lists (current ones in its order, then the abolished)."""

    title: str
    as_at: date | None
    published: date | None
    file_name: str
    authorities: list[AuthorityOutcomes]
    #: What could not be read; an import records nothing while there is any.
    problems: list[EditionProblem] = field(default_factory=list)

    def citation(self) -> str:
        """How an event recorded from this edition cites it."""
        when = f", published {self.published.isoformat()}" if self.published else ""
        return f"Ofsted, {self.title}{when} ({self.file_name})"

    @property
    def current(self) -> list[AuthorityOutcomes]:
        return [a for a in self.authorities if a.current]


# -- tables -------------------------------------------------------------------------------------


@dataclass
class _Table:
    sheet: Sheet
    headings: list[Heading]
    rows: list[tuple[int, list[Cell]]]

    def column(self, name: str) -> int | None:
        return next((h.column for h in self.headings if h.field == name), None)

    @property
    def groups(self) -> list[str]:
        seen: list[str] = []
        for h in self.headings:
            if h.field in GRADE_FIELDS and h.group not in seen:
                seen.append(h.group)
        return seen

    heading_cells: list[Cell] = field(default_factory=list)

    @property
    def is_activity(self) -> bool:
        """A list of the year's inspections and visits ("Inspection/Visit type")."""
        return any("visit" in text_of(cell).lower() for cell in self.heading_cells)

    def names(self) -> list[str]:
        column = self.column("name")
        assert column is not None
        return [text_of(_cell(row, column)) for _, row in self.rows]


def _cell(row: list[Cell], column: int | None) -> Cell:
    if column is None or column >= len(row):
        return None
    return row[column]


def _headings(row: list[Cell]) -> list[Heading] | None:
    found = [h for h in (heading(i, cell) for i, cell in enumerate(row)) if h is not None]
    fields = {h.field for h in found}
    if "name" in fields and fields & set(GRADE_FIELDS):
        return found
    return None


def _tables(sheet: Sheet) -> list[_Table]:
    tables: list[_Table] = []
    for number, row in sheet.numbered():
        found = _headings(row)
        if found is not None:
            tables.append(_Table(sheet, found, [], list(row)))
            continue
        if tables:
            name_column = tables[-1].column("name")
            if text_of(_cell(row, name_column)):
                tables[-1].rows.append((number, row))
    return tables


# -- reading ------------------------------------------------------------------------------------


class _Reader:
    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self.problems: list[EditionProblem] = []

    def problem(self, where: Where | None, message: str) -> None:
        self.problems.append(EditionProblem(where, message))

    def entries(self, table: _Table, number: int, row: list[Cell], source: int) -> list[Entry]:
        where = Where(table.sheet.name, number)
        found = []
        for group in table.groups:
            entry = self._entry(table, group, row, where, source)
            if entry is not None:
                found.append(entry)
        return found

    def _entry(
        self, table: _Table, group: str, row: list[Cell], where: Where, source: int
    ) -> Entry | None:
        cells = {h.field: _cell(row, h.column) for h in table.headings if h.group == group}
        ungrouped = {h.field: _cell(row, h.column) for h in table.headings if h.group == ""}
        for name in ("first_day", "last_day", "published", "type"):
            cells.setdefault(name, ungrouped.get(name))
        if says_not_yet_inspected(cells.get("first_day")):
            return None
        try:
            kind = inspection_type(cells.get("type"))
        except CellProblem as problem:
            self.problem(where, str(problem))
            return None
        if kind is not None and kind.is_visit:
            return None  # a monitoring or focused visit: a letter, no grades
        days: dict[str, date | None] = {}
        for name in ("first_day", "last_day", "published"):
            try:
                days[name] = day_of(cells.get(name))
            except CellProblem as problem:
                self.problem(where, f"{problem} ({_field_words(name)})")
                days[name] = None
        grades: dict[str, Grade] = {}
        for name in GRADE_FIELDS:
            if name not in cells:
                continue
            try:
                grade = grade_of(cells[name])
            except CellProblem as problem:
                self.problem(where, f"{problem} ({_field_words(name)})")
                continue
            if grade is not None:
                grades[name] = grade
        if not grades:
            if (days["first_day"] or days["published"]) and source == CURRENT:
                self.problem(where, "an inspection with no grade at all")
            return None
        if not (days["first_day"] or days["published"]):
            self.problem(where, "an inspection with grades but no date")
            return None
        return Entry(
            days["first_day"],
            days["last_day"],
            days["published"],
            kind.kind if kind else None,
            grades,
            where,
            source,
        )

    def read(self) -> Edition:
        tables = [t for sheet in self.workbook.sheets for t in _tables(sheet)]
        current = next(
            (
                t
                for t in tables
                if not t.is_activity
                and len(t.groups) == 1
                and len(set(map(name_key, t.names()))) == len(t.rows)
                and t.rows
            ),
            None,
        )
        if current is None:
            raise EditionRejected(
                [
                    EditionProblem(
                        None,
                        "no sheet lists each authority's latest judgements (a table headed "
                        "with the local authority's name, an inspection date and grades)",
                    )
                ]
            )
        authorities: dict[str, AuthorityOutcomes] = {}
        entries: dict[str, list[Entry]] = {}
        for number, row in current.rows:
            self._authority(current, number, row, True, authorities, entries)
        for table in tables:
            if table is current:
                continue
            source = ACTIVITY if table.is_activity else HISTORY
            for number, row in table.rows:
                self._authority(table, number, row, False, authorities, entries, source)
        for key, authority in authorities.items():
            authority.inspections = _merge(entries.get(key, []))
        self._check(authorities.values())
        title, as_at, published = self._about()
        ordered = [a for a in authorities.values() if a.current] + [
            a for a in authorities.values() if not a.current
        ]
        return Edition(title, as_at, published, self.workbook.file_name, ordered, self.problems)

    def _authority(
        self,
        table: _Table,
        number: int,
        row: list[Cell],
        current: bool,
        authorities: dict[str, AuthorityOutcomes],
        entries: dict[str, list[Entry]],
        source: int = CURRENT,
    ) -> None:
        name = text_of(_cell(row, table.column("name")))
        key = name_key(name)
        where = Where(table.sheet.name, number)
        if current and key in authorities:
            self.problem(where, f"{name} is listed twice (also at {authorities[key].where})")
            return
        if key not in authorities:
            code = text_of(_cell(row, table.column("code"))) or None
            region = text_of(_cell(row, table.column("region"))) or None
            authorities[key] = AuthorityOutcomes(name, code, region, where, current)
        else:
            found = authorities[key]
            if found.code is None:
                found.code = text_of(_cell(row, table.column("code"))) or None
        entries.setdefault(key, []).extend(self.entries(table, number, row, source))

    def _check(self, authorities: Iterable[AuthorityOutcomes]) -> None:
        for authority in authorities:
            for inspection in authority.inspections:
                if inspection.published is None:
                    self.problem(
                        inspection.where,
                        f"no publication date for {authority.name}'s inspection of "
                        f"{inspection.day.isoformat()}: neither this sheet nor a history sheet "
                        "gives one",
                    )
                if inspection.kind is None:
                    self.problem(
                        inspection.where,
                        f"no type (standard, short...) for {authority.name}'s inspection of "
                        f"{inspection.day.isoformat()}: neither this sheet nor another gives one",
                    )

    def _about(self) -> tuple[str, date | None, date | None]:
        title, as_at, published = "", None, None
        for sheet in self.workbook.sheets:
            for _, row in sheet.numbered()[:40]:
                texts = [text_of(c) for c in row]
                first = next((t for t in texts if t), "")
                if not title and first:
                    title = first
                for text in texts:
                    match = _AS_AT.search(text)
                    if match and as_at is None:
                        with contextlib.suppress(CellProblem):
                            as_at = day_of(match.group(1))
                if published is None and _PUBLISHED_LABEL.match(first.lower()) and len(row) > 1:
                    value = next((c for c in row[1:] if text_of(c)), None)
                    with contextlib.suppress(CellProblem):
                        published = day_of(value)
        return title or "local authority inspection outcomes", as_at, published


def _field_words(name: str) -> str:
    return name.replace("_", " ")


def _merge(entries: list[Entry]) -> list[PublishedInspection]:
    """One inspection per group of entries that describe it: the same first day on site, the
    same publication date, or a first day and the nearest publication after it."""
    clusters: list[list[Entry]] = []
    for entry in sorted(entries, key=lambda e: e.source):
        for cluster in clusters:
            if _same(cluster, entry):
                cluster.append(entry)
                break
        else:
            clusters.append([entry])
    # Pair an inspection known only by its first day with the nearest report published after it.
    undated = sorted(
        (c for c in clusters if _day(c, "published") is None),
        key=lambda c: _day(c, "first_day") or date.min,
    )
    for cluster in undated:
        first_day = _day(cluster, "first_day")
        assert first_day is not None
        reports = [
            c
            for c in clusters
            if _day(c, "first_day") is None
            and (published := _day(c, "published")) is not None
            and first_day <= published <= first_day + REPORT_WITHIN
        ]
        if reports:
            nearest = min(reports, key=lambda c: _day(c, "published") or date.max)
            cluster.extend(nearest)
            clusters.remove(nearest)
    merged = [_inspection(sorted(c, key=lambda e: e.source)) for c in clusters]
    return sorted(merged, key=lambda i: i.day)


def _same(cluster: list[Entry], entry: Entry) -> bool:
    first_day, published = _day(cluster, "first_day"), _day(cluster, "published")
    if first_day is not None and entry.first_day is not None:
        return first_day == entry.first_day
    if published is not None and entry.published is not None:
        return published == entry.published
    return False


def _day(cluster: list[Entry], name: str) -> date | None:
    return next((getattr(e, name) for e in cluster if getattr(e, name) is not None), None)


def _inspection(cluster: list[Entry]) -> PublishedInspection:
    best = cluster[0]
    return PublishedInspection(
        first_day=_day(cluster, "first_day"),
        last_day=_day(cluster, "last_day"),
        published=_day(cluster, "published"),
        kind=next((e.kind for e in cluster if e.kind), None),
        grades=dict(best.grades),
        where=best.where,
        also_at=tuple(e.where for e in cluster[1:]),
    )


def read_edition(workbook: Workbook) -> Edition:
    """The edition `workbook` holds, with the problems found in it; raises `EditionRejected`
    when it holds no edition at all."""
    return _Reader(workbook).read()
