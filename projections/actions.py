"""The action tracker: each improvement-plan action's status, RAG, due date and its history, as of
any day; overdue actions, actions due soon, and actions whose due date slipped."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from ledger.application.log import PlainEvent
from projections.jsonable import copied, corrected_kind, recorded
from projections.rows import Row, RowWrite
from projections.writes import Current, Document, Projection, Writer, row, sub_record

DUE_SOON_DAYS = 14


NAME = "actions"


def _planned(e: PlainEvent, _: Current) -> list[RowWrite]:
    d = e.data
    body = {
        "ref": d["ref"],
        "title": d["title"],
        "owner": d["owner"],
        "answers": copied(d["answers"]),
        "planned": e.meta["effective_date"],
        "original_due_date": d["due_date"],
        **recorded(e),
    }
    return [_head(e, body)]


def _head(e: PlainEvent, body: dict[str, Any], *, replaces: bool = False) -> RowWrite:
    return row(
        NAME, e, "action", e.originator_id, body, valid_from=body["planned"], replaces=replaces
    )


def _progress(e: PlainEvent, _: Current) -> list[RowWrite]:
    d = e.data
    body = {
        "date": e.meta["effective_date"],
        "rag": d["rag"],
        "narrative": d["narrative"],
        "evidence": copied(d["evidence"]),
        **recorded(e),
    }
    return [
        row(NAME, e, "update", sub_record(e), body, valid_from=body["date"], parent=e.originator_id)
    ]


def _revised(e: PlainEvent, _: Current) -> list[RowWrite]:
    d = e.data
    body = {
        "date": e.meta["effective_date"],
        "due_date": d["new_due_date"],
        "previous_due_date": d["previous_due_date"],
        "reason": d["reason"],
        "approver": d["approver"],
        **recorded(e),
    }
    return [
        row(NAME, e, "due", sub_record(e), body, valid_from=body["date"], parent=e.originator_id)
    ]


def _closer(status: str, note_field: str) -> Writer:
    def write(e: PlainEvent, _: Current) -> list[RowWrite]:
        body = {
            "date": e.meta["effective_date"],
            "status": status,
            "note": e.data[note_field],
            **recorded(e),
        }
        record = e.originator_id
        return [row(NAME, e, "closed", record, body, valid_from=body["date"], parent=record)]

    return write


def _corrected(e: PlainEvent, current: Current) -> list[RowWrite]:
    kind, _ = corrected_kind(e)
    if kind != "action":
        return []
    found = current(NAME, "action", e.originator_id)
    if found is None:
        return []
    return [_head(e, {**found, **copied(e.data["corrected_fields"])}, replaces=True)]


def _assemble(rows: Sequence[Row]) -> Document:
    """The actions document: each action's plan with its updates, due dates and closing."""
    actions: dict[str, dict[str, Any]] = {}
    by_id: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r.kind == "action":
            action = dict(r.body)
            action["due_history"] = [
                {"date": action["planned"], "due_date": action["original_due_date"]}
            ]
            action["progress"] = []
            action["closed"] = None
            actions[action["ref"]] = by_id[r.record] = action
    for r in rows:
        if r.kind == "action":
            continue
        action = by_id[r.record.partition("@")[0]]
        if r.kind == "update":
            action["progress"].append(r.body)
        elif r.kind == "due":
            action["due_history"].append(r.body)
        else:
            action["closed"] = r.body
    return {"actions": actions}


ACTIONS = Projection(
    NAME,
    {
        "ActionPlanned": _planned,
        "ActionProgressUpdated": _progress,
        "ActionDueDateRevised": _revised,
        "ActionCompleted": _closer("complete", "evidence"),
        "ActionCancelled": _closer("cancelled", "reason"),
        "Corrected": _corrected,
    },
    _assemble,
)


def _on_or_before(entries: list[dict[str, Any]], day: str) -> list[dict[str, Any]]:
    return sorted((x for x in entries if x["date"] <= day), key=lambda x: x["date"])


def action_status(action: dict[str, Any], as_of: date) -> dict[str, Any] | None:
    """The action as it stood on `as_of`, or None if it was not yet planned."""
    day = as_of.isoformat()
    if action["planned"] > day:
        return None
    dues = _on_or_before(action["due_history"], day)
    progress = _on_or_before(action["progress"], day)
    closed = action["closed"] if action["closed"] and action["closed"]["date"] <= day else None
    due = dues[-1]["due_date"]
    status = closed["status"] if closed else "open"
    is_open = status == "open"
    latest = progress[-1] if progress else None
    return {
        "ref": action["ref"],
        "title": action["title"],
        "owner": action["owner"],
        "answers": action["answers"],
        "planned": action["planned"],
        "status": status,
        "rag": latest["rag"] if latest else None,
        "latest_update": latest,
        "updates": progress,
        "due_date": due,
        "original_due_date": action["original_due_date"],
        "revisions": dues[1:],
        "slipped": len(dues) > 1,
        "overdue": is_open and due < day,
        "days_overdue": (as_of - date.fromisoformat(due)).days if is_open and due < day else 0,
        "due_soon": is_open and day <= due <= (as_of + timedelta(days=DUE_SOON_DAYS)).isoformat(),
        "closed": closed,
        "source": action["source"],
    }


def tracker(doc: Document, as_of: date) -> dict[str, Any]:
    """Every action planned by `as_of`, with the overdue, due-soon and slipped ones named."""
    statuses = [s for a in doc["actions"].values() if (s := action_status(a, as_of)) is not None]
    statuses.sort(key=lambda s: (s["status"] != "open", s["due_date"], s["ref"]))
    return {
        "as_of": as_of.isoformat(),
        "due_soon_days": DUE_SOON_DAYS,
        "actions": statuses,
        "overdue": [s["ref"] for s in statuses if s["overdue"]],
        "due_soon": [s["ref"] for s in statuses if s["due_soon"]],
        "slipped": [s["ref"] for s in statuses if s["slipped"]],
        "red": [s["ref"] for s in statuses if s["status"] == "open" and s["rag"] == "red"],
    }
