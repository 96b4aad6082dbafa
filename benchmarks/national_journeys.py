"""Synthetic improvement journeys for the national benchmark: ten years of one authority.

Each authority is inspected three times (SIF 2015, ILACS 2019 and 2023), gets monitoring visits
while inadequate, cabinet decisions and DfE interventions, 30 recommendations answered by 120
actions with monthly progress updates for two years, a due-date revision and a closing each,
25 indicators read monthly, and corrections of every kind: about 6,700 import lines, so 150
authorities make about a million events.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

SIF_AREAS = (
    "overall_effectiveness",
    "help_and_protection",
    "looked_after",
    "adoption",
    "care_leavers",
    "leadership",
)
ILACS_2018_AREAS = (
    "overall_effectiveness",
    "leaders",
    "help_and_protection",
    "in_care_and_care_leavers",
)
ILACS_2023_AREAS = (
    "overall_effectiveness",
    "leaders",
    "help_and_protection",
    "in_care",
    "care_leavers",
)
GRADES = ("inadequate", "requires_improvement", "good", "outstanding")
INSPECTIONS = (
    ("sif-2015", "sif-2013", "single_inspection", date(2015, 9, 14), SIF_AREAS),
    ("ilacs-2019", "ilacs-2018", "standard", date(2019, 6, 3), ILACS_2018_AREAS),
    ("ilacs-2023", "ilacs-2023", "standard", date(2023, 5, 8), ILACS_2023_AREAS),
)
ACTIONS_PER_RECOMMENDATION = 4
UPDATES_PER_ACTION = 24
INDICATORS = 25
MONTHS = 120


def slug(n: int) -> str:
    return f"council-{n:03d}"


def _day(d: date) -> str:
    return d.isoformat()


def journey(n: int) -> Iterator[dict[str, Any]]:
    """Authority `n`'s ten years as import lines, in the order a council would record them."""
    a = slug(n)
    shift = timedelta(days=n % 60)

    def line(event: str, ref: str, **fields: Any) -> dict[str, Any]:
        return {"type": event, "authority": a, "id": ref, "source": f"{event} paper", **fields}

    yield {
        "type": "AuthorityRegistered",
        "id": a,
        "name": f"Council {n}",
        "code": f"E{10_000_000 + n}",
        "region": ("North West", "London", "South East", "Yorkshire and the Humber")[n % 4],
        "source": "register",
    }
    for i, (ref, framework, kind, first, areas) in enumerate(INSPECTIONS):
        first_day = first + shift
        last_day = first_day + timedelta(days=11)
        yield line(
            "InspectionRecorded",
            ref,
            framework=framework,
            kind=kind,
            first_day=_day(first_day),
            last_day=_day(last_day),
            published=_day(last_day + timedelta(days=40)),
            grades={
                area: GRADES[(n + i + j) % 3 + (1 if i == 2 else 0)] for j, area in enumerate(areas)
            },
        )
        for r in range(10):
            yield line(
                "RecommendationIssued",
                f"{ref}-rec-{r}",
                origin=ref,
                text=f"Recommendation {r}: improve the quality and timeliness of practice with children.",
            )
        if i == 0:
            for v in range(8):
                visit_day = first_day + timedelta(days=150 + 120 * v)
                yield line(
                    "MonitoringVisitRecorded",
                    f"mv-{v + 1}",
                    number=v + 1,
                    first_day=_day(visit_day),
                    last_day=_day(visit_day + timedelta(days=1)),
                    letter_date=_day(visit_day + timedelta(days=21)),
                    progress_statement="uneven progress" if v % 2 else "steady progress",
                    findings=[
                        {"kind": "concern", "text": "Caseloads remain too high in some teams."},
                        {"kind": "strength", "text": "Leaders know their services well."},
                    ],
                )
            yield line(
                "InterventionRecorded",
                "notice",
                kind="improvement_notice",
                date=_day(first_day + timedelta(days=90)),
                title="Improvement notice",
                by="Department for Education",
            )
        for d in range(3):
            yield line(
                "DecisionRecorded",
                f"{ref}-decision-{d}",
                body="Cabinet",
                date=_day(first_day + timedelta(days=60 + 30 * d)),
                title=f"Improvement plan investment {d}",
                summary="Approved further investment in children's services.",
                resolutions=["Approve the investment", "Report back to the board"],
                investment=f"{(d + 1) * 250_000}.00",
            )
        planned_from = first_day + timedelta(days=60)
        for r in range(10):
            for k in range(ACTIONS_PER_RECOMMENDATION):
                action = f"{ref}-act-{r}-{k}"
                planned = planned_from + timedelta(days=7 * (r * ACTIONS_PER_RECOMMENDATION + k))
                yield line(
                    "ActionPlanned",
                    action,
                    date=_day(planned),
                    title=f"Action {k} for recommendation {r}",
                    owner="Head of service",
                    due_date=_day(planned + timedelta(days=540)),
                    answers=[f"{ref}-rec-{r}"],
                )
                for u in range(UPDATES_PER_ACTION):
                    yield line(
                        "ActionProgressUpdated",
                        action,
                        date=_day(planned + timedelta(days=30 * (u + 1))),
                        rag=("red", "amber", "green")[(n + k + u) % 3],
                        narrative=f"Update {u}: progress reported to the improvement board.",
                    )
                    if u == 12:
                        yield line(
                            "ActionDueDateRevised",
                            action,
                            date=_day(planned + timedelta(days=30 * (u + 1))),
                            new_due_date=_day(planned + timedelta(days=760)),
                            reason="Recruitment to the front door took longer",
                            approver="Improvement board",
                        )
                yield line(
                    "ActionCompleted",
                    action,
                    date=_day(planned + timedelta(days=30 * UPDATES_PER_ACTION + 10)),
                    evidence="Audit shows the change is embedded.",
                )
            if r % 3 == 0:
                yield line(
                    "Corrected",
                    f"{ref}-act-{r}-0",
                    record="action",
                    fields={"title": f"Action 0 for recommendation {r} (reworded)"},
                    reason="Reworded by the board",
                    date=_day(planned_from + timedelta(days=400)),
                )
    start = date(2015, 1, 31)
    for m in range(INDICATORS):
        indicator = f"indicator-{m}"
        yield line(
            "IndicatorDefined",
            indicator,
            name=f"Indicator {m}",
            unit="percent",
            higher_is_better=m % 2 == 0,
            target="80",
        )
        for month in range(MONTHS):
            period_end = _month_end(start, month)
            yield line(
                "IndicatorReadingRecorded",
                indicator,
                period_end=_day(period_end),
                value=str(40 + (n + m * 7 + month * 3) % 55),
            )
        yield line(
            "Corrected",
            indicator,
            record="indicator",
            fields={"reading": {"period_end": _day(_month_end(start, 12)), "value": "61"}},
            reason="The return was revised",
            date="2025-01-15",
        )


def _month_end(start: date, months: int) -> date:
    year, month = divmod(start.month - 1 + months, 12)
    first_of_next = date(start.year + year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def lines_per_authority() -> int:
    return sum(1 for _ in journey(0))
