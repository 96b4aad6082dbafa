"""The spread of overall grades over the years as a stacked bar chart, laid out here and drawn
as SVG by a template. The same counts are in a table beside it; each segment is labelled with
its number where it is tall enough, and a legend names every colour in words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ledger.domain.grades import Grade
from web.journey.presentation import long_date, short_date

WIDTH = 640
HEIGHT = 300
LEFT = 48
RIGHT = 16
TOP = 16
BOTTOM = 44
LABEL_MIN_HEIGHT = 16
# GOV.UK colours; text on each is the colour with enough contrast against it.
FILLS = {
    "outstanding": ("#00703c", "#ffffff"),
    "good": ("#1d70b8", "#ffffff"),
    "requires_improvement": ("#f47738", "#0b0c0c"),
    "inadequate": ("#d4351c", "#ffffff"),
    "not_known": ("#b1b4b6", "#0b0c0c"),
}
SERIES = (*(g.value for g in Grade), "not_known")
SERIES_LABELS = {**{g.value: g.label for g in Grade}, "not_known": "No grade known"}


@dataclass(frozen=True)
class Segment:
    x: float
    y: float
    width: float
    height: float
    fill: str
    text_fill: str
    count: int
    show_count: bool


@dataclass(frozen=True)
class Bar:
    label: str  # its day and month ("31 Mar"), over its year
    year: str
    centre: float
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class GradeChart:
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    bars: tuple[Bar, ...]
    y_ticks: tuple[tuple[float, int], ...]
    legend: tuple[tuple[str, str], ...]
    title: str
    description: str


def _step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100):
        if top / step <= 6:
            return step
    return 200


def grade_chart(history: list[dict[str, Any]], where: str) -> GradeChart | None:
    """The chart of the overview's `history` (counts on each date), or None with no points."""
    if not history:
        return None
    totals = [sum(p["overall"].values()) + p["not_known"] for p in history]
    step = _step(max(max(totals), 1))
    top = -(-max(max(totals), 1) // step) * step
    plot_left, plot_right = float(LEFT), float(WIDTH - RIGHT)
    plot_top, plot_bottom = float(TOP), float(HEIGHT - BOTTOM)
    slot = (plot_right - plot_left) / len(history)
    bar_width = min(slot * 0.6, 56.0)

    def height_of(count: int) -> float:
        return float((plot_bottom - plot_top) * count / top)

    bars = []
    for index, point in enumerate(history):
        centre = plot_left + slot * (index + 0.5)
        y = plot_bottom
        segments = []
        for series in SERIES:
            count = point["not_known"] if series == "not_known" else point["overall"][series]
            if not count:
                continue
            tall = height_of(count)
            y -= tall
            fill, text_fill = FILLS[series]
            segments.append(
                Segment(
                    centre - bar_width / 2,
                    y,
                    bar_width,
                    tall,
                    fill,
                    text_fill,
                    count,
                    tall >= LABEL_MIN_HEIGHT,
                )
            )
        day_month, _, year = short_date(point["date"]).rpartition(" ")
        bars.append(Bar(day_month, year, centre, tuple(segments)))
    last = history[-1]
    spread = ", ".join(
        f"{last['overall'][g.value]} {g.label.lower()}" for g in Grade if last["overall"][g.value]
    )
    description = (
        f"{len(history)} bars, one a date from {long_date(history[0]['date'])} to "
        f"{long_date(last['date'])}. On {long_date(last['date'])}: {spread or 'no grades'}"
        + (f"; {last['not_known']} with no grade known." if last["not_known"] else ".")
    )
    return GradeChart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        bars=tuple(bars),
        y_ticks=tuple((plot_bottom - height_of(value), value) for value in range(0, top + 1, step)),
        legend=tuple((FILLS[s][0], SERIES_LABELS[s]) for s in SERIES),
        title=f"Overall effectiveness of authorities in {where} over time",
        description=description,
    )
