"""Recommendations with their status as of any day, and the actions that answer them."""

from __future__ import annotations

from datetime import date
from typing import Any

from ledger.application.log import PlainEvent
from projections.actions import action_status
from projections.jsonable import copied, corrected_kind, recorded
from projections.projection import Document, FoldTable, ref_of, remember_ref


def _empty() -> Document:
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


def _closed(doc: Document, e: PlainEvent) -> None:
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


def _corrected(doc: Document, e: PlainEvent) -> None:
    kind, ref = corrected_kind(e)
    if kind == "recommendation" and ref in doc["recommendations"]:
        doc["recommendations"][ref].update(copied(e.data["corrected_fields"]))


RECOMMENDATIONS = FoldTable(
    "recommendations",
    _empty,
    {
        "RecommendationIssued": remember_ref(_issued),
        "RecommendationClosed": _closed,
        "RecommendationReopened": _reopened,
        "Corrected": _corrected,
    },
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
