"""The authorities the ledger holds journeys for."""

from __future__ import annotations

from ledger.application.log import PlainEvent
from projections.jsonable import copied, corrected_kind, recorded
from projections.projection import Document, FoldTable


def _empty() -> Document:
    return {}


def _registered(doc: Document, e: PlainEvent) -> None:
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


def _corrected(doc: Document, e: PlainEvent) -> None:
    kind, _ = corrected_kind(e)
    if kind == "authority":
        doc.update(copied(e.data["corrected_fields"]))


def _reorganised(doc: Document, e: PlainEvent) -> None:
    doc["abolished"] = e.meta["effective_date"]
    doc["successors"] = copied(e.data["successors"])


AUTHORITIES = FoldTable(
    "authorities",
    _empty,
    {
        "AuthorityRegistered": _registered,
        "AuthorityReorganised": _reorganised,
        "Corrected": _corrected,
    },
    # 2: documents say whether (and when) the authority was abolished, and into what.
    format=2,
)
