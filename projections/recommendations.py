"""Recommendations with their status as of any day, and the actions that answer them."""

from __future__ import annotations

from datetime import date
from typing import Any

from projections.actions import action_status
from projections.jsonable import corrected_kind, jsonable, recorded
from projections.projection import Document, FoldTable, ref_of, remember_ref


def _empty() -> Document:
    return {"recommendations": {}}


def _issued(doc: Document, e: Any) -> None:
    issued = e.meta.effective_date.isoformat()
    doc["recommendations"][e.ref] = {
        "ref": e.ref,
        "origin": e.origin,
        "origin_kind": e.origin_kind,
        "text": e.text,
        "area": e.area,
        "issued": issued,
        "history": [{"date": issued, "status": "open", **recorded(e)}],
        **recorded(e),
    }


def _closed(doc: Document, e: Any) -> None:
    doc["recommendations"][ref_of(doc, e)]["history"].append(
        {
            "date": e.meta.effective_date.isoformat(),
            "status": "closed",
            "evidence": e.evidence,
            "decided_by": e.decided_by,
            **recorded(e),
        }
    )


def _reopened(doc: Document, e: Any) -> None:
    doc["recommendations"][ref_of(doc, e)]["history"].append(
        {
            "date": e.meta.effective_date.isoformat(),
            "status": "open",
            "reason": e.reason,
            "decided_by": e.decided_by,
            **recorded(e),
        }
    )


def _corrected(doc: Document, e: Any) -> None:
    kind, ref = corrected_kind(e)
    if kind == "recommendation" and ref in doc["recommendations"]:
        doc["recommendations"][ref].update(jsonable(e.corrected_fields))


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
