"""`ledger import-ofsted` and `ledger overview` through the real command line (SQLite file)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from entrypoints.cli.main import main
from tests.ofsted_editions import overall_counts_in_sheet


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LEDGER_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.setenv("LEDGER_ACTOR", "cli-test")
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, list(args), catch_exceptions=False)

    return invoke


def test_overview_json_counts_per_overall_grade_equal_the_sheets_own(
    run, edition_2024: Path
) -> None:
    imported = run("import-ofsted", str(edition_2024))
    assert imported.exit_code == 0, imported.output
    assert "153 authorities" in imported.stdout
    result = run("overview", "--as-of", "2024-06-30", "--json")
    assert result.exit_code == 0
    view = json.loads(result.stdout)
    expected, not_inspected = overall_counts_in_sheet(edition_2024)
    assert len(view["authorities"]) == 153
    assert {g: n for g, n in view["counts"]["overall"].items() if n} == dict(expected)
    assert view["counts"]["not_inspected"] == not_inspected
    row = next(a for a in view["authorities"] if a["slug"] == "blackpool")
    assert set(row) >= {"slug", "name", "code", "region", "overall", "areas", "published"}
    assert row["areas"]["in_care"] == "good"  # the 2018 framework's combined judgement
    assert row["areas"]["care_leavers"] is None  # not graded apart before 2023


def test_reimporting_changes_nothing_and_says_so(run, edition_2024: Path) -> None:
    assert run("import-ofsted", str(edition_2024)).exit_code == 0
    before = run("fingerprint").stdout
    again = run("import-ofsted", str(edition_2024))
    assert again.exit_code == 0
    assert "registered 0, 0 inspections recorded, 0 corrections" in again.stdout
    assert "0 new events" in again.stdout
    assert run("fingerprint").stdout == before


def test_a_dry_run_records_nothing(run, edition_2024: Path) -> None:
    result = run("import-ofsted", "--dry-run", str(edition_2024))
    assert result.exit_code == 0
    assert result.stdout.startswith("dry run, nothing recorded:")
    assert "registered 156" in result.stdout
    assert run("fingerprint").stdout.startswith("0:")


def test_overview_by_region_and_grade_as_csv_and_xlsx(
    run, edition_2024: Path, tmp_path: Path
) -> None:
    assert run("import-ofsted", str(edition_2024)).exit_code == 0
    result = run("overview", "--region", "North West", "--grade", "inadequate", "--format", "csv")
    assert result.exit_code == 0
    table = list(csv.reader(io.StringIO(result.stdout)))
    assert table[0][:4] == ["Local authority", "ONS code", "Region", "Overall"]
    assert table[1:] and all(r[2] == "North West" and r[3] == "Inadequate" for r in table[1:])
    assert run("overview", "--region", "north-west", "--json").exit_code == 0
    target = tmp_path / "overview.xlsx"
    assert run("overview", "--format", "xlsx", "-o", str(target)).exit_code == 0
    book = CalamineWorkbook.from_path(str(target))
    assert book.sheet_names == ["Authorities", "Counts"]
    rows = book.get_sheet_by_name("Authorities").to_python()
    assert len(rows) == 1 + 153


def test_a_file_that_is_not_an_edition_exits_2_with_one_line(run, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.ods"
    bogus.write_text("not a spreadsheet")
    result = run("import-ofsted", str(bogus))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: notes.ods is not a spreadsheet")
    assert "Traceback" not in result.output
    unknown = run("overview", "--region", "Atlantis")
    assert unknown.exit_code == 2
    assert "no region 'Atlantis'" in unknown.stderr
