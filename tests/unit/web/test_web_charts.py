"""Indicator charts: laid out from the readings, described in words."""

from __future__ import annotations

from typing import Any

from web.journey.charts import line_chart


def indicator(*readings: tuple[str, str], **extra: Any) -> dict[str, Any]:
    return {
        "ref": "rhi",
        "name": "Return home interviews",
        "unit": "percent",
        "higher_is_better": True,
        "target": None,
        "readings": [{"period_end": day, "value": value} for day, value in readings],
        **extra,
    }


def test_no_readings_no_chart() -> None:
    assert line_chart(indicator()) is None


def test_points_run_left_to_right_in_date_order_and_higher_values_sit_higher() -> None:
    chart = line_chart(indicator(("2017-02-28", "71"), ("2016-10-12", "32")))
    assert chart is not None
    first, last = chart.points
    assert first.label == "32%" and last.label == "71%"
    assert first.x < last.x
    assert last.y < first.y  # SVG y grows downwards
    assert chart.plot_left < first.x and last.x < chart.plot_right


def test_the_description_says_what_the_chart_shows() -> None:
    chart = line_chart(indicator(("2016-10-12", "32"), ("2017-02-28", "71"), target="80"))
    assert chart is not None
    assert chart.title == "Return home interviews: readings over time"
    assert chart.description == (
        "2 readings from 12 October 2016 to 28 February 2017: from 32% to 71%; lowest 32%, "
        "highest 71%. Higher is better. Target 80%."
    )
    assert chart.target_label == "Target 80%"
    assert chart.target_y is not None


def test_the_scale_starts_at_zero_with_round_gridlines() -> None:
    chart = line_chart(
        indicator(
            ("2015-08-31", "1577"), ("2017-04-13", "1853"), unit="count", higher_is_better=None
        )
    )
    assert chart is not None
    assert [tick.label for tick in chart.y_ticks] == ["0", "500", "1,000", "1,500", "2,000"]
    assert chart.description.endswith("highest 1,853.")


def test_one_reading_sits_in_the_middle() -> None:
    chart = line_chart(indicator(("2017-02-28", "94")))
    assert chart is not None
    (point,) = chart.points
    assert point.x == (chart.plot_left + chart.plot_right) / 2
    assert chart.description.startswith("One reading: 94% for the period ending 28 February 2017.")
