"""`ledger digest` and `ledger scheduler` through click, on a real SQLite file.

The commands are added to a copy of the `ledger` group here, as `entrypoints.cli.main` will register them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from slack_sdk.models.blocks import Block

from entrypoints.cli.digest import digest, scheduler
from entrypoints.cli.main import LedgerGroup, main

SECRET_PATH = "/services/T0FAKE000/B0FAKE000/ZmFrZS1zZWNyZXQtZG8tbm90LWxvZw"

Run = Callable[..., Result]


def ledger_with_digest() -> LedgerGroup:
    return LedgerGroup(
        name="ledger",
        callback=main.callback,
        params=main.params,
        commands={**main.commands, "digest": digest, "scheduler": scheduler},
    )


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.setenv("LEDGER_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.setenv("LEDGER_ACTOR", "cli-test")
    config = tmp_path / "digest.toml"
    config.write_text(
        '[web]\nbase_url = "https://ledger.example.org"\n'
        '[[channels]]\nname = "slack"\nkind = "slack"\nwebhook_url_env = "LEDGER_SLACK_WEBHOOK_URL"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("LEDGER_DIGEST_CONFIG", str(config))
    monkeypatch.delenv("LEDGER_SLACK_WEBHOOK_URL", raising=False)
    group = ledger_with_digest()

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(group, list(args), catch_exceptions=False)

    assert invoke("demo").exit_code == 0
    return invoke


def test_preview_prints_the_weeks_text_and_records_nothing(run: Run) -> None:
    before = run("fingerprint").stdout
    result = run("digest", "--authority", "lancashire", "--period", "2018-W33", "--preview")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert text.startswith("Lancashire County Council: improvement digest")
    assert "13 to 19 August 2018 (2018-W33)" in text
    assert (
        "overall effectiveness improved from Inadequate to Requires improvement to be good" in text
    )
    assert run("fingerprint").stdout == before  # nothing sent, nothing recorded


@pytest.mark.parametrize("fmt", ["slack", "teams", "html"])
def test_preview_in_each_format(run: Run, fmt: str) -> None:
    result = run("digest", "--period", "2018-W33", "--preview", "--format", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "html":
        assert result.stdout.startswith("<!DOCTYPE html>")
        return
    payload: dict[str, Any] = json.loads(result.stdout)
    if fmt == "slack":
        for block in payload["blocks"]:
            Block.parse(block).validate_json()  # type: ignore[union-attr]
    else:
        assert payload["attachments"][0]["content"]["type"] == "AdaptiveCard"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--period", "2018-W99", "--preview"), "error: 2018 has no ISO week 99"),
        (("--period", "2018-W33"), "error: choose one of --preview or --send"),
        (("--authority", "nowhere", "--preview"), "error: no authority 'nowhere' is recorded"),
        (("--channel", "pager", "--preview"), "error: no digest channel 'pager'"),
        (
            ("--send", "--period", "2999-W01"),
            "error: the period 2998-12-31..2999-01-06 is not over yet",
        ),
        (("--send",), "error: no digest channel can send"),
        (("--send", "--channel", "slack"), "error: channel slack cannot send: LEDGER_SLACK_"),
    ],
)
def test_errors_are_one_line_and_exit_2(run: Run, args: tuple[str, ...], message: str) -> None:
    result = run("digest", *args)
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if not line.startswith("skipped channel")]
    assert len(lines) == 1 and lines[0].startswith(message), result.stderr
    assert "Traceback" not in result.output


def test_send_delivers_once_then_says_it_was_sent(
    run: Run, webhook_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEDGER_SLACK_WEBHOOK_URL", webhook_server.url(SECRET_PATH))
    webhook_server.respond(200, "ok")
    first = run("digest", "--send", "--period", "2018-W33", "--authority", "lancashire")
    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == (
        "lancashire 2018-08-13..2018-08-19 on slack: sent (attempt 1): HTTP 200"
    )
    again = run("digest", "--send", "--period", "2018-W33", "--channel", "slack")
    assert again.exit_code == 0
    assert again.stdout.strip() == (
        "lancashire 2018-08-13..2018-08-19 on slack: already sent (attempt 1)"
    )
    assert len(webhook_server.received) == 1
    assert SECRET_PATH not in first.output + again.output


def test_a_failed_send_exits_1_and_names_no_secret(
    run: Run, webhook_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEDGER_SLACK_WEBHOOK_URL", webhook_server.url(SECRET_PATH))
    webhook_server.respond(404, "no_service")
    result = run("digest", "--send", "--period", "2018-W33")
    assert result.exit_code == 1
    assert "on slack: failed (attempt 1)" in result.stderr
    assert "ZmFrZS1zZWNyZXQtZG8tbm90LWxvZw" not in result.output


def test_scheduler_once_sends_what_is_due(
    run: Run, webhook_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEDGER_SLACK_WEBHOOK_URL", webhook_server.url(SECRET_PATH))
    webhook_server.respond(200, "ok")
    result = run("scheduler", "--once")
    assert result.exit_code == 0, result.output
    assert "on slack: sent (attempt 1): HTTP 200" in result.stdout
    assert run("scheduler", "--once").stdout.strip().endswith("nothing due")
    assert len(webhook_server.received) == 1
