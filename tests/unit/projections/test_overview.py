"""The overview's pure functions over authorities' and judgements' documents."""

from __future__ import annotations

from datetime import date

from ledger.domain.frameworks import FrameworkCatalogue
from projections.overview import columns, overview


def authority(slug: str, region: str = "North West", **more: object) -> dict:
    return {"slug": slug, "name": slug.title(), "code": None, "region": region, **more}


def inspected(ref: str, framework: str, published: str, **grades: str) -> dict:
    return {
        "inspections": {
            ref: {
                "ref": ref,
                "framework": framework,
                "kind": "standard",
                "first_day": None,
                "last_day": None,
                "published": published,
                "grades": grades,
                "report_url": None,
                "source": "test",
            }
        }
    }


ILACS_2018 = {
    "overall_effectiveness": "good",
    "leaders": "good",
    "help_and_protection": "requires_improvement",
    "in_care_and_care_leavers": "outstanding",
}


def test_an_older_frameworks_areas_show_under_the_newest_frameworks_columns(
    frameworks: FrameworkCatalogue,
) -> None:
    assert [c.key for c in columns(frameworks)] == [
        "overall_effectiveness",
        "leaders",
        "help_and_protection",
        "in_care",
        "care_leavers",
    ]
    view = overview(
        {"a": authority("a")},
        {"a": inspected("i", "ilacs-2018", "2022-05-01", **ILACS_2018)},
        frameworks,
        date(2024, 3, 31),
    )
    [row] = view["authorities"]
    assert row["overall"] == "good"
    assert row["areas"] == {
        "leaders": "good",
        "help_and_protection": "requires_improvement",
        "in_care": "outstanding",  # the combined judgement...
        "care_leavers": None,  # ...is not shown twice
    }


def test_counts_follow_the_region_and_the_grade_filter_only_narrows_the_rows(
    frameworks: FrameworkCatalogue,
) -> None:
    authorities = {
        "a": authority("a"),
        "b": authority("b"),
        "c": authority("c", region="London"),
        "d": authority("d"),
    }
    judgements = {
        "a": inspected("i", "ilacs-2018", "2022-05-01", **ILACS_2018),
        "b": inspected(
            "i", "ilacs-2018", "2022-05-01", **{**ILACS_2018, "overall_effectiveness": "inadequate"}
        ),
        "c": inspected("i", "ilacs-2018", "2022-05-01", **ILACS_2018),
    }
    view = overview(authorities, judgements, frameworks, date(2024, 3, 31), "north-west", "good")
    assert [r["slug"] for r in view["authorities"]] == ["a"]
    assert view["counts"]["overall"] == {
        "outstanding": 0,
        "good": 1,
        "requires_improvement": 0,
        "inadequate": 1,
    }
    assert view["counts"]["not_inspected"] == 1  # d


def test_an_abolished_authority_shows_until_its_successors_begin(
    frameworks: FrameworkCatalogue,
) -> None:
    authorities = {
        "cumbria": authority("cumbria", abolished="2023-04-01", successors=["cumberland"]),
        "cumberland": authority("cumberland", abolished=None, successors=[]),
    }
    judgements = {"cumbria": inspected("i", "ilacs-2018", "2022-11-15", **ILACS_2018)}
    before = overview(authorities, judgements, frameworks, date(2023, 3, 31))
    assert [r["slug"] for r in before["authorities"]] == ["cumbria"]
    after = overview(authorities, judgements, frameworks, date(2023, 4, 1))
    assert [r["slug"] for r in after["authorities"]] == ["cumberland"]
    assert after["authorities"][0]["predecessors"] == ["Cumbria"]
    # The chart counts each authority on each 31 March while it existed.
    points = {p["date"]: p for p in after["history"]}
    assert points["2023-03-31"]["overall"]["good"] == 1
    assert points["2023-04-01"]["not_known"] == 1


def test_no_overall_grade_under_ilacs_2026_is_not_counted_as_one(
    frameworks: FrameworkCatalogue,
) -> None:
    grades = dict.fromkeys(["leaders", "help_and_protection", "in_care", "care_leavers"], "good")
    view = overview(
        {"a": authority("a")},
        {"a": inspected("i", "ilacs-2026", "2026-06-01", **grades)},
        frameworks,
        date(2026, 7, 1),
    )
    assert view["authorities"][0]["overall"] is None
    assert sum(view["counts"]["overall"].values()) == 0
    assert view["counts"]["no_overall_grade"] == 1
    assert view["counts"]["areas"]["care_leavers"]["good"] == 1
