"""Ofsted's grades: read from their keys, their labels and the short form, ranked for direction."""

from __future__ import annotations

import pytest

from ledger.domain.grades import Grade, parse_grade


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("good", Grade.GOOD),
        ("  Good ", Grade.GOOD),
        ("OUTSTANDING", Grade.OUTSTANDING),
        ("requires_improvement", Grade.REQUIRES_IMPROVEMENT),
        ("Requires improvement to be good", Grade.REQUIRES_IMPROVEMENT),
        ("Requires improvement", Grade.REQUIRES_IMPROVEMENT),
        ("inadequate", Grade.INADEQUATE),
    ],
)
def test_a_grade_is_read_from_its_key_label_or_short_form(text: str, grade: Grade) -> None:
    assert parse_grade(text) is grade


@pytest.mark.parametrize("text", ["", "adequate", "requires", "good!", "Requires improvement to"])
def test_anything_else_is_not_a_grade(text: str) -> None:
    with pytest.raises(ValueError, match="is not a grade") as refused:
        parse_grade(text)
    assert str(refused.value) == (
        f"{text!r} is not a grade (outstanding, good, requires_improvement, inadequate)"
    )


def test_grades_rank_from_inadequate_up() -> None:
    order = (Grade.INADEQUATE, Grade.REQUIRES_IMPROVEMENT, Grade.GOOD, Grade.OUTSTANDING)
    assert [g.rank for g in order] == [1, 2, 3, 4]
    assert Grade.REQUIRES_IMPROVEMENT.label == "Requires improvement to be good"
    assert [g.label for g in Grade] == [
        "Outstanding",
        "Good",
        "Requires improvement to be good",
        "Inadequate",
    ]
