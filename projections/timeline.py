"""The journey timeline: one entry per event, dated by when it was true, with filters.

Registering an authority or defining an indicator is bookkeeping, not part of the journey: those
events stay in the log and exports but have no timeline entry.

A creation entry keeps the record's facts, so a later correction re-describes it (and the
correction gets an entry of its own: both stay visible). A correction's entry says what each field
it corrects held before (`facts["previous_fields"]`), as far as the timeline knows the record.

The document keeps each entry's facts only, and only ever appends, so the store keeps the entries
as rows and folding an event adds a row. Reading presents them: each entry's title and summary
come from its facts, and each correction re-describes its record's creation entry, in the order
recorded, which gives the entries that changing the creation entry at fold time would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from ledger.application.log import PlainEvent
from projections.jsonable import copied, corrected_kind, recorded
from projections.projection import Document, Fold, ref_of, remember_ref

KINDS = (
    "inspection",
    "monitoring_visit",
    "decision",
    "intervention",
    "recommendation",
    "action",
    "indicator",
    "reminder",
    "correction",
)
# The field that dates each kind of record, so a corrected date moves its entry.
DATE_FIELDS = {
    "inspection": "published",
    "monitoring_visit": "letter_date",
    "decision": "date",
    "intervention": "date",
}
INTERVENTION_LABELS = {
    "improvement_notice": "Improvement notice",
    "statutory_direction": "Statutory direction",
    "commissioner_appointed": "Commissioner appointed",
    "board_established": "Improvement board established",
    "intervention_lifted": "Intervention lifted",
}
GRADE_LABELS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires improvement to be good",
    "inadequate": "Inadequate",
}


def money(amount: str | None) -> str:
    """An exact amount in pounds, e.g. £5,000,000.00."""
    return "" if amount is None else f"£{Decimal(amount):,.2f}"


def _describe(kind: str, f: dict[str, Any]) -> tuple[str, str]:
    if kind == "inspection":
        overall = f["grades"].get("overall_effectiveness")
        summary = (
            f"Overall effectiveness: {GRADE_LABELS[overall]}"
            if overall
            else "No overall effectiveness grade under this framework"
        )
        return (
            f"Inspection report published ({f['framework']}, {f['kind'].replace('_', ' ')})",
            summary,
        )
    if kind == "monitoring_visit":
        number = f" {f['number']}" if f.get("number") else ""
        return f"Monitoring visit{number}: letter published", f["progress_statement"]
    if kind == "decision":
        investment = f"; investment {money(f['investment'])}" if f.get("investment") else ""
        return f"{f['body']}: {f['title']}", f"{f['summary']}{investment}".strip("; ")
    if kind == "intervention":
        return (
            f"{INTERVENTION_LABELS[f['kind']]}: {f['title']}",
            f"By {f['by']}. {f['detail']}".strip(),
        )
    if kind == "recommendation":
        return f"Recommendation {f['ref']} issued", f["text"]
    if kind == "action":
        return f"Action planned: {f['title']}", f"Owner {f['owner']}; due {f['due_date']}"
    return kind, ""


def _stored(e: PlainEvent, kind: str, ref: str, facts: dict[str, Any]) -> dict[str, Any]:
    """An entry as the document keeps it: without the title and summary its facts give."""
    return {
        "date": e.meta["effective_date"],
        "kind": kind,
        "event": e.name,
        "ref": ref,
        "facts": facts,
        **recorded(e),
    }


def _creation(kind: str) -> Fold:
    def fold(doc: Document, e: PlainEvent) -> None:
        facts = copied(e.data)
        facts.pop("originator_topic", None)
        doc["entries"].append(_stored(e, kind, e.data["ref"], facts))

    return remember_ref(fold)


def _later(kind: str) -> Fold:
    def fold(doc: Document, e: PlainEvent) -> None:
        doc["entries"].append(_stored(e, kind, ref_of(doc, e), copied(e.data)))

    return fold


def _corrected(doc: Document, e: PlainEvent) -> None:
    _, ref = corrected_kind(e)
    facts = {
        "corrects": e.data["corrects"],
        "corrected_fields": copied(e.data["corrected_fields"]),
        "reason": e.data["reason"],
    }
    doc["entries"].append(_stored(e, "correction", ref, facts))


def _empty() -> Document:
    return {"entries": []}


# The events that create a record with an entry of its own, and the kind of each record.
CREATIONS = {
    "InspectionRecorded": "inspection",
    "MonitoringVisitRecorded": "monitoring_visit",
    "DecisionRecorded": "decision",
    "InterventionRecorded": "intervention",
    "RecommendationIssued": "recommendation",
    "ActionPlanned": "action",
}
Describe = Callable[[dict[str, Any], str], tuple[str, str]]
# The title and summary of each later event's entry, from its facts and its record's ref.
LATER: dict[str, tuple[str, Describe]] = {
    "RecommendationClosed": (
        "recommendation",
        lambda f, ref: (
            f"Recommendation {ref} closed",
            f"{f['evidence']} (decided by {f['decided_by']})",
        ),
    ),
    "RecommendationReopened": (
        "recommendation",
        lambda f, ref: (
            f"Recommendation {ref} reopened",
            f"{f['reason']} (decided by {f['decided_by']})",
        ),
    ),
    "ActionProgressUpdated": (
        "action",
        lambda f, ref: (f"Progress on action {ref}: {f['rag'].upper()}", f["narrative"]),
    ),
    "ActionDueDateRevised": (
        "action",
        lambda f, ref: (
            f"Due date of action {ref} moved from {f['previous_due_date']} to {f['new_due_date']}",
            f"{f['reason']} (approved by {f['approver']})",
        ),
    ),
    "ActionAssigned": (
        "action",
        lambda f, ref: (f"Action {ref} assigned to {f['person']}", _reassigned(f)),
    ),
    "ActionCompleted": ("action", lambda f, ref: (f"Action {ref} completed", f["evidence"])),
    "ActionCancelled": ("action", lambda f, ref: (f"Action {ref} cancelled", f["reason"])),
    "IndicatorReadingRecorded": (
        "indicator",
        lambda f, ref: (
            f"Reading for {ref}: {f['value']}",
            f"Period ending {f['period_end']}. {f['note']}".strip(),
        ),
    ),
}


def _reassigned(facts: dict[str, Any]) -> str:
    previous = facts.get("previous")
    return f"Previously assigned to {previous}" if previous else "Its first assignment to a person"


ITEM_WORDS = {
    "due_soon": "due soon",
    "due_today": "due today",
    "overdue": "overdue",
    "update_asked": "update asked for",
    "escalated_manager": "escalated to the owner's manager",
    "escalated_board": "escalated to the board",
}


def _reminder_sent(doc: Document, e: PlainEvent) -> None:
    """A reminder has no creation entry: its entry is the message sent, named person/day."""
    ref = f"{e.data['person']}/{e.data['day']}"
    facts = {k: copied(e.data[k]) for k in ("person", "day", "items", "transport")}
    doc["entries"].append(_stored(e, "reminder", ref, facts))


def _describe_reminder(facts: dict[str, Any]) -> tuple[str, str]:
    items = facts["items"]
    escalations = [i for i in items if i["kind"].startswith("escalated")]
    what = "Escalation" if escalations and len(escalations) == len(items) else "Reminder"
    count = len({i["action"] for i in items})
    title = f"{what} sent to {facts['person']} about {count} action{'s' if count != 1 else ''}"
    summary = "; ".join(f"{i['action']}: {ITEM_WORDS.get(i['kind'], i['kind'])}" for i in items)
    return title, summary


FOLDS: dict[str, Fold] = {
    **{name: _creation(kind) for name, kind in CREATIONS.items()},
    # No entry of its own, but its readings need to find the indicator's ref.
    "IndicatorDefined": remember_ref(lambda _doc, _event: None),
    **{name: _later(kind) for name, (kind, _) in LATER.items()},
    "ReminderSent": _reminder_sent,
    "Corrected": _corrected,
}


class TimelineProjection:
    """The journey timeline of one authority."""

    name = "timeline"
    # 2: entries stored as rows, described when read (1 kept them described in the document).
    format = 2
    appends_to: str | None = "entries"

    def empty(self) -> Document:
        return _empty()

    def handles(self, event_name: str) -> bool:
        return event_name in FOLDS

    def apply(self, doc: Document, event: PlainEvent) -> None:
        fold = FOLDS.get(event.name)
        if fold is not None:
            fold(doc, event)


TIMELINE = TimelineProjection()


def _describe_correction(facts: dict[str, Any], ref: str) -> tuple[str, str]:
    kind = facts["corrects"].partition("/")[0]
    changed = ", ".join(sorted(name.replace("_", " ") for name in facts["corrected_fields"]))
    title = f"Correction to {kind.replace('_', ' ')} {ref}"
    return title, f"Corrected {changed}: {facts['reason']}"


def _re_described(entry: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """A creation entry with corrected facts, title, summary and (if its date moved) date."""
    kind = entry["kind"]
    corrected = dict(entry)
    corrected["facts"] = {**entry["facts"], **copied(fields)}
    corrected["title"], corrected["summary"] = _describe(kind, corrected["facts"])
    if kind in DATE_FIELDS and DATE_FIELDS[kind] in fields:
        corrected["date"] = fields[DATE_FIELDS[kind]]
    corrected["corrected"] = True
    return corrected


def _presented(stored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries in the order recorded, each with its title and summary, and each creation
    entry as its corrections left it."""
    result: list[dict[str, Any]] = []
    creations: dict[str, int] = {}
    readings: dict[tuple[str, str], Any] = {}  # (indicator, period end): its value so far
    for entry in stored:
        event, kind, ref, facts = entry["event"], entry["kind"], entry["ref"], entry["facts"]
        if event in CREATIONS:
            title, summary = _describe(kind, facts)
            creations[f"{kind}/{ref}"] = len(result)
        elif kind == "correction":
            title, summary = _describe_correction(facts, ref)
            corrected = facts["corrected_fields"]
            previous: dict[str, Any] = {}
            created = creations.get(facts["corrects"])
            if created is not None:
                before = result[created]["facts"]
                previous = {name: copied(before[name]) for name in corrected if name in before}
                result[created] = _re_described(result[created], corrected)
            reading = corrected.get("reading")
            if isinstance(reading, dict) and "period_end" in reading:
                key = (ref, reading["period_end"])
                previous["reading"] = {"period_end": key[1], "value": readings.get(key)}
                readings[key] = reading.get("value")
            facts = {**facts, "previous_fields": previous}
        elif event == "ReminderSent":
            title, summary = _describe_reminder(facts)
        else:
            if event == "IndicatorReadingRecorded":
                readings[(ref, facts["period_end"])] = facts["value"]
            title, summary = LATER[event][1](facts, ref)
        result.append(
            {
                "date": entry["date"],
                "kind": kind,
                "event": event,
                "ref": ref,
                "title": title,
                "summary": summary,
                "facts": facts,
                "recorded_at": entry["recorded_at"],
                "recorded_by": entry["recorded_by"],
                "source": entry["source"],
            }
        )
    return result


def entries(
    doc: Document,
    as_of: date,
    start: date | None = None,
    end: date | None = None,
    kinds: Iterable[str] = (),
) -> list[dict[str, Any]]:
    """Entries dated by `as_of` (and within `start`..`end`), of the given kinds, oldest first."""
    last = min(as_of, end) if end else as_of
    wanted = set(kinds)
    chosen = [
        e
        for e in _presented(doc["entries"])
        if e["date"] <= last.isoformat()
        and (start is None or e["date"] >= start.isoformat())
        and (not wanted or e["kind"] in wanted)
    ]
    return sorted(chosen, key=lambda e: (e["date"], e["recorded_at"]))


def latest(doc: Document, kind: str, as_of: date) -> dict[str, Any] | None:
    """The newest entry of a kind's creation (e.g. the latest monitoring visit) as of a day."""
    found = [
        e
        for e in _presented(doc["entries"])
        if e["kind"] == kind and e["event"].endswith("Recorded") and e["date"] <= as_of.isoformat()
    ]
    return max(found, key=lambda e: (e["date"], e["recorded_at"])) if found else None
