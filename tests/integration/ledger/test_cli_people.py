"""`ledger person`, `ledger action assign` and `ledger reminders` on both backends: recorded
through the one door, the same command twice recorded once, every error one line and exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from entrypoints.cli.main import main

OWNER = "Lancashire County Council children's services (owner not named in the source)"


@pytest.fixture
def run(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("LEDGER_DATABASE_URL", database_url)
    monkeypatch.setenv("LEDGER_ACTOR", "cli-test")
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, list(args), catch_exceptions=False)

    assert invoke("demo").exit_code == 0
    return invoke


def test_people_are_added_listed_mapped_to_actions_and_reminded(run) -> None:
    added = run(
        "person",
        "add",
        "sam",
        "--name",
        "Sam Okafor",
        "--email",
        "sam@example.org",
        "--role",
        "improvement-board-chair",
        "--date",
        "2018-08-01",
    )
    assert added.exit_code == 0 and "added Sam Okafor (sam) to lancashire" in added.output
    again = run(
        "person",
        "add",
        "sam",
        "--name",
        "Sam Okafor",
        "--email",
        "sam@example.org",
        "--role",
        "improvement-board-chair",
        "--date",
        "2018-08-01",
    )
    assert "already been recorded" in again.output
    run(
        "person",
        "add",
        "jo",
        "--name",
        "Jo Bloggs",
        "--email",
        "jo@example.org",
        "--manager",
        "sam",
        "--date",
        "2018-08-01",
    )

    mapped = run("action", "assign", "jo", "--owner", OWNER, "--date", "2018-08-20")
    assert mapped.exit_code == 0, mapped.output
    assert "assigned improvement-plan-2018 to jo" in mapped.output
    listed = json.loads(run("person", "list", "--json").output)
    assert {p["ref"]: p["open_actions"] for p in listed["people"]} == {"jo": 1, "sam": 0}
    actions = json.loads(run("actions", "--json").output)["actions"]
    assert actions[0]["person"]["name"] == "Jo Bloggs" and actions[0]["owner"] == OWNER

    preview = run("reminders", "--preview", "--today", "2018-12-14")
    assert preview.exit_code == 0
    assert "To: Jo Bloggs <jo@example.org>" in preview.output
    assert "To: Sam Okafor <sam@example.org>" in preview.output  # the manager: 14 days overdue
    assert "escalated to you" in preview.output
    # A preview records nothing: the same preview again shows the same messages.
    assert run("reminders", "--preview", "--today", "2018-12-14").output == preview.output

    left = run("person", "leave", "jo", "--date", "2018-12-20", "--reason", "Moved on")
    assert left.exit_code == 0
    quiet = run("reminders", "--preview", "--today", "2018-12-21")
    assert "Jo Bloggs" not in quiet.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("person", "add", "x", "--name", "X", "--email", "not-an-address"),
            "not an email address",
        ),
        (
            (
                "person",
                "add",
                "x",
                "--name",
                "X",
                "--email",
                "x@example.org",
                "--manager",
                "nobody",
            ),
            "no person 'nobody'",
        ),
        (("person", "update", "nobody", "--title", "Director"), "no person 'nobody'"),
        (("person", "update", "nobody"), "say what changes"),
        (("action", "assign", "improvement-plan-2018", "nobody"), "no person 'nobody'"),
        (("reminders", "--preview", "--send"), "choose one of --preview or --send"),
        (("reminders", "--preview", "--today", "2999-01-01"), "is in the future"),
    ],
)
def test_every_mistake_is_one_line_and_exit_2(run, args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_sending_without_a_usable_transport_says_why(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LEDGER_SMTP_PASSWORD", raising=False)
    result = run("reminders", "--send", "--today", "2018-12-14")
    assert result.exit_code == 2
    assert "reminders cannot be sent: LEDGER_SMTP_PASSWORD is not set" in result.output
