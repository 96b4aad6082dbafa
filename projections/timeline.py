"""The journey timeline: one entry per event, dated by when it was true, with filters.

Registering an authority or defining an indicator is bookkeeping, not part of the journey: those
events stay in the log and exports but have no timeline entry.

Each entry is a row holding its facts; its title and summary are worded from them when read. A
correction gets an entry of its own, saying what each field it corrects held before
(`facts["previous_fields"]`, as far as the timeline knows the record), and writes a new version of
its record's creation entry with the corrected facts (moved, if its date was corrected): the old
version's transaction time ends, so the timeline as known before the correction still shows the
record as it was recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from ledger.application.log import PlainEvent
from projections.jsonable import copied, corrected_kind, recorded
from projections.rows import Row, RowWrite
from projections.writes import Current, Document, Projection, Writer, row, sub_record

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


def describe(kind: str, f: dict[str, Any]) -> tuple[str, str]:
    """The title and summary of a record's creation entry, from its facts."""
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


NAME = "timeline"


def _stored(e: PlainEvent, kind: str, ref: str, facts: dict[str, Any]) -> dict[str, Any]:
    """An entry as its row keeps it: without the title and summary its facts give."""
    return {
        "date": e.meta["effective_date"],
        "kind": kind,
        "event": e.name,
        "ref": ref,
        "facts": facts,
        **recorded(e),
    }


def _entry(
    e: PlainEvent, record: str, entry: dict[str, Any], *, replaces: bool = False
) -> RowWrite:
    date_, kind = entry["date"], entry["kind"]
    return row(NAME, e, "entry", record, entry, date_, kind, replaces=replaces)


def _creation(kind: str) -> Writer:
    def write(e: PlainEvent, _: Current) -> list[RowWrite]:
        facts = copied(e.data)
        facts.pop("originator_topic", None)
        return [_entry(e, e.originator_id, _stored(e, kind, e.data["ref"], facts))]

    return write


def _ref_of(e: PlainEvent, current: Current) -> str:
    """The ref of the record a later event belongs to (later events don't repeat it)."""
    found = current(NAME, "entry", e.originator_id) or current(NAME, "ref", e.originator_id)
    if found is None:
        raise KeyError(f"no record {e.originator_id} for {e.name} at {e.position}")
    return str(found["ref"])


def _later(kind: str) -> Writer:
    def write(e: PlainEvent, current: Current) -> list[RowWrite]:
        entry = _stored(e, kind, _ref_of(e, current), copied(e.data))
        if e.name == "IndicatorReadingRecorded":
            # One reading a period: its entry is found by period when a correction says what
            # the reading held before.
            return [_entry(e, _reading_record(e.originator_id, e.data["period_end"]), entry)]
        return [_entry(e, sub_record(e), entry)]

    return write


def _reading_record(indicator: str, period_end: str) -> str:
    return f"{indicator}/{period_end}"


def _indicator_defined(e: PlainEvent, _: Current) -> list[RowWrite]:
    # No entry of its own, but its readings' entries need the indicator's ref.
    return [row(NAME, e, "ref", e.originator_id, {"ref": e.data["ref"]})]


def _corrected(e: PlainEvent, current: Current) -> list[RowWrite]:
    """The correction's own entry, saying what each field held before as far as the timeline
    knows the record; and, if the record has a creation entry, a new version of it that says
    what the corrected record says (moved, if its date was corrected)."""
    _, ref = corrected_kind(e)
    fields = e.data["corrected_fields"]
    created = current(NAME, "entry", e.originator_id)
    previous: dict[str, Any] = {}
    if created is not None:
        before = created["facts"]
        previous = {name: copied(before[name]) for name in fields if name in before}
    reading = fields.get("reading")
    writes: list[RowWrite] = []
    if isinstance(reading, dict) and "period_end" in reading:
        # The reading as it stood: as last corrected, else as its own entry recorded it.
        record = _reading_record(e.originator_id, reading["period_end"])
        corrected_before = current(NAME, "value", record)
        recorded_entry = current(NAME, "entry", record)
        if corrected_before is not None:
            value = corrected_before["value"]
        else:
            value = None if recorded_entry is None else recorded_entry["facts"]["value"]
        previous["reading"] = {"period_end": reading["period_end"], "value": value}
        now = {"value": reading.get("value")}
        writes.append(row(NAME, e, "value", record, now, replaces=True))
    facts = {
        "corrects": e.data["corrects"],
        "corrected_fields": copied(fields),
        "reason": e.data["reason"],
        "previous_fields": previous,
    }
    writes.insert(0, _entry(e, sub_record(e), _stored(e, "correction", ref, facts)))
    if created is not None:
        writes.append(_entry(e, e.originator_id, _re_described(created, fields), replaces=True))
    return writes


def _re_described(entry: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """A creation entry with corrected facts and (if its date moved) date."""
    kind = entry["kind"]
    corrected = dict(entry)
    corrected["facts"] = {**entry["facts"], **copied(fields)}
    if kind in DATE_FIELDS and DATE_FIELDS[kind] in fields:
        corrected["date"] = fields[DATE_FIELDS[kind]]
    corrected["corrected"] = True
    return corrected


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


def _reminder_sent(e: PlainEvent, _: Current) -> list[RowWrite]:
    """A reminder has no creation entry: its entry is the message sent, named person/day."""
    ref = f"{e.data['person']}/{e.data['day']}"
    facts = {k: copied(e.data[k]) for k in ("person", "day", "items", "transport")}
    return [_entry(e, sub_record(e), _stored(e, "reminder", ref, facts))]


def describe_reminder(facts: dict[str, Any]) -> tuple[str, str]:
    items = facts["items"]
    escalations = [i for i in items if i["kind"].startswith("escalated")]
    what = "Escalation" if escalations and len(escalations) == len(items) else "Reminder"
    count = len({i["action"] for i in items})
    title = f"{what} sent to {facts['person']} about {count} action{'s' if count != 1 else ''}"
    summary = "; ".join(f"{i['action']}: {ITEM_WORDS.get(i['kind'], i['kind'])}" for i in items)
    return title, summary


WRITERS: dict[str, Writer] = {
    **{name: _creation(kind) for name, kind in CREATIONS.items()},
    "IndicatorDefined": _indicator_defined,
    **{name: _later(kind) for name, (kind, _) in LATER.items()},
    "ReminderSent": _reminder_sent,
    "Corrected": _corrected,
}


def _assemble(rows: Sequence[Row]) -> Document:
    return {"entries": [r.body for r in rows if r.kind == "entry"]}


TIMELINE = Projection(NAME, WRITERS, _assemble)


def _describe_correction(facts: dict[str, Any], ref: str) -> tuple[str, str]:
    kind = facts["corrects"].partition("/")[0]
    changed = ", ".join(sorted(name.replace("_", " ") for name in facts["corrected_fields"]))
    title = f"Correction to {kind.replace('_', ' ')} {ref}"
    return title, f"Corrected {changed}: {facts['reason']}"


def presented(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry as people read it: with the title and summary its facts give."""
    event, kind, ref, facts = entry["event"], entry["kind"], entry["ref"], entry["facts"]
    if event in CREATIONS:
        title, summary = describe(kind, facts)
    elif kind == "correction":
        title, summary = _describe_correction(facts, ref)
    elif event == "ReminderSent":
        title, summary = describe_reminder(facts)
    else:
        title, summary = LATER[event][1](facts, ref)
    shown = {
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
    if entry.get("corrected"):
        shown["corrected"] = True
    return shown


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
        for e in map(presented, doc["entries"])
        if e["date"] <= last.isoformat()
        and (start is None or e["date"] >= start.isoformat())
        and (not wanted or e["kind"] in wanted)
    ]
    return sorted(chosen, key=lambda e: (e["date"], e["recorded_at"]))


def latest(doc: Document, kind: str, as_of: date) -> dict[str, Any] | None:
    """The newest entry of a kind's creation (e.g. the latest monitoring visit) as of a day."""
    found = [
        e
        for e in map(presented, doc["entries"])
        if e["kind"] == kind and e["event"].endswith("Recorded") and e["date"] <= as_of.isoformat()
    ]
    return max(found, key=lambda e: (e["date"], e["recorded_at"])) if found else None
