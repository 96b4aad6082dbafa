"""The authorities the ledger holds journeys for: one row per authority, a new version for
each correction."""

from __future__ import annotations

from collections.abc import Sequence

from ledger.application.log import PlainEvent
from projections.jsonable import copied, corrected_kind, recorded
from projections.rows import Row, RowWrite
from projections.writes import Current, Document, Projection, row

NAME = "authorities"


def _registered(e: PlainEvent, _: Current) -> list[RowWrite]:
    d = e.data
    body = {"slug": d["slug"], "name": d["name"], "code": d["code"], "region": d["region"]}
    return [row(NAME, e, "authority", d["slug"], {**body, **recorded(e)})]


def _corrected(e: PlainEvent, current: Current) -> list[RowWrite]:
    kind, ref = corrected_kind(e)
    if kind != "authority":
        return []
    found = current(NAME, "authority", ref)
    if found is None:
        return []
    body = {**found, **copied(e.data["corrected_fields"])}
    return [row(NAME, e, "authority", ref, body, replaces=True)]


def _assemble(rows: Sequence[Row]) -> Document:
    return dict(rows[-1].body) if rows else {}


AUTHORITIES = Projection(
    NAME, {"AuthorityRegistered": _registered, "Corrected": _corrected}, _assemble
)
