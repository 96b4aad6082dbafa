"""A read model's rows kept in memory: each event's rows applied as the row store applies them
(a new version of a record replaces its current row), then put back together."""

from __future__ import annotations

from typing import Any

from ledger.application.log import PlainEvent
from projections.rows import Row
from projections.writes import Document, Projection


def folded(projection: Projection, *events: PlainEvent) -> Document:
    """The document `projection` makes of `events`' rows."""
    return folded_together([projection], *events)[projection.name]


def folded_together(projections: list[Projection], *events: PlainEvent) -> dict[str, Document]:
    """The documents `projections` make of `events`' rows, each event written by them in turn
    (as the read model writes it: in the order the projections are given)."""
    current: dict[tuple[str, str, str], tuple[Row, int]] = {}

    def lookup(name: str, kind: str, record: str) -> dict[str, Any] | None:
        found = current.get((name, kind, record))
        return None if found is None else found[0].body

    for event in events:
        for w in (w for p in projections for w in p.rows(event, lookup)):
            key = (w.projection, w.kind, w.record)
            replaced = current.get(key)
            if replaced is not None and not w.replaces:
                raise AssertionError(f"{key} written twice without replacing")
            created = replaced[1] if replaced is not None else event.position
            row = Row(
                w.authority,
                w.projection,
                w.kind,
                w.record,
                w.valid_from,
                w.tag,
                event.position,
                w.body,
            )
            current[key] = (row, created)
    # As the row store lists them: in the order records were created, then written.
    by_creation = sorted(current.values(), key=lambda pair: (pair[1], pair[0].position))
    return {
        p.name: p.assemble([row for row, _ in by_creation if row.projection == p.name])
        for p in projections
    }
