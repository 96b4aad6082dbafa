"""Recommendations with their status as of any day, and the actions that answer them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from ledger.application.log import PlainEvent
from projections.actions import action_status
from projections.jsonable import copied, corrected_kind, recorded
from projections.rows import Row, RowWrite
from projections.writes import Current, Document, Projection, Writer, row, sub_record

NAME = "recommendations"


def _issued(e: PlainEvent, _: Current) -> list[RowWrite]:
    d = e.data
    body = {
        "ref": d["ref"],
        "origin": d["origin"],
        "origin_kind": d["origin_kind"],
        "text": d["text"],
        "area": d["area"],
        "issued": e.meta["effective_date"],
        **recorded(e),
    }
    return [_head(e, body)]


def _head(e: PlainEvent, body: dict[str, Any], *, replaces: bool = False) -> RowWrite:
    record = e.originator_id
    return row(
        NAME, e, "recommendation", record, body, valid_from=body["issued"], replaces=replaces
    )


def _status(status: str, notes: tuple[str, ...]) -> Writer:
    def write(e: PlainEvent, _: Current) -> list[RowWrite]:
        body = {
            "date": e.meta["effective_date"],
            "status": status,
            **{note: e.data[note] for note in notes},
            "decided_by": e.data["decided_by"],
            **recorded(e),
        }
        return [
            row(
                NAME,
                e,
                "status",
                sub_record(e),
                body,
                valid_from=body["date"],
                parent=e.originator_id,
            )
        ]

    return write


def _corrected(e: PlainEvent, current: Current) -> list[RowWrite]:
    kind, _ = corrected_kind(e)
    if kind != "recommendation":
        return []
    found = current(NAME, "recommendation", e.originator_id)
    if found is None:
        return []
    return [_head(e, {**found, **copied(e.data["corrected_fields"])}, replaces=True)]


def _assemble(rows: Sequence[Row]) -> Document:
    heads: dict[str, dict[str, Any]] = {}
    by_id: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r.kind == "recommendation":
            rec = dict(r.body)
            rec["history"] = [
                {"date": rec["issued"], "status": "open", **_recorded_fields(rec)},
            ]
            heads[rec["ref"]] = by_id[r.record] = rec
    for r in rows:
        if r.kind == "status":
            by_id[r.record.partition("@")[0]]["history"].append(r.body)
    return {"recommendations": heads}


def _recorded_fields(head: dict[str, Any]) -> dict[str, Any]:
    return {k: head[k] for k in ("recorded_at", "recorded_by", "source")}


RECOMMENDATIONS = Projection(
    NAME,
    {
        "RecommendationIssued": _issued,
        "RecommendationClosed": _status("closed", ("evidence",)),
        "RecommendationReopened": _status("open", ("reason",)),
        "Corrected": _corrected,
    },
    _assemble,
)


def recommendation_view(
    rec: dict[str, Any], actions_doc: Document, as_of: date
) -> dict[str, Any] | None:
    """A recommendation as it stood on `as_of`, with the actions answering it or None."""
    day = as_of.isoformat()
    if rec["issued"] > day:
        return None
    history = sorted((h for h in rec["history"] if h["date"] <= day), key=lambda h: h["date"])
    answering = [
        s
        for a in actions_doc["actions"].values()
        if rec["ref"] in a["answers"] and (s := action_status(a, as_of)) is not None
    ]
    answering.sort(key=lambda s: (s["due_date"], s["ref"]))
    return {
        "ref": rec["ref"],
        "text": rec["text"],
        "area": rec["area"],
        "origin": rec["origin"],
        "origin_kind": rec["origin_kind"],
        "issued": rec["issued"],
        "status": history[-1]["status"],
        "history": history,
        "actions": answering,
        "red_actions": [s["ref"] for s in answering if s["status"] == "open" and s["rag"] == "red"],
        "overdue_actions": [s["ref"] for s in answering if s["overdue"]],
        "source": rec["source"],
    }


def recommendations(
    doc: Document, actions_doc: Document, as_of: date, status: str = "open"
) -> list[dict[str, Any]]:
    """Recommendations issued by `as_of` whose status then was `status` (open, closed or all)."""
    views = [
        v
        for rec in doc["recommendations"].values()
        if (v := recommendation_view(rec, actions_doc, as_of)) is not None
        and (status == "all" or v["status"] == status)
    ]
    return sorted(views, key=lambda v: (v["issued"], v["ref"]))
