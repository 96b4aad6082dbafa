"""A busy week in Testshire's journey as command lines, and helpers to compile its digests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from entrypoints.bootstrap import Services
from notifier.changes import ShownBefore, build_digest
from notifier.digest import Digest
from notifier.periods import DigestPeriod
from tests.factories import AUTHORITY, action, authority, progress, recommendation, sif_inspection

LONDON = ZoneInfo("Europe/London")
# The busy week: Monday 10 to Sunday 16 September 2018.
BUSY_WEEK = DigestPeriod(date(2018, 9, 10), date(2018, 9, 16))


def line(event: str, ref: str, source: str = "test", **fields: Any) -> dict[str, Any]:
    return {"type": event, "authority": AUTHORITY, "id": ref, "source": source, **fields}


def before_the_week() -> list[dict[str, Any]]:
    """Testshire up to the busy week: graded, with recommendations, actions and an indicator."""
    return [
        authority(),
        sif_inspection("insp-2015", "2015-11-27"),
        recommendation("rec-1", "insp-2015", "Improve supervision."),
        recommendation("rec-2", "insp-2015", "Reduce caseloads."),
        action("act-caseloads", ["rec-2"], due="2018-12-31", planned="2018-01-08"),
        action("act-audit", ["rec-1"], due="2018-09-01", planned="2018-01-08"),
        action("act-overdue", ["rec-1"], due="2018-09-03", planned="2018-01-08"),
        action("act-soon", ["rec-1"], due="2018-09-25", planned="2018-01-08"),
        progress("act-caseloads", "2018-08-20", "amber", "Caseloads falling slowly."),
        line(
            "IndicatorDefined",
            "rhi",
            name="Return home interviews offered",
            unit="percent",
            higher_is_better=True,
            target="90",
        ),
        line("IndicatorReadingRecorded", "rhi", period_end="2018-07-31", value="71"),
        line("IndicatorDefined", "cla", name="Children looked after", unit="count"),
        line("IndicatorReadingRecorded", "cla", period_end="2018-07-31", value="1853"),
    ]


def the_week() -> list[dict[str, Any]]:
    """Everything dated in the busy week."""
    return [
        sif_inspection(
            "insp-2018",
            "2018-09-14",
            "requires_improvement",
            kind="re_inspection",
            report_url="https://reports.example.org/testshire-2018.pdf",
        ),
        line(
            "MonitoringVisitRecorded",
            "mv-7",
            number=7,
            first_day="2018-09-04",
            last_day="2018-09-05",
            letter_date="2018-09-11",
            progress_statement="The local authority is making steady progress.",
            findings=[
                {"kind": "strength", "text": "Leaders know their services well."},
                {"kind": "concern", "text": "Plans are not specific."},
            ],
        ),
        line(
            "DecisionRecorded",
            "cabinet-2018-09",
            body="Cabinet",
            date="2018-09-12",
            title="Investment in frontline social work",
            summary="Approved twelve posts.",
            resolutions=["Approve twelve social work posts"],
            investment="1234567.89",
        ),
        line(
            "InterventionRecorded",
            "notice-2018",
            kind="improvement_notice",
            date="2018-09-13",
            title="Improvement notice issued",
            by="Department for Education",
        ),
        line(
            "RecommendationClosed",
            "rec-1",
            date="2018-09-13",
            evidence="Audit shows monthly supervision",
            decided_by="Improvement board",
        ),
        progress("act-caseloads", "2018-09-12", "red", "Agency staff left; caseloads rose to 28."),
        progress("act-caseloads", "2018-09-14", "red", "Still red."),
        line(
            "ActionDueDateRevised",
            "act-audit",
            date="2018-09-11",
            new_due_date="2018-10-31",
            reason="Audit team redeployed",
            approver="Improvement board",
        ),
        line("IndicatorReadingRecorded", "rhi", period_end="2018-09-15", value="64"),
        line("IndicatorReadingRecorded", "cla", period_end="2018-09-15", value="1900"),
        line(
            "Corrected",
            "insp-2015",
            record="inspection",
            fields={"report_url": "https://reports.example.org/testshire-2015.pdf"},
            reason="The report's address was missing",
            date="2018-09-15",
        ),
    ]


def compile_digest(
    services: Services,
    period: DigestPeriod,
    shown_before: ShownBefore | None = None,
    authority_id: str = AUTHORITY,
) -> Digest:
    return build_digest(
        services.views,
        authority_id,
        period,
        now=datetime(2018, 9, 17, 8, 0, tzinfo=UTC),
        zone=LONDON,
        fingerprint=lambda: str(services.ledger.fingerprint()),
        shown_before=shown_before,
    )
