"""`ledger import-plan`, `--format csv|xlsx` on every query and `ledger pack`, run in-process
against a real SQLite file."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from entrypoints.cli.main import main
from tests import trackers

# "As known at" today: all the demo recorded (an instant in the future is refused).
TODAY = datetime.now(ZoneInfo("Europe/London")).date().isoformat()


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LEDGER_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.setenv("LEDGER_ACTOR", "cli-test")
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def with_plan(run, tmp_path: Path):
    lines = "\n".join(json.dumps(line) for line in trackers.ledger_lines())
    assert run("import", "-", input=lines).exit_code == 0
    return run


def test_import_plan_dry_run_then_record_then_nothing_new(with_plan, tmp_path: Path) -> None:
    run = with_plan
    tracker = tmp_path / "Improvement plan tracker.xlsx"
    tracker.write_bytes(trackers.council_tracker(1))
    dry = run("import-plan", str(tracker), "--authority", "testshire", "--dry-run")
    assert dry.exit_code == 0
    assert "would record 10 new events (dry run)" in dry.stdout
    assert "sheet 'Help and protection', row 6: Plan action 1.1" in dry.stdout
    assert "passed over Cover" in dry.stdout
    assert json.loads(run("actions", "--json").stdout)["actions"] == []
    assert (
        "recorded 10 new events"
        in run("import-plan", str(tracker), "--authority", "testshire").stdout
    )
    again = run("import-plan", str(tracker), "--authority", "testshire")
    assert "nothing new" in again.stdout


def test_a_broken_tracker_exits_2_naming_each_cell(with_plan, tmp_path: Path) -> None:
    tracker = tmp_path / "broken.xlsx"
    tracker.write_bytes(trackers.broken_tracker())
    result = with_plan("import-plan", str(tracker), "--authority", "testshire")
    assert result.exit_code == 2
    assert "error: 6 problem(s) in the tracker; nothing was recorded" in result.stderr
    assert "  sheet 'Plan', row 2, column E (Deadline): '31/02/2019' is not a date" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "query", ["judgements", "recommendations", "actions", "timeline", "indicators"]
)
def test_every_query_exports_csv_and_xlsx(run, tmp_path: Path, query: str) -> None:
    assert run("demo").exit_code == 0
    as_csv = run(query, "--as-of", "2018-09-01", "--format", "csv")
    assert as_csv.exit_code == 0
    rows = list(csv.reader(io.StringIO(as_csv.stdout.lstrip("\ufeff"))))
    assert len(rows) >= 2 and all(rows[0])
    out = tmp_path / f"{query}.xlsx"
    assert run(query, "--as-of", "2018-09-01", "--format", "xlsx", "-o", str(out)).exit_code == 0
    sheet = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert sheet[0] == rows[0]
    assert len(sheet) == len(rows)


def test_exports_honour_the_audit_point(run) -> None:
    assert run("demo").exit_code == 0
    before = run("judgements", "--as-of", "2018-01-01", "--format", "csv").stdout
    after = run("judgements", "--as-of", "2018-09-01", "--format", "csv").stdout
    assert "Inadequate,2015-11-27,sif-2015" in before
    assert "sif-2018" in after and "sif-2018" not in before
    nothing_known = run(
        "recommendations",
        "--known-at",
        "2018-09-01",
        "--authority",
        "lancashire",
        "--format",
        "csv",
    )
    assert nothing_known.exit_code == 2  # the demo was recorded today: unknown then


def test_pack_in_three_formats_and_the_demo_points_to_known_at(run, tmp_path: Path) -> None:
    assert run("demo").exit_code == 0
    html = tmp_path / "pack.html"
    made = run("pack", "--meeting", "2018-11-08", "-o", str(html))
    assert made.exit_code == 0 and "nothing was known by then: see --known-at" in made.stdout
    assert "Nothing was known by then" in html.read_text(encoding="utf-8")
    for fmt in ("pdf", "xlsx", "html"):
        out = tmp_path / f"known.{fmt}"
        result = run(
            "pack",
            "--meeting",
            "2018-11-08",
            "--previous",
            "2018-10-01",
            "--known-at",
            TODAY,
            "--format",
            fmt,
            "-o",
            str(out),
        )
        assert result.exit_code == 0, result.stderr
        assert out.stat().st_size > 1000
    assert (tmp_path / "known.pdf").read_bytes().startswith(b"%PDF-")
    assert "Requires improvement to be good" in (tmp_path / "known.html").read_text(
        encoding="utf-8"
    )
    bad = run("pack", "--meeting", "2018-11-08", "--previous", "2018-12-01", "-o", str(html))
    assert bad.exit_code == 2
