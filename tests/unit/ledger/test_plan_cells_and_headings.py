"""Reading a tracker's cells and headings: dates in every form councils type them, RAG words,
lists of references, and the heading variety of real trackers."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.application.imports.headings import Field, field_of, find_header
from ledger.application.imports.mapping import BadMapping, parse_mapping
from ledger.application.imports.spreadsheets import Sheet, column_letter
from ledger.application.imports.tracker_cells import CellProblem, day_of, rag_of, references_in


@pytest.mark.parametrize(
    "cell",
    [
        date(2019, 3, 31),
        43555,
        43555.0,
        "43555",
        "2019-03-31",
        "31/03/2019",
        "31/3/19",
        "31.03.2019",
        "31 March 2019",
        "31 Mar 2019",
        "31st March 2019",
        "31-Mar-2019",
    ],
)
def test_a_day_reads_from_serials_iso_and_uk_text(cell: object) -> None:
    assert day_of(cell) == date(2019, 3, 31)  # type: ignore[arg-type]


@pytest.mark.parametrize("cell", ["31/02/2019", "03/31/2019", "next March", "1 Octember 2018", 12])
def test_what_is_not_a_day_is_refused_with_the_value(cell: object) -> None:
    with pytest.raises(CellProblem, match="is not a date"):
        day_of(cell)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("cell", "rag"),
    [
        ("Red", "red"),
        ("r", "red"),
        ("AMBER", "amber"),
        ("A", "amber"),
        ("Green", "green"),
        ("G.", "green"),
        ("Blue", "complete"),
        ("B", "complete"),
        ("Complete", "complete"),
        ("Completed", "complete"),
        (None, None),
    ],
)
def test_rag_words_and_letters(cell: str | None, rag: str | None) -> None:
    assert rag_of(cell) == rag


def test_an_unknown_rating_names_the_accepted_ones() -> None:
    with pytest.raises(CellProblem, match="Red, Amber, Green"):
        rag_of("Purple")


def test_a_cell_listing_several_references() -> None:
    assert references_in("R1, R3") == ["R1", "R3"]
    assert references_in("1; 3 and 4") == ["1", "3", "4"]
    assert references_in("r2\nr5") == ["r2", "r5"]


@pytest.mark.parametrize(
    ("heading", "field"),
    [
        ("Ref", Field.REF),
        ("ID", Field.REF),
        ("No.", Field.REF),
        ("Ofsted Recommendation", Field.RECOMMENDATION),
        ("Area for improvement", Field.RECOMMENDATION),
        ("What we will do", Field.ACTION),
        ("Activity", Field.ACTION),
        ("Responsible officer", Field.OWNER),
        ("Lead", Field.OWNER),
        ("Target date", Field.DUE_DATE),
        ("Deadline:", Field.DUE_DATE),
        ("Completion date", Field.DUE_DATE),
        ("Revised target date", Field.REVISED_DUE_DATE),
        ("Due dates Revised", Field.REVISED_DUE_DATE),
        ("RAG", Field.RAG),
        ("R/A/G", Field.RAG),
        ("Status", Field.RAG),
        ("Commentary", Field.UPDATE),
        ("Progress", Field.UPDATE),
        ("Date of update", Field.UPDATE_DATE),
        ("Reason for extension", Field.REVISION_REASON),
    ],
)
def test_headings_councils_use(heading: str, field: Field) -> None:
    assert field_of(heading, {}) == field


def test_a_heading_merged_across_two_columns_over_a_second_heading_row() -> None:
    sheet = Sheet(
        "Plan",
        (
            ("Improvement plan 2018-19",),
            ("Ref", "Action", "Due dates", "Due dates", "RAG"),
            ("Ref", "Action", "Original", "Revised", "RAG"),
            ("1.1", "Hubs", "31/03/2019", None, "A"),
        ),
        merges_known=True,
    )
    header = find_header(sheet, {})
    assert header is not None
    assert header.last_row == 2
    assert header.columns[Field.DUE_DATE] == 2
    assert header.columns[Field.REVISED_DUE_DATE] == 3


def test_a_mapping_file_names_other_headings_and_defaults() -> None:
    mapping = parse_mapping(
        '[columns]\n"Named lead (SMT)" = "owner"\n[recommendations]\n"Rec 1" = "r1"\n'
        '[defaults]\napprover = "Board"\nupdate_date = 2018-10-31\n'
    )
    assert field_of("Named lead (SMT)", mapping.columns) == Field.OWNER
    assert mapping.recommendations == {"rec 1": "r1"}
    assert mapping.update_date == date(2018, 10, 31)
    with pytest.raises(BadMapping, match="columns"):
        parse_mapping('[columns]\n"X" = "colour"\n')
    with pytest.raises(BadMapping, match="update_date"):
        parse_mapping('[defaults]\nupdate_date = "31/10/2018"\n')


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]
