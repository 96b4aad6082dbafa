"""The test oracle: the read models as a straightforward replay of the log folds them.

These are the folds the read models were kept with before they became bitemporal rows: one JSON
document per projection and authority, each event folded into it in the order recorded. A
replay folds only the events recorded by an instant, from the first event of the log: slow, and
obviously right. Tests compare every answer of the indexed read models with the same view
functions applied to these documents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from ledger.application.log import PlainEvent
from ledger.application.service import JourneyLedger
from projections.jsonable import copied, corrected_kind, recorded
from projections.timeline import CREATIONS, DATE_FIELDS, LATER, describe, describe_reminder

Document = dict[str, Any]
Fold = Callable[[Document, PlainEvent], None]


class FoldTable:
    """A projection built from one fold function per event name; other events are ignored."""

    appends_to: str | None = None

    def __init__(
        self, name: str, empty: Callable[[], Document], folds: dict[str, Fold], format: int = 1
    ) -> None:
        self.name = name
        self.format = format
        self._empty = empty
        self._folds = folds

    def empty(self) -> Document:
        return self._empty()

    def handles(self, event_name: str) -> bool:
        return event_name in self._folds

    def apply(self, doc: Document, event: PlainEvent) -> None:
        fold = self._folds.get(event.name)
        if fold is not None:
            fold(doc, event)


def remember_ref(fold: Fold) -> Fold:
    """Wrap a record's creating fold so later events of the record can find its ref by id."""

    def remembering(doc: Document, event: PlainEvent) -> None:
        fold(doc, event)
        doc.setdefault("ids", {})[event.originator_id] = event.data["ref"]

    return remembering


def ref_of(doc: Document, event: PlainEvent) -> str:
    """The ref of the record a later event belongs to (later events don't repeat it)."""
    return str(doc["ids"][event.originator_id])


# -- authorities ------------------------------------------------------------


def _authorities_empty() -> Document:
    return {}


def _authority_registered(doc: Document, e: PlainEvent) -> None:
    d = e.data
    doc.update(
        {
            "slug": d["slug"],
            "name": d["name"],
            "code": d["code"],
            "region": d["region"],
            "abolished": None,
            "successors": [],
            **recorded(e),
        }
    )


def _authority_reorganised(doc: Document, e: PlainEvent) -> None:
    doc["abolished"] = e.meta["effective_date"]
    doc["successors"] = copied(e.data["successors"])


def _authority_corrected(doc: Document, e: PlainEvent) -> None:
    kind, _ = corrected_kind(e)
    if kind == "authority":
        doc.update(copied(e.data["corrected_fields"]))


AUTHORITIES = FoldTable(
    "authorities",
    _authorities_empty,
    {
        "AuthorityRegistered": _authority_registered,
        "AuthorityReorganised": _authority_reorganised,
        "Corrected": _authority_corrected,
    },
)


# -- judgements ------------------------------------------------------------


def _judgements_empty() -> Document:
    return {"inspections": {}}


def _inspection_recorded(doc: Document, event: PlainEvent) -> None:
    d = event.data
    doc["inspections"][d["ref"]] = {
        "ref": d["ref"],
        "framework": d["framework"],
        "kind": d["kind"],
        "first_day": d["first_day"],
        "last_day": d["last_day"],
        "published": d["published"],
        "grades": copied(d["grades"]),
        "report_url": d["report_url"],
        **recorded(event),
    }


def _judgements_corrected(doc: Document, event: PlainEvent) -> None:
    kind, ref = corrected_kind(event)
    if kind == "inspection" and ref in doc["inspections"]:
        doc["inspections"][ref].update(copied(event.data["corrected_fields"]))


JUDGEMENTS = FoldTable(
    "judgements",
    _judgements_empty,
    {"InspectionRecorded": _inspection_recorded, "Corrected": _judgements_corrected},
)


# -- recommendations -------------------------------------------------------


def _recommendations_empty() -> Document:
    return {"recommendations": {}}


def _issued(doc: Document, e: PlainEvent) -> None:
    d = e.data
    issued = e.meta["effective_date"]
    doc["recommendations"][d["ref"]] = {
        "ref": d["ref"],
        "origin": d["origin"],
        "origin_kind": d["origin_kind"],
        "text": d["text"],
        "area": d["area"],
        "issued": issued,
        "history": [{"date": issued, "status": "open", **recorded(e)}],
        **recorded(e),
    }


def _recommendation_closed(doc: Document, e: PlainEvent) -> None:
    d = e.data
    doc["recommendations"][ref_of(doc, e)]["history"].append(
        {
            "date": e.meta["effective_date"],
            "status": "closed",
            "evidence": d["evidence"],
            "decided_by": d["decided_by"],
            **recorded(e),
        }
    )


def _reopened(doc: Document, e: PlainEvent) -> None:
    d = e.data
    doc["recommendations"][ref_of(doc, e)]["history"].append(
        {
            "date": e.meta["effective_date"],
            "status": "open",
            "reason": d["reason"],
            "decided_by": d["decided_by"],
            **recorded(e),
        }
    )


def _recommendations_corrected(doc: Document, e: PlainEvent) -> None:
    kind, ref = corrected_kind(e)
    if kind == "recommendation" and ref in doc["recommendations"]:
        doc["recommendations"][ref].update(copied(e.data["corrected_fields"]))


RECOMMENDATIONS = FoldTable(
    "recommendations",
    _recommendations_empty,
    {
        "RecommendationIssued": remember_ref(_issued),
        "RecommendationClosed": _recommendation_closed,
        "RecommendationReopened": _reopened,
        "Corrected": _recommendations_corrected,
    },
)


# -- actions ---------------------------------------------------------------


def _actions_empty() -> Document:
    return {"actions": {}}


def _planned(doc: Document, e: PlainEvent) -> None:
    d = e.data
    planned = e.meta["effective_date"]
    doc["actions"][d["ref"]] = {
        "ref": d["ref"],
        "title": d["title"],
        "owner": d["owner"],
        "answers": copied(d["answers"]),
        "planned": planned,
        "original_due_date": d["due_date"],
        "due_history": [{"date": planned, "due_date": d["due_date"]}],
        "progress": [],
        "closed": None,
        **recorded(e),
    }


def _progress(doc: Document, e: PlainEvent) -> None:
    d = e.data
    doc["actions"][ref_of(doc, e)]["progress"].append(
        {
            "date": e.meta["effective_date"],
            "rag": d["rag"],
            "narrative": d["narrative"],
            "evidence": copied(d["evidence"]),
            **recorded(e),
        }
    )


def _revised(doc: Document, e: PlainEvent) -> None:
    d = e.data
    doc["actions"][ref_of(doc, e)]["due_history"].append(
        {
            "date": e.meta["effective_date"],
            "due_date": d["new_due_date"],
            "previous_due_date": d["previous_due_date"],
            "reason": d["reason"],
            "approver": d["approver"],
            **recorded(e),
        }
    )


def _closer(status: str, note_field: str) -> Fold:
    def fold(doc: Document, e: PlainEvent) -> None:
        doc["actions"][ref_of(doc, e)]["closed"] = {
            "date": e.meta["effective_date"],
            "status": status,
            "note": e.data[note_field],
            **recorded(e),
        }

    return fold


def _actions_corrected(doc: Document, e: PlainEvent) -> None:
    kind, ref = corrected_kind(e)
    if kind == "action" and ref in doc["actions"]:
        doc["actions"][ref].update(copied(e.data["corrected_fields"]))


ACTIONS = FoldTable(
    "actions",
    _actions_empty,
    {
        "ActionPlanned": remember_ref(_planned),
        "ActionProgressUpdated": _progress,
        "ActionDueDateRevised": _revised,
        "ActionCompleted": _closer("complete", "evidence"),
        "ActionCancelled": _closer("cancelled", "reason"),
        "Corrected": _actions_corrected,
    },
)


# -- indicators ------------------------------------------------------------


def _indicators_empty() -> Document:
    return {"indicators": {}}


def _indicator_defined(doc: Document, e: PlainEvent) -> None:
    d = e.data
    doc["indicators"][d["ref"]] = {
        "ref": d["ref"],
        "name": d["name"],
        "unit": d["unit"],
        "higher_is_better": d["higher_is_better"],
        "target": d["target"],
        "readings": {},
        **recorded(e),
    }


def _reading(doc: Document, e: PlainEvent) -> None:
    d = e.data
    doc["indicators"][ref_of(doc, e)]["readings"][d["period_end"]] = {
        "period_end": d["period_end"],
        "value": d["value"],
        "note": d["note"],
        **recorded(e),
    }


def _comparison(doc: Document, e: PlainEvent) -> None:
    d = e.data
    indicator = doc["indicators"][ref_of(doc, e)]
    indicator.setdefault("comparisons", {}).setdefault(d["series"], {})[d["period_end"]] = {
        "period_end": d["period_end"],
        "value": d["value"],
        **recorded(e),
    }


def _indicators_corrected(doc: Document, e: PlainEvent) -> None:
    kind, ref = corrected_kind(e)
    if kind != "indicator" or ref not in doc["indicators"]:
        return
    fields = copied(e.data["corrected_fields"])
    reading = fields.pop("reading", None)
    indicator = doc["indicators"][ref]
    if reading is not None:
        indicator["readings"][reading["period_end"]].update(
            {"value": reading["value"], "corrected": e.data["reason"]}
        )
    indicator.update(fields)


INDICATORS = FoldTable(
    "indicators",
    _indicators_empty,
    {
        "IndicatorDefined": remember_ref(_indicator_defined),
        "IndicatorReadingRecorded": _reading,
        "IndicatorComparisonRecorded": _comparison,
        "Corrected": _indicators_corrected,
    },
)


# -- people ----------------------------------------------------------------

DETAILS = ("name", "email", "title", "manager", "roles", "account", "digest")


def _people_empty() -> Document:
    return {"people": {}, "assignments": {}}


def _person_added(doc: Document, e: PlainEvent) -> None:
    d = e.data
    doc["people"][d["ref"]] = {
        "ref": d["ref"],
        "added": e.meta["effective_date"],
        "details": {name: copied(d[name]) for name in DETAILS},
        "updates": [],
        "left": None,
        **recorded(e),
    }


def _person_updated(doc: Document, e: PlainEvent) -> None:
    doc["people"][ref_of(doc, e)]["updates"].append(
        {"date": e.meta["effective_date"], "changes": copied(e.data["changes"]), **recorded(e)}
    )


def _person_left(doc: Document, e: PlainEvent) -> None:
    doc["people"][ref_of(doc, e)]["left"] = {
        "date": e.meta["effective_date"],
        "reason": e.data["reason"],
        **recorded(e),
    }


def _assigned(doc: Document, e: PlainEvent) -> None:
    doc["assignments"].setdefault(ref_of(doc, e), []).append(
        {
            "date": e.meta["effective_date"],
            "person": e.data["person"],
            "previous": e.data["previous"],
            **recorded(e),
        }
    )


def _people_corrected(doc: Document, e: PlainEvent) -> None:
    kind, ref = corrected_kind(e)
    if kind == "person" and ref in doc["people"]:
        # A correction says the details were wrong from the start: it changes them as added.
        doc["people"][ref]["details"].update(copied(e.data["corrected_fields"]))


PEOPLE = FoldTable(
    "people",
    _people_empty,
    {
        "PersonAdded": remember_ref(_person_added),
        "PersonUpdated": _person_updated,
        "PersonLeft": _person_left,
        # Assignments are events of actions: their refs are needed to file them.
        "ActionPlanned": remember_ref(lambda _doc, _event: None),
        "ActionAssigned": _assigned,
        "Corrected": _people_corrected,
    },
)


# -- reminders -------------------------------------------------------------


def _reminders_empty() -> Document:
    return {"messages": []}


def _reminder_sent(doc: Document, e: PlainEvent) -> None:
    d = e.data
    doc["messages"].append(
        {
            "outcome": "sent",
            "day": d["day"],
            "person": d["person"],
            "attempt": d["attempt"],
            "items": copied(d["items"]),
            "address": d["address"],
            "transport": d["transport"],
            "detail": d["detail"],
            **recorded(e),
        }
    )


def _reminder_failed(doc: Document, e: PlainEvent) -> None:
    d = e.data
    doc["messages"].append(
        {
            "outcome": "failed",
            "day": d["day"],
            "person": d["person"],
            "attempt": d["attempt"],
            "items": [],
            "error": d["error"],
            "permanent": d["permanent"],
            **recorded(e),
        }
    )


REMINDERS = FoldTable(
    "reminders",
    _reminders_empty,
    {"ReminderSent": _reminder_sent, "ReminderFailed": _reminder_failed},
)


# -- timeline --------------------------------------------------------------


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


def _timeline_corrected(doc: Document, e: PlainEvent) -> None:
    _, ref = corrected_kind(e)
    facts = {
        "corrects": e.data["corrects"],
        "corrected_fields": copied(e.data["corrected_fields"]),
        "reason": e.data["reason"],
    }
    doc["entries"].append(_stored(e, "correction", ref, facts))


def _timeline_reminder(doc: Document, e: PlainEvent) -> None:
    ref = f"{e.data['person']}/{e.data['day']}"
    facts = {k: copied(e.data[k]) for k in ("person", "day", "items", "transport")}
    doc["entries"].append(_stored(e, "reminder", ref, facts))


def _timeline_empty() -> Document:
    return {"entries": []}


# The events that create a record with an entry of its own, and the kind of each record.
FOLDS: dict[str, Fold] = {
    **{name: _creation(kind) for name, kind in CREATIONS.items()},
    # No entry of its own, but its readings need to find the indicator's ref.
    "IndicatorDefined": remember_ref(lambda _doc, _event: None),
    **{name: _later(kind) for name, (kind, _) in LATER.items()},
    "ReminderSent": _timeline_reminder,
    "Corrected": _timeline_corrected,
}


class TimelineProjection:
    """The journey timeline of one authority."""

    name = "timeline"
    # 2: entries stored as rows, described when read (1 kept them described in the document).
    format = 2
    appends_to: str | None = "entries"

    def empty(self) -> Document:
        return _timeline_empty()

    def handles(self, event_name: str) -> bool:
        return event_name in FOLDS

    def apply(self, doc: Document, event: PlainEvent) -> None:
        fold = FOLDS.get(event.name)
        if fold is not None:
            fold(doc, event)


TIMELINE = TimelineProjection()


# -- the timeline as the oracle presents it: creation entries re-described when read -----


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
    corrected["title"], corrected["summary"] = describe(kind, corrected["facts"])
    if kind in DATE_FIELDS and DATE_FIELDS[kind] in fields:
        corrected["date"] = fields[DATE_FIELDS[kind]]
    corrected["corrected"] = True
    return corrected


def presented(stored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries in the order recorded, each with its title and summary, and each creation
    entry as its corrections left it."""
    result: list[dict[str, Any]] = []
    creations: dict[str, int] = {}
    readings: dict[tuple[str, str], Any] = {}  # (indicator, period end): its value so far
    for entry in stored:
        event, kind, ref, facts = entry["event"], entry["kind"], entry["ref"], entry["facts"]
        if event in CREATIONS:
            title, summary = describe(kind, facts)
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
            title, summary = describe_reminder(facts)
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


ORACLE_PROJECTIONS = (
    AUTHORITIES,
    JUDGEMENTS,
    RECOMMENDATIONS,
    ACTIONS,
    TIMELINE,
    INDICATORS,
    PEOPLE,
    REMINDERS,
)


def replay(
    ledger: JourneyLedger, authority: str | None, known_at: datetime | None
) -> dict[tuple[str, str], Document]:
    """Fold only the events recorded at or before `known_at` (every event if None)."""
    docs: dict[tuple[str, str], Document] = {}
    for event in ledger.plain_events():
        if known_at is not None and datetime.fromisoformat(event.recorded_at) > known_at:
            continue
        owner = event.authority
        if authority is not None and owner != authority:
            continue
        for projection in ORACLE_PROJECTIONS:
            key = (projection.name, owner)
            if key not in docs:
                docs[key] = projection.empty()
            if projection.handles(event.name):
                projection.apply(docs[key], event)
    return docs
