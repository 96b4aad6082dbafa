"""The authorities the ledger holds journeys for."""

from __future__ import annotations

from typing import Any

from projections.jsonable import corrected_kind, jsonable, recorded
from projections.projection import Document, FoldTable


def _empty() -> Document:
    return {}


def _registered(doc: Document, e: Any) -> None:
    doc.update({"slug": e.slug, "name": e.name, "code": e.code, "region": e.region, **recorded(e)})


def _corrected(doc: Document, e: Any) -> None:
    kind, _ = corrected_kind(e)
    if kind == "authority":
        doc.update(jsonable(e.corrected_fields))


AUTHORITIES = FoldTable(
    "authorities", _empty, {"AuthorityRegistered": _registered, "Corrected": _corrected}
)
