"""The authorities the ledger holds journeys for: one row per authority, a new version for
each correction and for its reorganisation (abolished, and into which successors)."""

from __future__ import annotations

from collections.abc import Sequence

from ledger.application.log import PlainEvent
from projections.jsonable import copied, corrected_kind, recorded
from projections.rows import Row, RowWrite
from projections.writes import Current, Document, Projection, row

NAME = "authorities"


def _registered(e: PlainEvent, _: Current) -> list[RowWrite]:
    d = e.data
    body = {
        "slug": d["slug"],
        "name": d["name"],
        "code": d["code"],
        "region": d["region"],
        "abolished": None,
        "successors": [],
        **recorded(e),
    }
    return [row(NAME, e, "authority", d["slug"], body)]


def _changed(
    e: PlainEvent, current: Current, slug: str, changes: dict[str, object]
) -> list[RowWrite]:
    found = current(NAME, "authority", slug)
    if found is None:
        return []
    return [row(NAME, e, "authority", slug, {**found, **changes}, replaces=True)]


def _corrected(e: PlainEvent, current: Current) -> list[RowWrite]:
    kind, ref = corrected_kind(e)
    if kind != "authority":
        return []
    return _changed(e, current, ref, copied(e.data["corrected_fields"]))


def _reorganised(e: PlainEvent, current: Current) -> list[RowWrite]:
    changes = {"abolished": e.meta["effective_date"], "successors": copied(e.data["successors"])}
    return _changed(e, current, e.authority, changes)


def _assemble(rows: Sequence[Row]) -> Document:
    return dict(rows[-1].body) if rows else {}


AUTHORITIES = Projection(
    NAME,
    {
        "AuthorityRegistered": _registered,
        "AuthorityReorganised": _reorganised,
        "Corrected": _corrected,
    },
    _assemble,
)
