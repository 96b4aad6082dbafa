"""`ledger user grant / revoke / access`: per-authority roles from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from entrypoints.cli.main import main

PASSWORD = "correct horse battery staple"


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LEDGER_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, list(args), catch_exceptions=False)

    assert invoke("demo").exit_code == 0
    return invoke


def test_a_new_user_sees_nothing_until_granted_then_what_was_granted(run) -> None:
    assert run("user", "add", "rae", "--role", "recorder", "--password", PASSWORD).exit_code == 0
    assert "rae (recorder): no authority" in run("user", "access", "rae").stdout
    granted = run("user", "grant", "rae", "--authority", "lancashire")
    assert granted.exit_code == 0 and "granted authority lancashire" in granted.stdout
    assert run("user", "access", "rae").stdout.strip() == "rae (recorder): authority lancashire"
    assert run("user", "revoke", "rae", "--authority", "lancashire").exit_code == 0
    assert "no authority" in run("user", "access", "rae").stdout


def test_grants_of_unknown_authorities_or_regions_are_refused(run) -> None:
    assert run("user", "add", "vic", "--role", "viewer", "--password", PASSWORD).exit_code == 0
    unknown = run("user", "grant", "vic", "--authority", "atlantis")
    assert unknown.exit_code == 2 and "no authority 'atlantis' is recorded" in unknown.stderr
    region = run("user", "grant", "vic", "--region", "North West")
    assert region.exit_code == 2 and "no authority is recorded in a region" in region.stderr
    nothing = run("user", "grant", "vic")
    assert nothing.exit_code == 2
    nobody = run("user", "grant", "zed", "--all")
    assert nobody.exit_code == 2 and "no user called 'zed'" in nobody.stderr
    assert run("user", "revoke", "vic", "--all").exit_code == 2  # not held
