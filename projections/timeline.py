"""The journey timeline: one entry per event, dated by when it was true, with filters.

Registering an authority or defining an indicator is bookkeeping, not part of the journey: those
events stay in the log and exports but have no timeline entry.

A creation entry keeps the record's facts, so a later correction re-describes it (and the
correction gets an entry of its own: both stay visible).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from projections.jsonable import corrected_kind, event_name, jsonable, recorded
from projections.projection import Document, ref_of, remember_ref

KINDS = (
    "inspection",
    "monitoring_visit",
    "decision",
    "intervention",
    "recommendation",
    "action",
    "indicator",
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


def _entry(
    e: Any, kind: str, ref: str, title: str, summary: str, facts: dict[str, Any]
) -> dict[str, Any]:
    return {
        "date": e.meta.effective_date.isoformat(),
        "kind": kind,
        "event": event_name(e),
        "ref": ref,
        "title": title,
        "summary": summary,
        "facts": facts,
        **recorded(e),
    }


def _creation(kind: str) -> Callable[[Document, Any], None]:
    def fold(doc: Document, e: Any) -> None:
        facts = {
            k: jsonable(v)
            for k, v in vars(e).items()
            if k
            not in ("originator_id", "originator_version", "timestamp", "meta", "originator_topic")
        }
        title, summary = _describe(kind, facts)
        ref = e.ref
        doc["entries"].append(_entry(e, kind, ref, title, summary, facts))
        doc["creations"][f"{kind}/{ref}"] = len(doc["entries"]) - 1

    return remember_ref(fold)


def _later(
    kind: str, describe: Callable[[Any, str], tuple[str, str]]
) -> Callable[[Document, Any], None]:
    def fold(doc: Document, e: Any) -> None:
        ref = ref_of(doc, e)
        title, summary = describe(e, ref)
        facts = {
            k: jsonable(v)
            for k, v in vars(e).items()
            if k not in ("originator_id", "originator_version", "timestamp", "meta")
        }
        doc["entries"].append(_entry(e, kind, ref, title, summary, facts))

    return fold


def _corrected(doc: Document, e: Any) -> None:
    kind, ref = corrected_kind(e)
    fields = jsonable(e.corrected_fields)
    index = doc["creations"].get(f"{kind}/{ref}")
    if index is not None:
        entry = doc["entries"][index]
        entry["facts"].update(fields)
        entry["title"], entry["summary"] = _describe(kind, entry["facts"])
        if kind in DATE_FIELDS and DATE_FIELDS[kind] in fields:
            entry["date"] = fields[DATE_FIELDS[kind]]
        entry["corrected"] = True
    changed = ", ".join(sorted(fields))
    doc["entries"].append(
        _entry(
            e,
            "correction",
            ref,
            f"Correction to {kind.replace('_', ' ')} {ref}",
            f"Corrected {changed}: {e.reason}",
            {"corrects": e.corrects, "corrected_fields": fields, "reason": e.reason},
        )
    )


def _empty() -> Document:
    return {"entries": [], "creations": {}}


FOLDS: dict[str, Callable[[Document, Any], None]] = {
    "InspectionRecorded": _creation("inspection"),
    "MonitoringVisitRecorded": _creation("monitoring_visit"),
    "DecisionRecorded": _creation("decision"),
    "InterventionRecorded": _creation("intervention"),
    "RecommendationIssued": _creation("recommendation"),
    "ActionPlanned": _creation("action"),
    # No entry of its own, but its readings need to find the indicator's ref.
    "IndicatorDefined": remember_ref(lambda _doc, _event: None),
    "RecommendationClosed": _later(
        "recommendation",
        lambda e, ref: (
            f"Recommendation {ref} closed",
            f"{e.evidence} (decided by {e.decided_by})",
        ),
    ),
    "RecommendationReopened": _later(
        "recommendation",
        lambda e, ref: (
            f"Recommendation {ref} reopened",
            f"{e.reason} (decided by {e.decided_by})",
        ),
    ),
    "ActionProgressUpdated": _later(
        "action", lambda e, ref: (f"Progress on action {ref}: {e.rag.value.upper()}", e.narrative)
    ),
    "ActionDueDateRevised": _later(
        "action",
        lambda e, ref: (
            f"Due date of action {ref} moved from {e.previous_due_date} to {e.new_due_date}",
            f"{e.reason} (approved by {e.approver})",
        ),
    ),
    "ActionCompleted": _later("action", lambda e, ref: (f"Action {ref} completed", e.evidence)),
    "ActionCancelled": _later("action", lambda e, ref: (f"Action {ref} cancelled", e.reason)),
    "IndicatorReadingRecorded": _later(
        "indicator",
        lambda e, ref: (
            f"Reading for {ref}: {e.value}",
            f"Period ending {e.period_end}. {e.note}".strip(),
        ),
    ),
    "Corrected": _corrected,
}


class TimelineProjection:
    """The journey timeline of one authority."""

    name = "timeline"

    def empty(self) -> Document:
        return _empty()

    def apply(self, doc: Document, event: Any) -> None:
        fold = FOLDS.get(event_name(event))
        if fold is not None:
            fold(doc, event)


TIMELINE = TimelineProjection()


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
        for e in doc["entries"]
        if e["date"] <= last.isoformat()
        and (start is None or e["date"] >= start.isoformat())
        and (not wanted or e["kind"] in wanted)
    ]
    return sorted(chosen, key=lambda e: (e["date"], e["recorded_at"]))


def latest(doc: Document, kind: str, as_of: date) -> dict[str, Any] | None:
    """The newest entry of a kind's creation (e.g. the latest monitoring visit) as of a day."""
    found = [
        e
        for e in doc["entries"]
        if e["kind"] == kind and e["event"].endswith("Recorded") and e["date"] <= as_of.isoformat()
    ]
    return max(found, key=lambda e: (e["date"], e["recorded_at"])) if found else None
