"""Reminders and escalations as sent (and the attempts that failed): what each person was told
about which action, and when. The sender reads which reasons were told already from here, so a
reason is told once for ever; an action's page and a person's page show what was sent."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ledger.application.log import PlainEvent
from projections.jsonable import copied, recorded
from projections.rows import Row, RowWrite
from projections.writes import Current, Document, Projection, row, sub_record

NAME = "reminders"


def _sent(e: PlainEvent, _: Current) -> list[RowWrite]:
    d = e.data
    body = {
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
    return [_message(e, body)]


def _failed(e: PlainEvent, _: Current) -> list[RowWrite]:
    d = e.data
    body = {
        "outcome": "failed",
        "day": d["day"],
        "person": d["person"],
        "attempt": d["attempt"],
        "items": [],
        "error": d["error"],
        "permanent": d["permanent"],
        **recorded(e),
    }
    return [_message(e, body)]


def _message(e: PlainEvent, body: dict[str, Any]) -> RowWrite:
    return row(NAME, e, "message", sub_record(e), body, body["day"], body["person"])


def _assemble(rows: Sequence[Row]) -> Document:
    return {"messages": [r.body for r in rows if r.kind == "message"]}


REMINDERS = Projection(NAME, {"ReminderSent": _sent, "ReminderFailed": _failed}, _assemble)

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
