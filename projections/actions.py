"""The action tracker: each improvement-plan action's status, RAG, due date and its history, as of
any day; overdue actions, actions due soon, and actions whose due date slipped."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from ledger.application.log import PlainEvent
from projections.jsonable import copied, corrected_kind, recorded
from projections.projection import Document, Fold, FoldTable, ref_of, remember_ref

DUE_SOON_DAYS = 14


def _empty() -> Document:
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


def _corrected(doc: Document, e: PlainEvent) -> None:
    kind, ref = corrected_kind(e)
    if kind == "action" and ref in doc["actions"]:
        doc["actions"][ref].update(copied(e.data["corrected_fields"]))


ACTIONS = FoldTable(
    "actions",
    _empty,
    {
        "ActionPlanned": remember_ref(_planned),
        "ActionProgressUpdated": _progress,
        "ActionDueDateRevised": _revised,
        "ActionCompleted": _closer("complete", "evidence"),
        "ActionCancelled": _closer("cancelled", "reason"),
        "Corrected": _corrected,
    },
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
