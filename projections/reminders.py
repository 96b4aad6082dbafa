"""Reminders and escalations as sent (and the attempts that failed): what each person was told
about which action, and when. The sender reads which reasons were told already from here, so a
reason is told once for ever; an action's page and a person's page show what was sent."""

from __future__ import annotations

from typing import Any

from ledger.application.log import PlainEvent
from projections.jsonable import copied, recorded
from projections.projection import Document, FoldTable


def _empty() -> Document:
    return {"messages": []}


def _sent(doc: Document, e: PlainEvent) -> None:
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


def _failed(doc: Document, e: PlainEvent) -> None:
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


REMINDERS = FoldTable("reminders", _empty, {"ReminderSent": _sent, "ReminderFailed": _failed})

Slot = tuple[str, str, str]  # (action, slot, person told)


def told(doc: Document) -> set[Slot]:
    """Every (action, slot, person) a sent message told."""
    return {
        (item["action"], item["slot"], m["person"])
        for m in doc["messages"]
        if m["outcome"] == "sent"
        for item in m["items"]
    }


def about_action(doc: Document, action: str) -> list[dict[str, Any]]:
    """What sent messages told anyone about `action`, one entry per message and item."""
    return [
        {
            "day": m["day"],
            "person": m["person"],
            "kind": item["kind"],
            "slot": item["slot"],
            "detail": item.get("detail", ""),
            "about": item.get("owner"),
            "recorded_at": m["recorded_at"],
            "recorded_by": m["recorded_by"],
            "address": m["address"],
        }
        for m in doc["messages"]
        if m["outcome"] == "sent"
        for item in m["items"]
        if item["action"] == action
    ]


def to_person(doc: Document, person: str) -> list[dict[str, Any]]:
    """Every message to `person`, sent or failed, newest first."""
    found = [copied(m) for m in doc["messages"] if m["person"] == person]
    return sorted(found, key=lambda m: m["recorded_at"], reverse=True)
