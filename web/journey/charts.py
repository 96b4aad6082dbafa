"""Line charts of an indicator's readings, laid out here and drawn as SVG by a template.

The chart is an image with a text alternative (its title and a description of the trend); the
same readings are always in a table beside it, so nothing depends on seeing the chart. Meaning
never rests on colour: the target is a dashed line labelled in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from ledger.domain.quantities import MAX_MAGNITUDE, READING_PLACES
from web.journey.presentation import long_date, number, short_date

WIDTH = 640
HEIGHT = 280
LEFT = 64
RIGHT = 24
TOP = 20
BOTTOM = 48
MAX_POINT_LABELS = 12
INSET = 28  # keeps the first and last points (and their labels) clear of the axes' labels


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


# Each comparison series: a colour with 3:1 contrast on white, and a dash pattern, so lines are
# told apart without colour too; the legend names them in words.
COMPARISON_STYLES = {
    "england": ("#0b0c0c", "2 5"),
    "region": ("#505a5f", "10 5"),
    "statistical_neighbours": ("#4c2c92", "12 4 3 4"),
}


@dataclass(frozen=True)
class ComparisonLine:
    """A comparison series (England, the region, statistical neighbours) drawn beside the
    indicator's own readings."""

    label: str
    points: tuple[Point, ...]
    colour: str
    dash: str

    @property
    def path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class LineChart:
    """Everything the SVG template draws, in the chart's own coordinates."""

    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    points: tuple[Point, ...]
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    target_y: float | None
    target_label: str
    label_points: bool
    title: str
    description: str
    comparisons: tuple[ComparisonLine, ...] = ()

    @property
    def path(self) -> str:
        """The polyline's points attribute."""
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def _plain(value: Decimal) -> str:
    """A number as plain text with no exponent and no trailing zeros (``100``, ``12.5``)."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")


def _nice_step(span: Decimal) -> Decimal:
    """A round step (1, 2 or 5 times a power of ten) giving about five gridlines."""
    if span <= 0:
        return Decimal(1)
    raw = span / 5
    exponent = raw.adjusted()
    base = Decimal(10) ** exponent
    for multiple in (1, 2, 5, 10):
        step = base * multiple
        if step >= raw:
            return step
    return base * 10


def _scale(values: list[Decimal], unit: str) -> tuple[Decimal, Decimal, Decimal]:
    low = min([Decimal(0), *values])
    high = max(values)
    if unit == "percent":
        high = max(high, Decimal(100)) if high > 50 else high
    step = _nice_step(high - low)
    top = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
    bottom = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
    if top == bottom:
        top = bottom + step
    return bottom, top, step


def drawable(value: Decimal) -> bool:
    """Whether a stored reading can be drawn: within the range the ledger keeps (a reading
    stored before it held numbers to one, such as 1E+400, is shown in the table, not drawn)."""
    return (
        value.is_finite()
        and abs(value) < MAX_MAGNITUDE
        and (value == 0 or value.adjusted() >= -READING_PLACES)
    )


def _drawn(readings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in readings if drawable(Decimal(r["value"]))]


def _describe(indicator: dict[str, Any], readings: list[dict[str, Any]], left_out: int = 0) -> str:
    unit = indicator["unit"]
    first, last = readings[0], readings[-1]
    values = [Decimal(r["value"]) for r in readings]
    if len(readings) == 1:
        text = (
            f"One reading: {number(first['value'], unit)} for the period ending "
            f"{long_date(first['period_end'])}."
        )
    else:
        text = (
            f"{len(readings)} readings from {long_date(first['period_end'])} to "
            f"{long_date(last['period_end'])}: from {number(first['value'], unit)} to "
            f"{number(last['value'], unit)}; lowest {number(_plain(min(values)), unit)}, "
            f"highest {number(_plain(max(values)), unit)}."
        )
    preference = indicator.get("higher_is_better")
    if preference is True:
        text += " Higher is better."
    elif preference is False:
        text += " Lower is better."
    if indicator.get("target") is not None:
        text += f" Target {number(indicator['target'], unit)}."
    if left_out:
        text += (
            f" {left_out} stored reading{'s are' if left_out > 1 else ' is'} outside the range "
            "a chart can show and left out of it (see the table)."
        )
    return text


def line_chart(indicator: dict[str, Any]) -> LineChart | None:
    """The chart of an indicator's readings (from the indicators view), or ``None`` if it has
    none yet."""
    stored = sorted(indicator.get("readings") or [], key=lambda r: r["period_end"])
    readings = _drawn(stored)
    if not readings:
        return None
    unit = indicator["unit"]
    values = [Decimal(r["value"]) for r in readings]
    compared = [
        {**c, "readings": _drawn(c["readings"])}
        for c in indicator.get("comparisons") or []
        if _drawn(c["readings"])
    ]
    compared_values = [Decimal(r["value"]) for c in compared for r in c["readings"]]
    target = Decimal(indicator["target"]) if indicator.get("target") is not None else None
    if target is not None and not drawable(target):
        target = None
    bottom, top, step = _scale(
        [*values, *compared_values, *([target] if target is not None else [])], unit
    )

    plot_left, plot_right = float(LEFT), float(WIDTH - RIGHT)
    plot_top, plot_bottom = float(TOP), float(HEIGHT - BOTTOM)
    days = [date.fromisoformat(r["period_end"]) for r in readings]
    every_day = sorted(
        {*days, *(date.fromisoformat(r["period_end"]) for c in compared for r in c["readings"])}
    )
    first, span = every_day[0], max((every_day[-1] - every_day[0]).days, 1)

    def x_of(day: date) -> float:
        if len(every_day) == 1:
            return (plot_left + plot_right) / 2
        left, right = plot_left + INSET, plot_right - INSET
        return left + (right - left) * (day - first).days / span

    def y_of(value: Decimal) -> float:
        return plot_bottom - (plot_bottom - plot_top) * float((value - bottom) / (top - bottom))

    points = tuple(
        Point(x_of(day), y_of(value), number(r["value"], unit))
        for day, value, r in zip(days, values, readings, strict=True)
    )
    y_ticks = []
    tick = bottom
    while tick <= top:
        y_ticks.append(Tick(y_of(tick), number(_plain(tick), unit)))
        tick += step
    x_ticks = [Tick(x_of(every_day[0]), short_date(every_day[0]))]
    if len(every_day) > 1:
        x_ticks.append(Tick(x_of(every_day[-1]), short_date(every_day[-1])))
    lines = tuple(
        ComparisonLine(
            label=c["label"],
            points=tuple(
                Point(
                    x_of(date.fromisoformat(r["period_end"])),
                    y_of(Decimal(r["value"])),
                    number(r["value"], unit),
                )
                for r in c["readings"]
            ),
            colour=COMPARISON_STYLES.get(c["series"], ("#0b0c0c", "4 4"))[0],
            dash=COMPARISON_STYLES.get(c["series"], ("#0b0c0c", "4 4"))[1],
        )
        for c in compared
    )
    return LineChart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        points=points,
        y_ticks=tuple(y_ticks),
        x_ticks=tuple(x_ticks),
        target_y=y_of(target) if target is not None else None,
        target_label=f"Target {number(indicator['target'], unit)}" if target is not None else "",
        label_points=len(points) <= MAX_POINT_LABELS,
        title=f"{indicator['name']}: readings over time"
        + (f", compared with {_listed([c['label'] for c in compared])}" if compared else ""),
        description=_describe(indicator, readings, len(stored) - len(readings))
        + _describe_comparisons(compared, unit),
        comparisons=lines,
    )


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _describe_comparisons(compared: list[dict[str, Any]], unit: str) -> str:
    parts = []
    for series in compared:
        last = series["readings"][-1]
        parts.append(
            f" {series['label']}: {number(last['value'], unit)} for the period ending "
            f"{long_date(last['period_end'])}."
        )
    return "".join(parts)
