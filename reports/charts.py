"""An indicator's readings as a line chart, laid out here and drawn as SVG by the pack's
template: print-sized, in black and grey (a pack is often printed), its meaning in its title
and description and the same readings in a table beside it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from reports.wording import long_date, number

WIDTH, HEIGHT = 520, 200
LEFT, RIGHT, TOP, BOTTOM = 60, 20, 14, 36


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class LineChart:
    """What the template draws, in the chart's own coordinates."""

    width: int
    height: int
    points: tuple[Point, ...]
    y_ticks: tuple[tuple[float, str], ...]
    x_labels: tuple[tuple[float, str], ...]
    target_y: float | None
    title: str
    description: str

    @property
    def path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def plot(self) -> tuple[int, int, int, int]:
        """Left, top, right and bottom of the plotting area."""
        return LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM


def _step(span: Decimal) -> Decimal:
    raw = span / 4 if span > 0 else Decimal(1)
    base = Decimal(10) ** raw.adjusted()
    return next(base * m for m in (1, 2, 5, 10) if base * m >= raw)


def line_chart(indicator: dict[str, Any]) -> LineChart | None:
    """The chart of an indicator (from the indicators view), or None with no readings."""
    readings = indicator["readings"]
    if not readings:
        return None
    unit = indicator["unit"]
    values = [Decimal(r["value"]) for r in readings]
    target = Decimal(indicator["target"]) if indicator.get("target") is not None else None
    scale = [*values, Decimal(0), *([target] if target is not None else [])]
    step = _step(max(scale) - min(scale))
    low = (min(scale) / step).to_integral_value(ROUND_FLOOR) * step
    high = (max(scale) / step).to_integral_value(ROUND_CEILING) * step
    if high == low:
        high = low + step
    days = [date.fromisoformat(r["period_end"]) for r in readings]
    span = max((days[-1] - days[0]).days, 1)
    left, top, right, bottom = LEFT + 16, TOP, WIDTH - RIGHT - 16, HEIGHT - BOTTOM

    def x(day: date) -> float:
        return (
            (left + right) / 2
            if len(days) == 1
            else left + (right - left) * (day - days[0]).days / span
        )

    def y(value: Decimal) -> float:
        return bottom - (bottom - top) * float((value - low) / (high - low))

    ticks = []
    tick = low
    while tick <= high:
        ticks.append((y(tick), number(str(tick.normalize() if tick else 0), unit)))
        tick += step
    first, last = readings[0], readings[-1]
    description = (
        f"{len(readings)} readings from {long_date(first['period_end'])} "
        f"({number(first['value'], unit)}) to {long_date(last['period_end'])} "
        f"({number(last['value'], unit)})."
    )
    if indicator.get("higher_is_better") is not None:
        description += (
            " Higher is better." if indicator["higher_is_better"] else " Lower is better."
        )
    return LineChart(
        width=WIDTH,
        height=HEIGHT,
        points=tuple(
            Point(x(d), y(v), number(r["value"], unit))
            for d, v, r in zip(days, values, readings, strict=True)
        ),
        y_ticks=tuple(ticks),
        x_labels=tuple(
            (x(d), f"{d:%b %Y}") for d in ([days[0], days[-1]] if len(days) > 1 else days)
        ),
        target_y=y(target) if target is not None else None,
        title=f"{indicator['name']}: readings over time",
        description=description,
    )
