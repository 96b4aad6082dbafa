"""One action's page: the action as of a day, the person who owns it, the recommendations it
answers, and its whole history in date order: planning, progress updates with their ratings,
due dates revised (the original kept), assignments, corrections, and the reminders and
escalations sent about it."""

from __future__ import annotations

from datetime import date
from typing import Any

from projections import people, recommendations, reminders, timeline
from projections.actions import action_status
from projections.writes import Document

REMINDER_KINDS = {
    "due_soon": "Reminder sent",
    "due_today": "Reminder sent",
    "overdue": "Reminder sent",
    "update_asked": "Update asked for",
    "escalated_manager": "Escalated to the owner's manager",
    "escalated_board": "Escalated to the board",
}


def _entry(day: str, kind: str, title: str, **rest: Any) -> dict[str, Any]:
    return {"date": day, "kind": kind, "title": title, **rest}


def action_page(docs: dict[str, Document], ref: str, as_of: date) -> dict[str, Any] | None:
    """The page of action `ref` from the authority's `actions`, `people`, `reminders`,
    `recommendations` and `timeline` documents, or None if it was not planned by `as_of`."""
    stored = docs["actions"]["actions"].get(ref)
    if stored is None:
        return None
    action = action_status(stored, as_of)
    if action is None:
        return None
    people_doc = docs["people"]
    people.annotate([action], people_doc, as_of)
    everyone = {p["ref"]: p for p in people.people(people_doc, as_of)}

    def name(person: str | None) -> str | None:
        return everyone[person]["name"] if person in everyone else person

    day = as_of.isoformat()
    history = [
        _entry(
            action["planned"],
            "planned",
            "Action planned",
            detail=f"Owner {stored['owner']}; due {stored['original_due_date']}",
            recorded_at=stored["recorded_at"],
            recorded_by=stored["recorded_by"],
            source=stored["source"],
        )
    ]
    history += [
        _entry(
            u["date"],
            "progress",
            "Progress update",
            rag=u["rag"],
            detail=u["narrative"],
            evidence=u["evidence"],
            recorded_at=u["recorded_at"],
            recorded_by=u["recorded_by"],
            source=u["source"],
        )
        for u in action["updates"]
    ]
    history += [
        _entry(
            r["date"],
            "due_date_revised",
            "Due date revised",
            previous_due_date=r["previous_due_date"],
            due_date=r["due_date"],
            detail=f"{r['reason']} (approved by {r['approver']})",
            recorded_at=r["recorded_at"],
            recorded_by=r["recorded_by"],
            source=r["source"],
        )
        for r in action["revisions"]
    ]
    history += [
        _entry(
            a["date"],
            "assigned",
            f"Assigned to {name(a['person'])}",
            person=a["person"],
            previous=name(a["previous"]),
            recorded_at=a["recorded_at"],
            recorded_by=a["recorded_by"],
            source=a["source"],
        )
        for a in people.assignments(people_doc, ref, as_of)
    ]
    history += [
        _entry(
            r["day"],
            r["kind"],
            REMINDER_KINDS.get(r["kind"], "Reminder sent"),
            person=r["person"],
            person_name=name(r["person"]),
            detail=r["detail"],
            about=name(r["about"]),
            recorded_at=r["recorded_at"],
            recorded_by=r["recorded_by"],
            source=r["address"],
        )
        for r in reminders.about_action(docs["reminders"], ref)
        if r["day"] <= day
    ]
    corrections = [
        e
        for e in timeline.entries(docs["timeline"], as_of)
        if e["event"] == "Corrected" and e["facts"]["corrects"] == f"action/{ref}"
    ]
    history += [
        _entry(
            c["date"],
            "correction",
            "Corrected",
            detail=c["summary"],
            fields=c["facts"]["corrected_fields"],
            previous_fields=c["facts"].get("previous_fields", {}),
            recorded_at=c["recorded_at"],
            recorded_by=c["recorded_by"],
            source=c["source"],
        )
        for c in corrections
    ]
    if action["closed"]:
        closed = action["closed"]
        history.append(
            _entry(
                closed["date"],
                closed["status"],
                "Completed" if closed["status"] == "complete" else "Cancelled",
                detail=closed["note"],
                recorded_at=closed["recorded_at"],
                recorded_by=closed["recorded_by"],
                source=closed["source"],
            )
        )
    history.sort(key=lambda h: (h["date"], h["recorded_at"]))
    answered = []
    for rec_ref in action["answers"]:
        rec = docs["recommendations"]["recommendations"].get(rec_ref)
        view = recommendations.recommendation_view(rec, docs["actions"], as_of) if rec else None
        answered.append(
            {
                "ref": rec_ref,
                "text": view["text"] if view else "",
                "status": view["status"] if view else None,
            }
        )
    return {**action, "history": history, "recommendations": answered}
