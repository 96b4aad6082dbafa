"""The frameworks file and the checks the domain makes against it."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.frameworks import FrameworksFileError, load_frameworks
from ledger.domain.errors import InvalidCommand, UnknownFramework, UnknownJudgementArea
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
