"""Every question the read models answer about one authority, and a journey that exercises them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from ledger.application.digest_deliveries import DeliveryClaim
from ledger.application.service import JourneyLedger
from projections.views import JourneyViews
from tests.factories import AUTHORITY, action, authority, progress, recommendation, sif_inspection

DAYS = (date(2015, 12, 31), date(2018, 9, 13), date(2018, 12, 31), None)
#: The people, actions and web accounts whose pages are compared.
PEOPLE = ("ann", "bob", "carol")
ACTIONS = ("act-1", "act-2")
ACCOUNTS = ("ann", "bob@example.org")


def answers(views: JourneyViews, slug: str = AUTHORITY, known_at: datetime | None = None) -> dict:
    """Every view of `slug` on a few days, as the read models (or a replay at `known_at`) give,
    without the `known_at` each view echoes back (so the two can be compared)."""
    found: dict[str, Any] = {
        "authorities": views.authorities(known_at=known_at),
        "authority": views.authority(slug, known_at=known_at),
    }
    for day in DAYS:
        found[f"judgements {day}"] = views.judgements(slug, as_of=day, known_at=known_at)
        found[f"recommendations {day}"] = views.recommendations(
            slug, status="all", as_of=day, known_at=known_at
        )
        found[f"rec-1 {day}"] = views.recommendation(slug, "rec-1", as_of=day, known_at=known_at)
        found[f"actions {day}"] = views.actions(slug, as_of=day, known_at=known_at)
        found[f"action summaries {day}"] = views.action_summaries(
            slug, as_of=day, known_at=known_at
        )
        found[f"open recommendations, summary {day}"] = views.recommendations(
            slug, as_of=day, known_at=known_at, summary=True
        )
        found[f"timeline {day}"] = views.timeline(slug, as_of=day, known_at=known_at)
        found[f"corrections {day}"] = views.timeline(
            slug, as_of=day, known_at=known_at, kinds=["correction", "inspection"]
        )
        for kind in ("inspection", "monitoring_visit", "decision", "intervention"):
            found[f"latest {kind} {day}"] = views.latest(slug, kind, as_of=day, known_at=known_at)
        found[f"indicators {day}"] = views.indicators(slug, as_of=day, known_at=known_at)
        found[f"people {day}"] = views.people(slug, as_of=day, known_at=known_at)
        for person in PEOPLE:
            found[f"{person} {day}"] = views.person(slug, person, as_of=day, known_at=known_at)
        for ref in ACTIONS:
            found[f"{ref} page {day}"] = views.action(slug, ref, as_of=day, known_at=known_at)
        found[f"deadlines {day}"] = views.deadlines(slug, as_of=day, known_at=known_at)
        if known_at is None:
            for account in ACCOUNTS:
                found[f"{account}'s actions {day}"] = views.my_actions(account, as_of=day)
    if known_at is None:
        found["told"] = sorted(views.told(slug))
    return {name: _unechoed(view) for name, view in found.items()}


def _unechoed(view: Any) -> Any:
    if isinstance(view, dict):
        return {k: v for k, v in view.items() if k != "known_at"}
    return view


def line(event: str, ref: str, **fields: Any) -> dict[str, Any]:
    return {"type": event, "authority": AUTHORITY, "id": ref, "source": "test", **fields}


def correction(record: str, ref: str, fields: dict[str, Any], day: str) -> dict[str, Any]:
    return line("Corrected", ref, record=record, fields=fields, reason="Misread", date=day)


def rich_journey() -> list[dict[str, Any]]:
    """Every kind of record, later events of each, and a correction of each kind of record."""
    return [
        authority(),
        sif_inspection("insp-1", "2015-11-27"),
        recommendation("rec-1", "insp-1", "Improve supervision."),
        recommendation("rec-2", "insp-1", "Reduce caseloads."),
        action("act-1", ["rec-1"], due="2018-12-31", planned="2018-01-08"),
        action("act-2", ["rec-2"], due="2018-09-03", planned="2018-01-08"),
        progress("act-1", "2018-08-20", "amber", "Slowly."),
        line(
            "IndicatorDefined",
            "rhi",
            name="Return home interviews",
            unit="percent",
            higher_is_better=True,
            target="90",
        ),
        line("IndicatorReadingRecorded", "rhi", period_end="2018-07-31", value="71"),
        line(
            "MonitoringVisitRecorded",
            "mv-1",
            number=1,
            first_day="2018-09-04",
            last_day="2018-09-05",
            letter_date="2018-09-11",
            progress_statement="Steady progress.",
            findings=[{"kind": "strength", "text": "Leaders know their services."}],
        ),
        line(
            "DecisionRecorded",
            "cabinet-1",
            body="Cabinet",
            date="2018-09-12",
            title="Investment",
            summary="Twelve posts.",
            resolutions=["Approve twelve posts"],
            investment="1234567.89",
        ),
        line(
            "InterventionRecorded",
            "notice-1",
            kind="improvement_notice",
            date="2018-09-13",
            title="Improvement notice",
            by="Department for Education",
        ),
        line(
            "RecommendationClosed",
            "rec-1",
            date="2018-09-13",
            evidence="Audited",
            decided_by="Board",
        ),
        line(
            "ActionDueDateRevised",
            "act-1",
            date="2018-09-11",
            new_due_date="2019-03-31",
            reason="Team redeployed",
            approver="Board",
        ),
        progress("act-1", "2018-09-14", "red", "Agency staff left."),
        line("ActionCompleted", "act-2", date="2018-09-02", evidence="Done"),
        line("IndicatorReadingRecorded", "rhi", period_end="2018-09-15", value="64"),
        sif_inspection("insp-2", "2018-09-14", "requires_improvement", kind="re_inspection"),
        correction("inspection", "insp-1", {"published": "2015-11-30"}, "2018-10-01"),
        correction("monitoring_visit", "mv-1", {"letter_date": "2018-09-12"}, "2018-10-01"),
        correction("decision", "cabinet-1", {"investment": "1000000.00"}, "2018-10-01"),
        correction("intervention", "notice-1", {"title": "Notice (revised)"}, "2018-10-01"),
        correction("recommendation", "rec-2", {"text": "Reduce caseloads to 20."}, "2018-10-01"),
        correction(
            "action", "act-1", {"title": "Audit", "answers": ["rec-1", "rec-2"]}, "2018-10-01"
        ),
        correction(
            "indicator",
            "rhi",
            {"reading": {"period_end": "2018-09-15", "value": "65"}, "target": "95"},
            "2018-10-01",
        ),
        correction("authority", AUTHORITY, {"name": "Testshire Council"}, "2018-10-01"),
        line(
            "RecommendationReopened",
            "rec-1",
            date="2018-10-02",
            reason="Slipped",
            decided_by="Board",
        ),
        correction("inspection", "insp-1", {"published": "2015-12-01"}, "2018-10-05"),
        *people_lines(),
    ]


def people_lines() -> list[dict[str, Any]]:
    """Two people, actions assigned and reassigned, an update, a leaving and a correction."""
    return [
        line(
            "PersonAdded",
            "ann",
            name="Ann Example",
            email="ann@example.org",
            account="Ann",
            date="2018-01-02",
        ),
        line(
            "PersonAdded",
            "bob",
            name="Bob Example",
            email="bob@example.org",
            manager="ann",
            account="bob@example.org",
            date="2018-02-01",
        ),
        line("ActionAssigned", "act-1", person="ann", date="2018-02-02"),
        line("ActionAssigned", "act-1", person="bob", date="2018-09-12"),
        line("PersonUpdated", "bob", changes={"title": "Head of service"}, date="2018-09-01"),
        line("PersonLeft", "ann", reason="Moved on", date="2018-12-01"),
        correction("person", "bob", {"email": "robert@example.org"}, "2018-10-06"),
    ]


class ReminderNotClaimed(Exception):
    """The day's message to that person was claimed before."""


def remind(
    ledger: JourneyLedger, person: str, day: date, action: str, *, sent: bool = True
) -> None:
    """Tell `person` on `day` that `action` is overdue, the way the reminder sender records it:
    a claim, then the transport's outcome."""
    who = DeliveryClaim("reminders", datetime.now(UTC), day, timedelta(minutes=5))
    items = [{"action": action, "slot": f"overdue:{day}", "kind": "overdue", "owner": person}]
    claimed = ledger.reminders.claim(AUTHORITY, person, day, items, who, None)
    if claimed is None:
        raise ReminderNotClaimed(f"{person} was already sent a reminder on {day}")
    if sent:
        ledger.reminders.record_sent(
            AUTHORITY,
            claimed,
            1,
            address=f"{person}@example.org",
            transport="email",
            detail="250 OK",
            transport_attempts=1,
            who=who,
        )
    else:
        ledger.reminders.record_failed(
            AUTHORITY, claimed, 1, error="refused", permanent=False, transport_attempts=1, who=who
        )
