"""Pages never crash on stored data: readings recorded before the ledger held numbers to a range
(1e400, 1e-400, 1E+99999) show as what they are, and every page and answer still works."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from click.testing import CliRunner

from entrypoints.bootstrap import Services
from entrypoints.cli.main import main
from ledger.domain.indicators import Indicator
from ledger.domain.meta import EventMeta
from ledger.domain.records import record_id
from tests.integration.web.conftest import ClientAs

STORED = ["1E+400", "1E-400", "1E+99999", "-7E+30"]


@pytest.fixture
def readings_out_of_range(sqlite_services: Services) -> Services:
    """Readings stored as an earlier version of the ledger accepted them (the checks that now
    refuse them are stepped round: the event is raised on the record itself)."""
    ledger = sqlite_services.ledger
    indicator = ledger.load(record_id("indicator", "lancashire", "children-looked-after"))
    assert isinstance(indicator, Indicator)
    for month, value in enumerate(STORED, start=1):
        indicator._reading_recorded(
            period_end=date(2018, month, 28),
            value=Decimal(value),
            note="stored before the limits",
            meta=EventMeta(
                "lancashire", date(2018, month, 28), "old import", "old", f"old-{month}"
            ),
        )
    ledger.save_records([indicator])
    sqlite_services.read_model.catch_up()
    return sqlite_services


@pytest.mark.parametrize(
    "path",
    [
        "/authorities/lancashire/indicators",
        "/authorities/lancashire",
        "/authorities/lancashire/timeline",
        "/api/authorities/lancashire/indicators",
        "/authorities/lancashire/indicators?as_of=2018-03-01",
    ],
)
def test_every_page_answers_with_readings_out_of_range_stored(
    readings_out_of_range: Services, client_as: ClientAs, path: str
) -> None:
    response = client_as("vic").get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]


def test_the_indicators_page_shows_a_stored_value_it_cannot_chart(
    readings_out_of_range: Services, client_as: ClientAs
) -> None:
    html = client_as("vic").get("/authorities/lancashire/indicators").get_data(as_text=True)
    assert "1E+400" in html or "1e+400" in html.lower()


def test_the_command_line_answers_with_readings_out_of_range_stored(
    readings_out_of_range: Services,
) -> None:
    url = readings_out_of_range.storage.url
    runner = CliRunner()
    for args in (
        ("indicators",),
        ("indicators", "--json"),
        ("timeline",),
        ("verify",),
        ("digest", "--authority", "lancashire", "--preview", "--period", "2018-01-01..2018-05-01"),
        ("digest", "--authority", "lancashire", "--preview", "--format", "teams"),
    ):
        result = runner.invoke(main, ["--database", url, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
