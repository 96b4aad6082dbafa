"""No input breaks a form: absurd dates, tampered hidden fields and a full disk each give a GOV.UK
error saying what happened, every problem of a form is shown in one round, nothing is written."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from entrypoints.bootstrap import Services, build_services
from ledger.domain.frameworks import FrameworkCatalogue
from tests.factories import load_demo
from tests.integration.web.conftest import PASSWORD, ClientAs, MakeLedgerApp
from tests.integration.web.test_web_recording_forms import (
    SOURCE,
    day,
    fingerprint,
    hidden,
    record_through,
    summary_links,
    text_of,
)

A = "/authorities/lancashire/record"
ACTION = "action=improvement-plan-2018"


def test_a_fifty_digit_day_is_not_a_real_date(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    before = fingerprint(sqlite_services)
    response = client_as("rae").post(
        f"{A}/progress?{ACTION}",
        data={"date": ["9" * 50, "10", "2018"], "rag": "amber", "narrative": "On track", **SOURCE},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert summary_links(html) == ["#date-day"]
    assert "The date of the update must be a real date" in text_of(html)
    assert fingerprint(sqlite_services) == before


def test_every_problem_of_a_form_is_shown_in_one_round(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    """A date the form cannot read, with a one-letter reason and approver and a due date before
    the action was planned: the form's own check and the ledger's, all at once."""
    before = fingerprint(sqlite_services)
    html = (
        client_as("rae")
        .post(
            f"{A}/due-date?{ACTION}",
            data={
                "date": ["31", "2", "2018"],
                **day("new_due_date", "2019-01-31"),
                "reason": "x",
                "approver": "B",
                **SOURCE,
            },
        )
        .get_data(as_text=True)
    )
    assert set(summary_links(html)) >= {"#date-day", "#reason", "#approver"}
    page = text_of(html)
    assert "says too little" in page
    assert fingerprint(sqlite_services) == before


def test_a_future_date_is_reported_with_the_format_errors(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    html = (
        client_as("rae")
        .post(
            f"{A}/progress?{ACTION}",
            data={**day("date", "2099-01-01"), "rag": "amber", "narrative": "", "source": ""},
        )
        .get_data(as_text=True)
    )
    links = summary_links(html)
    assert {"#date-day", "#narrative", "#source"} <= set(links)
    assert "is in the future" in text_of(html)


def test_a_revised_due_date_before_the_action_was_planned_is_refused(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    before = fingerprint(sqlite_services)
    html = (
        client_as("rae")
        .post(
            f"{A}/due-date?{ACTION}",
            data={
                **day("date", "2018-10-01"),
                **day("new_due_date", "2001-01-01"),
                "reason": "Typed the wrong year",
                "approver": "PIIB",
                **SOURCE,
            },
        )
        .get_data(as_text=True)
    )
    assert summary_links(html) == ["#new_due_date-day"]
    assert "cannot be before the action was planned" in text_of(html)
    assert fingerprint(sqlite_services) == before


@pytest.mark.parametrize("version", ["abc", "-5", "", "1.5"])
def test_a_tampered_record_version_is_refused_not_ignored(
    client_as: ClientAs, sqlite_services: Services, version: str
) -> None:
    client = client_as("rae")
    form = client.get(f"{A}/progress?{ACTION}").get_data(as_text=True)
    assert hidden(form, "expected_version").isdigit()
    before = fingerprint(sqlite_services)
    html = client.post(
        f"{A}/progress?{ACTION}",
        data={
            **day("date", "2018-10-01"),
            "rag": "amber",
            "narrative": "On track",
            "expected_version": version,
            **SOURCE,
        },
    ).get_data(as_text=True)
    assert "record version is not one the ledger knows" in text_of(html)
    assert fingerprint(sqlite_services) == before


# -- a full disk ------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real filesystem of 4 MB (a tmpfs), where this machine lets the tests mount one."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True
        )
        if shutil.which("mount")
        else None
    )
    if done is None or done.returncode != 0:
        pytest.skip("cannot mount a small filesystem here (needs root with mount rights)")
    yield mount
    if subprocess.run(["umount", str(mount)], capture_output=True).returncode != 0:
        subprocess.run(["umount", "-l", str(mount)], check=True)  # a connection still open


def test_a_full_disk_while_recording_says_so_and_records_nothing(
    small_disk: Path,
    frameworks: FrameworkCatalogue,
    make_ledger_app: MakeLedgerApp,
) -> None:
    services = build_services(f"sqlite:///{small_disk}/ledger.db", frameworks)
    try:
        load_demo(services.ledger)
        services.read_model.catch_up()
        client = make_ledger_app(services).test_client()
        signed_in = client.post("/sign-in", data={"name": "rae", "password": PASSWORD})
        assert signed_in.status_code == 303
        filler = small_disk / "filler"
        with filler.open("wb") as handle:
            try:
                while True:
                    handle.write(b"\0" * 65536)
                    handle.flush()
            except OSError:
                pass
        before = fingerprint(services)
        html = record_through(
            client,
            f"{A}/progress?{ACTION}",
            {
                **day("date", "2018-10-01"),
                "rag": "red",
                "narrative": "A long update. " * 600,
                **SOURCE,
            },
        ).get_data(as_text=True)
        assert "The ledger could not save this" in text_of(html)
        assert "full" in text_of(html)
        assert "Nothing was recorded" in text_of(html)
        filler.unlink()
        assert fingerprint(services) == before
        assert services.ledger.verify().intact
    finally:
        services.close()
