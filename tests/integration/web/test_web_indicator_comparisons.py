"""Indicators carry comparison series (England, the region, statistical neighbours), shown on
the chart beside the authority's own line and as columns of the same table."""

from __future__ import annotations

import re

import pytest

from entrypoints.bootstrap import Services
from ledger.domain.errors import CommandsRejected
from tests.factories import record
from tests.integration.web.conftest import ClientAs

INDICATOR = "return-home-interviews"


def figure(series: str, period_end: str, value: str) -> dict:
    return {
        "type": "IndicatorComparisonRecorded",
        "authority": "lancashire",
        "id": INDICATOR,
        "series": series,
        "period_end": period_end,
        "value": value,
        "source": "test comparison figures",
    }


@pytest.fixture
def compared(sqlite_services: Services) -> Services:
    record(
        sqlite_services.ledger,
        figure("england", "2016-10-12", "55"),
        figure("england", "2017-02-28", "60"),
        figure("region", "2016-10-12", "48"),
        figure("region", "2017-02-28", "52.5"),
        figure("statistical_neighbours", "2017-02-28", "58"),
    )
    return sqlite_services


def test_the_view_gives_each_series_in_order_up_to_the_day_asked(compared: Services) -> None:
    [indicator] = [
        i for i in compared.views.indicators("lancashire")["indicators"] if i["ref"] == INDICATOR
    ]
    assert [(c["series"], c["label"]) for c in indicator["comparisons"]] == [
        ("england", "England"),
        ("region", "Region"),
        ("statistical_neighbours", "Statistical neighbours"),
    ]
    assert [r["value"] for r in indicator["comparisons"][1]["readings"]] == ["48", "52.5"]
    earlier = compared.views.indicators(
        "lancashire", as_of=__import__("datetime").date(2016, 12, 31)
    )
    [early] = [i for i in earlier["indicators"] if i["ref"] == INDICATOR]
    assert [c["series"] for c in early["comparisons"]] == ["england", "region"]


def test_the_chart_draws_each_series_and_the_table_holds_its_figures(
    compared: Services, client_as: ClientAs
) -> None:
    html = client_as("vic").get("/authorities/lancashire/indicators").get_data(as_text=True)
    section = html[html.index(f'id="indicator-{INDICATOR}"') :]
    section = section[: section.index("</section>")]
    assert len(re.findall(r"<polyline[^>]*stroke-dasharray", section)) == 2  # one point: no line
    assert section.count('width="6" height="6"') == 5  # a marker per figure
    text = " ".join(re.sub(r"<[^>]+>", " ", section).split())
    assert "compared with England, Region and Statistical neighbours" in section
    assert "England (dashed line)" in text and "Statistical neighbours (dashed line)" in text
    assert "12 October 2016 32% 55% 48% No figure" in text
    assert "28 February 2017 71% 60% 52.5% 58%" in text


def test_a_second_figure_for_the_same_series_and_period_is_refused(compared: Services) -> None:
    before = compared.ledger.fingerprint()
    with pytest.raises(CommandsRejected) as rejected:
        record(compared.ledger, figure("england", "2017-02-28", "61"))
    assert "already has a England figure for 2017-02-28" in rejected.value.errors[0].message
    with pytest.raises(Exception, match="is not one of"):
        record(compared.ledger, figure("county", "2017-02-28", "61"))
    assert compared.ledger.fingerprint() == before
