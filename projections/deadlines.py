"""Statutory deadlines as of a day: what each rule of `config/deadlines.toml` sets from the
inspections, visits and recommendations on an authority's timeline (as corrections left them),
counted in working days of the calendar given."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from ledger.domain.deadlines import Deadline, DeadlineRule, WorkingCalendar
from projections import timeline
from projections.writes import Document

#: Deadlines that passed longer ago than this are history, not something to watch.
RECENT_DAYS = 30


def deadlines_from(
    entries: Iterable[dict[str, Any]], rules: Iterable[DeadlineRule], calendar: WorkingCalendar
) -> list[Deadline]:
    """Every deadline the rules set from timeline `entries` (presented, oldest first)."""
    chosen = list(rules)
    listed = list(entries)
    visits_with_recommendations = {
        e["facts"]["origin"]
        for e in listed
        if e["event"] == "RecommendationIssued"
        and e["facts"].get("origin_kind") == "monitoring_visit"
    }
    found: list[Deadline] = []
    for entry in listed:
        facts = entry["facts"]
        started = date.fromisoformat(entry["date"])
        for rule in chosen:
            if entry["event"] == "InspectionRecorded":
                applies = rule.applies_to_inspection(facts["framework"], facts["grades"])
                kind = "inspection"
            elif entry["event"] == "MonitoringVisitRecorded":
                applies = (
                    rule.trigger == "visit_with_recommendations"
                    and entry["ref"] in visits_with_recommendations
                )
                kind = "monitoring_visit"
            else:
                continue
            if applies:
                found.append(
                    Deadline(
                        rule=rule.key,
                        title=rule.title,
                        record=entry["ref"],
                        record_kind=kind,
                        started=started,
                        due=calendar.add_working_days(started, rule.working_days),
                        working_days=rule.working_days,
                        description=rule.description,
                    )
                )
    return sorted(found, key=lambda d: (d.due, d.rule, d.record))


def deadlines(
    doc: Document, rules: Iterable[DeadlineRule], calendar: WorkingCalendar, as_of: date
) -> list[dict[str, Any]]:
    """The deadlines set by what was dated by `as_of`, each with its status then (`upcoming`,
    `due_today`, `passed`), working days left and whether it is current (not yet passed, or
    passed within the last 30 days)."""
    found = deadlines_from(timeline.entries(doc, as_of), rules, calendar)
    shown = []
    for deadline in found:
        status, left = deadline.status(calendar, as_of)
        shown.append(
            {
                "rule": deadline.rule,
                "title": deadline.title,
                "record": deadline.record,
                "record_kind": deadline.record_kind,
                "started": deadline.started.isoformat(),
                "due": deadline.due.isoformat(),
                "working_days": deadline.working_days,
                "status": status,
                "working_days_left": left,
                "current": deadline.due >= as_of - timedelta(days=RECENT_DAYS),
                "description": deadline.description,
            }
        )
    return shown
