"""What a cell of an Ofsted outcomes spreadsheet says, however an edition words it."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from ledger.application.imports.cells import (
    CellProblem,
    day_of,
    grade_of,
    heading,
    inspection_type,
)
from ledger.domain.authority_names import name_key, region_slug, slug_for
from ledger.domain.grades import Grade


@pytest.mark.parametrize(
    ("text", "field", "group"),
    [
        ("Local authority name", "name", ""),
        ("LA name", "name", ""),
        ("ONS area code", "code", ""),
        ("Ofsted region", "region", ""),
        ("LA region", "region", ""),
        ("Inspection date", "first_day", ""),
        ("Inspection/Visit date", "first_day", ""),
        ("Inspection start date", "first_day", ""),
        ("Inspection end date", "last_day", ""),
        ("Report publication date", "published", ""),
        ("First ILACS publication date", "published", "first"),
        ("Second ILACS inspection type", "type", "second"),
        ("Overall effectiveness", "overall_effectiveness", ""),
        ("Impact of leaders", "leaders", ""),
        (
            "The impact of leaders on social work practice with children and families",
            "leaders",
            "",
        ),
        (
            "Experiences and progress of children who need help and protection",
            "help_and_protection",
            "",
        ),
        ("Second ILACS experiences and progress of children in care", "in_care", "second"),
        (
            "ILACS framework experiences and progress of children in care and care leavers",
            "in_care_and_care_leavers",
            "",
        ),
        ("Experiences and progress of care leavers", "care_leavers", ""),
        ("Web link", "link", ""),
        ("Visit Theme", "theme", ""),
    ],
)
def test_a_heading_is_known_by_its_words(text: str, field: str, group: str) -> None:
    found = heading(3, text)
    assert found is not None and (found.field, found.group, found.column) == (field, group, 3)


def test_grades_in_every_form_editions_print_them() -> None:
    assert grade_of("Requires improvement to be good") is Grade.REQUIRES_IMPROVEMENT
    assert grade_of("Requires improvement") is Grade.REQUIRES_IMPROVEMENT
    assert grade_of(" good ") is Grade.GOOD
    assert grade_of(1) is Grade.OUTSTANDING and grade_of("4") is Grade.INADEQUATE
    assert grade_of("") is None and grade_of(None) is None and grade_of("Not graded") is None
    with pytest.raises(CellProblem, match="'Splendid' is not a grade"):
        grade_of("Splendid")


def test_dates_as_cells_or_as_text() -> None:
    assert day_of(datetime(2023, 7, 10)) == date(2023, 7, 10)
    assert day_of("2023-07-10") == day_of("10/07/2023") == day_of("10 July 2023")
    assert day_of("") is None
    with pytest.raises(CellProblem):
        day_of("soon")


def test_inspection_types() -> None:
    assert inspection_type("ILACS Short Inspection").kind == "short"
    assert inspection_type("ILACS Standard Inspection").kind == "standard"
    assert inspection_type("SIF re-inspection").kind == "re_inspection"
    assert inspection_type("LA Monitoring visit").is_visit
    assert inspection_type("") is None
    with pytest.raises(CellProblem):
        inspection_type("Joint targeted area inspection")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Bedford", "Bedford Borough"),
        ("Telford & Wrekin", "Telford and Wrekin"),
        ("Kingston Upon Hull", "Kingston upon Hull, City of"),
        ("St Helens", "St. Helens"),
        ("Lancashire", "Lancashire County Council"),
        ("Bournemouth, Christchurch & Poole", "Bournemouth, Christchurch and Poole"),
        ("Durham", "County Durham"),
    ],
)
def test_one_authority_however_its_name_is_spelt(one: str, other: str) -> None:
    assert name_key(one) == name_key(other)


def test_slugs_and_names_that_stay_apart() -> None:
    assert slug_for("Telford & Wrekin") == "telford-and-wrekin"
    assert name_key("City of London") != name_key("London")
    assert name_key("Bournemouth") != name_key("Bournemouth, Christchurch and Poole")
    assert region_slug("North East, Yorkshire and The Humber") == (
        "north-east-yorkshire-and-the-humber"
    )
