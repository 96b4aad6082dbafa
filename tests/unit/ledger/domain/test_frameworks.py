"""The frameworks file and the checks the domain makes against it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from config.frameworks import FrameworksFileError, load_frameworks
from ledger.domain.errors import (
    InvalidCommand,
    OutsideFrameworkPeriod,
    UnknownFramework,
    UnknownJudgementArea,
)
from ledger.domain.frameworks import FrameworkCatalogue
from ledger.domain.grades import Grade


def test_every_framework_on_the_domain_page_is_configured(frameworks: FrameworkCatalogue) -> None:
    assert set(frameworks.frameworks) == {"sif-2013", "ilacs-2018", "ilacs-2023", "ilacs-2026"}
    assert frameworks.get("ilacs-2026").has_overall_grade is False
    assert [a.key for a in frameworks.get("ilacs-2023").areas] == [
        "overall_effectiveness",
        "leaders",
        "help_and_protection",
        "in_care",
        "care_leavers",
    ]


def test_grades_are_checked_against_the_framework(frameworks: FrameworkCatalogue) -> None:
    ilacs = frameworks.get("ilacs-2026")
    with pytest.raises(UnknownJudgementArea, match="overall_effectiveness"):
        ilacs.validate_grades(dict.fromkeys(["overall_effectiveness", "leaders"], Grade.GOOD))
    with pytest.raises(InvalidCommand, match="missing: help_and_protection, in_care, care_leavers"):
        ilacs.validate_grades({"leaders": Grade.GOOD})
    with pytest.raises(UnknownFramework):
        frameworks.get("sif-2009")


def test_a_malformed_frameworks_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "frameworks.toml"
    bad.write_text(
        '[frameworks.x]\nname = "X"\nin_use_from = 2020-01-01\nhas_overall_grade = true\n'
        'kinds = ["standard"]\n[[frameworks.x.areas]]\nkey = "leaders"\nlabel = "L"\n'
    )
    with pytest.raises(FrameworksFileError, match="framework x: has_overall_grade"):
        load_frameworks(bad)


def test_an_area_is_labelled_by_the_newest_framework_that_has_it(
    frameworks: FrameworkCatalogue,
) -> None:
    # `leaders` is in ilacs-2018, -2023 and -2026 with one label; `looked_after` only in SIF.
    assert frameworks.area_label("leaders") == (
        "The impact of leaders on social work practice with children and families"
    )
    assert frameworks.area_label("looked_after") == "Children looked after and achieving permanence"
    assert frameworks.area_label("in_care") == "The experiences and progress of children in care"
    assert frameworks.area_label("some_old_area") == "Some old area"


def test_the_newest_framework_s_label_wins() -> None:
    from datetime import date

    from ledger.domain.frameworks import Framework, JudgementArea

    def framework(key: str, year: int, label: str) -> Framework:
        return Framework(
            key, key, date(year, 1, 1), False, ("standard",), (JudgementArea("leaders", label),)
        )

    catalogue = FrameworkCatalogue.of(
        [framework("a", 2018, "Old"), framework("c", 2026, "Newest"), framework("b", 2023, "Mid")]
    )
    assert catalogue.area_label("leaders") == "Newest"


def test_unknown_names_are_refused_with_the_known_ones(frameworks: FrameworkCatalogue) -> None:
    with pytest.raises(UnknownFramework) as framework:
        frameworks.get("sif-2009")
    assert (framework.value.message, framework.value.field) == (
        "'sif-2009' is not a known framework (ilacs-2018, ilacs-2023, ilacs-2026, sif-2013)",
        "framework",
    )
    with pytest.raises(UnknownJudgementArea) as area:
        frameworks.get("ilacs-2026").area("lscb")
    assert (area.value.message, area.value.field) == (
        "'lscb' is not a judgement area of ilacs-2026 (leaders, help_and_protection, in_care, "
        "care_leavers)",
        "lscb",
    )
    with pytest.raises(InvalidCommand) as kind:
        frameworks.get("ilacs-2026").validate_kind("re_inspection")
    assert (kind.value.message, kind.value.field) == (
        "'re_inspection' is not a kind of inspection under ilacs-2026 (standard, short)",
        "kind",
    )


def test_each_framework_has_the_period_it_was_in_use(frameworks: FrameworkCatalogue) -> None:
    periods = {
        key: (f.in_use_from.isoformat(), f.in_use_until and f.in_use_until.isoformat())
        for key, f in frameworks.frameworks.items()
    }
    assert periods == {
        "sif-2013": ("2013-11-01", "2018-12-31"),
        "ilacs-2018": ("2018-01-01", "2022-12-31"),
        "ilacs-2023": ("2023-01-01", "2026-03-31"),
        "ilacs-2026": ("2026-04-01", None),
    }


def test_an_inspection_outside_its_frameworks_period_is_refused(
    frameworks: FrameworkCatalogue,
) -> None:
    ilacs_2026 = frameworks.get("ilacs-2026")
    with pytest.raises(OutsideFrameworkPeriod, match=r"2019-05-13 cannot be under ilacs-2026") as e:
        ilacs_2026.check_period(date(2019, 5, 13), date(2019, 7, 1))
    assert e.value.field == "first_day"
    with pytest.raises(OutsideFrameworkPeriod, match="in use from 2026-04-01") as e:
        ilacs_2026.check_period(None, date(2019, 7, 1))
    assert e.value.field == "published"
    ilacs_2026.check_period(date(2026, 4, 1), date(2026, 5, 1))  # its first day


def test_a_sif_re_inspection_in_2018_is_still_under_the_sif(
    frameworks: FrameworkCatalogue,
) -> None:
    sif = frameworks.get("sif-2013")
    sif.check_period(date(2018, 6, 4), date(2018, 8, 17))  # Lancashire's re-inspection
    sif.check_period(None, date(2018, 8, 17))
    # A report published months after the last inspection day is still one of its own...
    sif.check_period(None, date(2019, 3, 1))
    # ...but not years after, nor an inspection begun after the period.
    with pytest.raises(OutsideFrameworkPeriod):
        sif.check_period(None, date(2020, 1, 1))
    with pytest.raises(OutsideFrameworkPeriod):
        sif.check_period(date(2019, 1, 7), date(2019, 3, 1))
    with pytest.raises(OutsideFrameworkPeriod):
        frameworks.get("ilacs-2018").check_period(date(2017, 12, 31), date(2018, 2, 1))


def test_the_frameworks_in_use_on_a_day_are_found_newest_first(
    frameworks: FrameworkCatalogue,
) -> None:
    assert [f.key for f in frameworks.in_use_on(date(2018, 6, 4))] == ["ilacs-2018", "sif-2013"]
    assert [f.key for f in frameworks.in_use_on(date(2022, 12, 5))] == ["ilacs-2018"]
    assert [f.key for f in frameworks.in_use_on(date(2023, 1, 1))] == ["ilacs-2023"]
    assert [f.key for f in frameworks.published_under(date(2023, 2, 1))] == [
        "ilacs-2023",
        "ilacs-2018",
    ]
    assert frameworks.in_use_on(date(2012, 1, 1)) == []


def test_a_period_that_ends_before_it_starts_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "frameworks.toml"
    bad.write_text(
        '[frameworks.x]\nname = "X"\nin_use_from = 2020-01-01\nin_use_until = 2019-01-01\n'
        'has_overall_grade = false\nkinds = ["standard"]\n'
        '[[frameworks.x.areas]]\nkey = "leaders"\nlabel = "L"\n'
    )
    with pytest.raises(FrameworksFileError, match="framework x: in_use_until is before"):
        load_frameworks(bad)
