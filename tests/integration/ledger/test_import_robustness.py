"""`ledger import` of hostile files: one clear line per problem naming its line, exit 2, nothing
written, never a traceback; and the plausibility rules that need the records (both backends)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from entrypoints.cli.main import main

BEFORE = (
    '{"type": "AuthorityRegistered", "id": "otherton", "name": "Otherton Council", '
    '"source": "register"}\n'
)


@pytest.fixture
def ledger(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LEDGER_ACTOR", "import-test")
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(main, ["--database", database_url, *args], catch_exceptions=False)

    assert run("demo").exit_code == 0
    return run


def _import(run: Any, tmp_path: Path, content: bytes) -> Result:
    path = tmp_path / "file.jsonl"
    path.write_bytes(content)
    return run("import", str(path))


HOSTILE = {
    "deep nesting": (
        b'{"type": "ActionProgressUpdated", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n",
        "nested more than 20 deep",
    ),
    "invalid UTF-8": (
        b'{"type": "AuthorityRegistered", "id": "caf\xe9", "name": "x"}\n',
        "not UTF-8 text",
    ),
    "a lone surrogate": (
        b'{"type": "AuthorityRegistered", "id": "otherton", "name": "Other\\ud800ton", "source": "register"}\n',
        "unpaired surrogate",
    ),
    "an investment of 1e400": (
        b'{"type": "DecisionRecorded", "authority": "lancashire", "id": "d-1", "body": "Cabinet", "date": "2018-09-01", "title": "Money", "investment": "1e400", "source": "minutes"}\n',
        "1,000,000,000,000",
    ),
    "a number of 5000 digits": (
        b'{"type": "IndicatorReadingRecorded", "authority": "lancashire", "id": "children-looked-after", "period_end": "2018-09-30", "value": '
        + b"9" * 5000
        + b', "source": "return"}\n',
        "1,000,000,000,000",
    ),
    "a reading of 1E+99999": (
        b'{"type": "IndicatorReadingRecorded", "authority": "lancashire", "id": "children-looked-after", "period_end": "2018-09-30", "value": 1E+99999, "source": "return"}\n',
        "1,000,000,000,000",
    ),
    "a reading of 1e-400": (
        b'{"type": "IndicatorReadingRecorded", "authority": "lancashire", "id": "children-looked-after", "period_end": "2018-09-30", "value": "1e-400", "source": "return"}\n',
        "decimal places",
    ),
    "a half-megabyte id": (
        b'{"type": "AuthorityRegistered", "id": "'
        + b"a" * 500_000
        + b'", "name": "Big", "source": "register"}\n',
        "100 characters or fewer",
    ),
    "a script id": (
        b'{"type": "AuthorityRegistered", "id": "<script>", "name": "Big", "source": "register"}\n',
        "is not a reference",
    ),
    "a NUL in text": (
        b'{"type": "AuthorityRegistered", "id": "otherton", "name": "Other\\u0000ton", "source": "register"}\n',
        "control character (U+0000)",
    ),
    "ten megabytes of narrative": (
        b'{"type": "ActionProgressUpdated", "authority": "lancashire", "id": "improvement-plan-2018", "date": "2018-09-01", "rag": "amber", "narrative": "'
        + b"n" * 10_000_000
        + b'", "source": "board paper"}\n',
        "longer than 1,000,000 characters",
    ),
    "a tampered version": (
        b'{"type": "ActionProgressUpdated", "authority": "lancashire", "id": "improvement-plan-2018", "date": "2018-09-01", "rag": "amber", "narrative": "On track", "source": "board paper", "expected_version": "abc"}\n',
        "expected_version",
    ),
    "a negative version": (
        b'{"type": "ActionProgressUpdated", "authority": "lancashire", "id": "improvement-plan-2018", "date": "2018-09-01", "rag": "amber", "narrative": "On track", "source": "board paper", "expected_version": -5}\n',
        "not negative",
    ),
    "not an object": (b"[1, 2, 3]\n", "must be a JSON object"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_line_is_one_clear_line_naming_its_number(
    ledger: Any, tmp_path: Path, case: str
) -> None:
    content, message = HOSTILE[case]
    before = ledger("fingerprint").stdout
    result = _import(ledger, tmp_path, BEFORE.encode() + content)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("error: ") and "nothing was recorded" in lines[0]
    assert any(line.startswith("  line 2") and message in line for line in lines[1:]), lines
    assert all(len(line) < 400 for line in lines)  # no megabyte echoed
    assert ledger("fingerprint").stdout == before


def test_an_export_header_followed_by_bad_json_names_the_line(ledger: Any, tmp_path: Path) -> None:
    header = json.dumps({"ledger_export": 1, "fingerprint": "0:" + "0" * 64, "events": 0})
    result = _import(ledger, tmp_path, (header + "\n{not json\n").encode())
    assert result.exit_code == 2
    assert result.stderr.startswith("error: line 2: not valid JSON")
    assert len(result.stderr.splitlines()) == 1


def test_a_file_with_many_bad_lines_lists_a_hundred_and_counts_the_rest(
    ledger: Any, tmp_path: Path
) -> None:
    result = _import(ledger, tmp_path, b"{not json\n" * 250)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "error: 250 problem(s) in the file; nothing was recorded"
    assert len(lines) == 102 and lines[-1] == "  …and 150 more"


# -- plausibility that needs the records --------------------------------------------------


def _line(**fields: Any) -> bytes:
    return (
        json.dumps({"authority": "lancashire", "source": "board paper", **fields}) + "\n"
    ).encode()


PLAUSIBILITY = {
    "a revised due date before the action was planned": (
        _line(
            type="ActionDueDateRevised",
            id="improvement-plan-2018",
            date="2018-10-01",
            new_due_date="2001-01-01",
            reason="Typed the wrong year",
            approver="PIIB",
        ),
        "new_due_date: a new due date cannot be before the action was planned (2018-08-17)",
    ),
    "a percentage reading of 150": (
        _line(
            type="IndicatorReadingRecorded",
            id="return-home-interviews",
            period_end="2018-09-30",
            value="150",
        ),
        "value: a reading in per cent must be from 0 to 100",
    ),
    "a negative count": (
        _line(
            type="IndicatorReadingRecorded",
            id="children-looked-after",
            period_end="2018-09-30",
            value="-3",
        ),
        "value: a reading in count must be 0 or more",
    ),
    "a percentage target of 120": (
        _line(
            type="IndicatorDefined",
            id="new-percent",
            name="New measure",
            unit="percent",
            target="120",
        ),
        "target: a target in per cent must be from 0 to 100",
    ),
    "a change of unit its readings do not fit": (
        _line(
            type="Corrected",
            record="indicator",
            id="children-looked-after",
            fields={"unit": "percent"},
            reason="Wrong unit",
        ),
        "fields.unit: the reading for 2015-08-31 in per cent must be from 0 to 100",
    ),
    "a visit number of 0": (
        _line(
            type="Corrected",
            record="monitoring_visit",
            id="mv-6",
            fields={"number": 0},
            reason="Numbering",
        ),
        "number: a monitoring visit's number is from 1 to 999",
    ),
}


@pytest.mark.parametrize("case", sorted(PLAUSIBILITY))
def test_what_the_records_make_implausible_is_refused(
    ledger: Any, tmp_path: Path, case: str
) -> None:
    content, message = PLAUSIBILITY[case]
    before = ledger("fingerprint").stdout
    result = _import(ledger, tmp_path, content)
    assert result.exit_code == 2, result.output
    assert f"  line 1, field {message}" in result.stderr.splitlines(), result.stderr
    assert ledger("fingerprint").stdout == before
