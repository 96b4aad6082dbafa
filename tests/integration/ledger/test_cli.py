"""The `ledger` command line, run in-process against a real SQLite file, and once as a process."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from entrypoints.cli.main import main


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LEDGER_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.setenv("LEDGER_ACTOR", "cli-test")
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)

    return invoke


def test_demo_then_judgements_as_json_with_stable_keys(run) -> None:
    assert run("demo").exit_code == 0
    result = run("judgements", "--as-of", "2018-09-01", "--json")
    assert result.exit_code == 0
    view = json.loads(result.stdout)
    assert set(view) == {
        "authority",
        "known_at",
        "as_of",
        "inspection",
        "has_overall_grade",
        "overall",
        "areas",
    }
    assert view["overall"]["grade"] == "requires_improvement"
    assert set(view["areas"][0]) >= {
        "area",
        "label",
        "grade",
        "grade_label",
        "since",
        "previous_grade",
        "direction",
    }


@pytest.mark.parametrize(
    "args",
    [
        ("recommendations", "--status", "all"),
        ("actions", "--overdue"),
        ("timeline", "--from", "2015-01-01", "--to", "2016-12-31", "--kind", "decision"),
        ("indicators", "--as-of", "2017-12-31"),
        ("judgements", "--known-at", datetime.now(UTC).date().isoformat()),
    ],
)
def test_every_query_answers_in_both_forms(run, args: tuple[str, ...]) -> None:
    run("demo")
    assert run(*args).exit_code == 0
    assert json.loads(run(*args, "--json").stdout)["authority"] == "lancashire"


def test_known_at_before_anything_was_recorded_is_a_clear_error(run) -> None:
    run("demo")
    result = run("judgements", "--authority", "lancashire", "--known-at", "2016-01-01T12:00")
    assert result.exit_code == 2
    # 12:00 in London in January is 12:00 UTC.
    assert (
        "no authority 'lancashire' is recorded as known at 2016-01-01T12:00:00+00:00"
        in result.stderr
    )
    unnamed = run("judgements", "--known-at", "2016-01-01")
    assert unnamed.exit_code == 2
    assert "no authority was recorded yet as known at 2016-01-01T23:59:59" in unnamed.stderr


def test_bad_import_exits_2_naming_each_line_and_writes_nothing(run, tmp_path: Path) -> None:
    run("demo")
    before = run("fingerprint").stdout
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"type": "ActionProgressUpdated", "authority": "lancashire", "id": "improvement-plan-2018",'
        ' "date": "2018-09-01", "rag": "amber", "narrative": "ok", "source": "board paper"}\n'
        '{"type": "Nonsense"}\n'
        '{"type": "DecisionRecorded", "authority": "lancashire", "id": "d", "body": "Cabinet",'
        ' "date": "2018-09-01", "title": "t", "investment": 5000000.555, "source": "board paper"}\n'
    )
    result = run("import", str(bad))
    assert result.exit_code == 2
    assert "line 2, field type" in result.stderr
    assert "line 3, field investment: an investment is in pounds and whole pence" in result.stderr
    assert "Traceback" not in result.stderr
    assert run("fingerprint").stdout == before


def test_export_import_round_trip_and_verify(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("demo")
    export = tmp_path / "export.jsonl"
    assert run("export", "--output", str(export)).exit_code == 0
    fingerprint = run("fingerprint").stdout.strip()
    monkeypatch.setenv("LEDGER_DATABASE_URL", f"sqlite:///{tmp_path}/copy.db")
    assert run("import", str(export)).exit_code == 0
    assert run("fingerprint").stdout.strip() == fingerprint
    verified = run("verify", "--fingerprint", fingerprint)
    assert verified.exit_code == 0
    assert "intact" in verified.stdout


def test_verify_a_bundle_and_reject_a_malformed_fingerprint(run, tmp_path: Path) -> None:
    run("demo")
    bundle = tmp_path / "b.zip"
    assert run("export", "--bundle", str(bundle)).exit_code == 0
    assert run("verify", "--bundle", str(bundle)).exit_code == 0
    later = run("verify", "--fingerprint", "99:" + "0" * 64)
    assert later.exit_code == 1
    assert "cut short" in later.stderr
    assert run("verify", "--fingerprint", "nonsense").exit_code == 2


def test_rebuild_reports_progress_and_gives_the_same_answers(run) -> None:
    run("demo")
    before = run("timeline", "--json").stdout
    result = run("rebuild")
    assert result.exit_code == 0
    assert "rebuilt from 22 events" in result.stdout
    assert run("timeline", "--json").stdout == before


def test_bad_database_url_is_one_line_not_a_traceback(run) -> None:
    result = run("--database", "mysql://nope", "judgements")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: 'mysql://nope' is not a database URL")


def test_python_dash_m_entrypoints_runs_the_cli_as_a_process(tmp_path: Path) -> None:
    env = {"LEDGER_DATABASE_URL": f"sqlite:///{tmp_path}/p.db", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "entrypoints", "actions", "--as-of", "bad-date"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 2
    assert "is not a date" in done.stderr


# -- usage errors, versions, and commands that only read --------------------------------------


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("nonsense",), "error: no such command 'nonsense' (see ledger --help)"),
        (
            ("actions", "--nonsense"),
            "error: no such option '--nonsense' (see ledger actions --help)",
        ),
        (
            ("timeline", "--kind", "nonsense"),
            "error: invalid value for '--kind': 'nonsense' is not one of 'inspection'",
        ),
        (("recommendations", "--status"), "error: option '--status' requires an argument"),
    ],
)
def test_a_usage_error_is_one_line_with_status_2(run, args: tuple[str, ...], says: str) -> None:
    run("demo")
    result = run(*args)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith(says)


def test_to_before_from_is_an_error_not_an_empty_timeline(run) -> None:
    run("demo")
    result = run("timeline", "--from", "2018-01-01", "--to", "2017-01-01")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: --to 2017-01-01 is before --from 2018-01-01: the period would be empty\n"
    )
    assert run("timeline", "--from", "2017-01-01", "--to", "2017-01-01").exit_code == 0


def test_version_names_the_installed_distribution(run) -> None:
    from importlib.metadata import version

    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"ledger {version('improvement-journey-ledger')}\n"


@pytest.mark.parametrize(
    "args",
    [
        ("judgements",),
        ("recommendations",),
        ("actions",),
        ("timeline",),
        ("indicators",),
        ("fingerprint",),
        ("verify",),
        ("export",),
        ("rebuild",),
    ],
)
def test_a_command_that_only_reads_creates_no_folder_or_database(
    run, tmp_path: Path, args: tuple[str, ...]
) -> None:
    missing = tmp_path / "no-such-folder" / "ledger.db"
    result = run("--database", f"sqlite:///{missing}", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: there is no ledger at {missing}")
    assert len(result.stderr.splitlines()) == 1
    assert not missing.parent.exists()


def test_every_column_of_every_table_has_a_heading(run) -> None:
    run("demo")
    for query in ("judgements", "recommendations", "actions", "timeline", "indicators"):
        lines = run(query, "--as-of", "2018-12-31").stdout.splitlines()
        rule = next(i for i, line in enumerate(lines) if line and set(line) <= {"-", " "})
        headings, dashes = lines[rule - 1], lines[rule]
        # Each run of dashes is one column; its heading starts where it starts.
        starts = [i for i, c in enumerate(dashes) if c == "-" and (i == 0 or dashes[i - 1] == " ")]
        for start in starts:
            assert headings[start : start + 1].strip(), f"{query}: a column with no heading"
