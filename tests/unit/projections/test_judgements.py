"""Current judgements: the newest report's grades, the previous grade, and frameworks' rules."""

from __future__ import annotations

from datetime import date

from ledger.domain.frameworks import FrameworkCatalogue
from projections.judgements import current_judgements


def _inspection(ref: str, framework: str, published: str, grades: dict[str, str]) -> dict:
    return {
        "ref": ref,
        "framework": framework,
        "kind": "standard",
        "first_day": None,
        "last_day": None,
        "published": published,
        "grades": grades,
        "report_url": None,
        "source": "test",
        "recorded_at": "2026-01-01T00:00:00+00:00",
        "recorded_by": "t",
    }


def test_an_ilacs_2026_inspection_shows_no_overall_grade(frameworks: FrameworkCatalogue) -> None:
    doc = {
        "inspections": {
            "i2023": _inspection(
                "i2023",
                "ilacs-2023",
                "2024-03-01",
                {
                    "overall_effectiveness": "requires_improvement",
                    "leaders": "requires_improvement",
                    "help_and_protection": "requires_improvement",
                    "in_care": "good",
                    "care_leavers": "inadequate",
                },
            ),
            "i2026": _inspection(
                "i2026",
                "ilacs-2026",
                "2026-09-01",
                {
                    "leaders": "good",
                    "help_and_protection": "good",
                    "in_care": "good",
                    "care_leavers": "requires_improvement",
                },
            ),
        }
    }
    view = current_judgements(doc, frameworks, date(2026, 10, 1))
    assert view["has_overall_grade"] is False
    assert view["overall"] is None
    assert all(a["area"] != "overall_effectiveness" for a in view["areas"])
    care_leavers = next(a for a in view["areas"] if a["area"] == "care_leavers")
    assert (care_leavers["previous_grade"], care_leavers["direction"]) == ("inadequate", "improved")


def test_direction_of_travel_survives_a_change_of_framework(frameworks: FrameworkCatalogue) -> None:
    doc = {
        "inspections": {
            "sif": _inspection(
                "sif",
                "sif-2013",
                "2015-11-27",
                {
                    "overall_effectiveness": "inadequate",
                    "help_and_protection": "inadequate",
                    "looked_after": "requires_improvement",
                    "adoption": "good",
                    "care_leavers": "inadequate",
                    "leadership": "inadequate",
                },
            ),
            "ilacs": _inspection(
                "ilacs",
                "ilacs-2018",
                "2019-05-01",
                {
                    "overall_effectiveness": "good",
                    "leaders": "good",
                    "help_and_protection": "good",
                    "in_care_and_care_leavers": "requires_improvement",
                },
            ),
        }
    }
    areas = {a["area"]: a for a in current_judgements(doc, frameworks, date(2020, 1, 1))["areas"]}
    assert (areas["leaders"]["previous_grade"], areas["leaders"]["direction"]) == (
        "inadequate",
        "improved",
    )
    assert areas["in_care_and_care_leavers"]["direction"] == "unchanged"  # from looked_after


def test_nothing_published_yet_is_an_empty_answer(frameworks: FrameworkCatalogue) -> None:
    doc = {
        "inspections": {
            "i": _inspection("i", "sif-2013", "2015-11-27", {"overall_effectiveness": "good"})
        }
    }
    view = current_judgements(doc, frameworks, date(2015, 11, 26))
    assert view["inspection"] is None
    assert view["areas"] == []
