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
            **recorded(e),
        }
    )


def _corrected(doc: Document, e: PlainEvent) -> None:
    kind, _ = corrected_kind(e)
    if kind == "authority":
        doc.update(copied(e.data["corrected_fields"]))


AUTHORITIES = FoldTable(
    "authorities", _empty, {"AuthorityRegistered": _registered, "Corrected": _corrected}
)
