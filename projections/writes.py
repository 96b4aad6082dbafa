"""What a read model is made of: for each event name, the rows it writes.

A projection is a name, the writers of the events it handles, and how its rows are put back
together into the document its queries read. A writer is pure: it sees the event and the
current body of any record it names (for a correction to start from), and returns rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ledger.application.log import PlainEvent
from projections.rows import Row, RowWrite

Document = dict[str, Any]
#: The current body of a record of this event's authority: (projection, kind, record).
Current = Callable[[str, str, str], dict[str, Any] | None]
Writer = Callable[[PlainEvent, Current], list[RowWrite]]


@dataclass(frozen=True)
class Projection:
    """A read model kept as rows: what each event writes, and the document its rows make."""

    name: str
    writers: Mapping[str, Writer]
    assemble: Callable[[Sequence[Row]], Document]

    def handles(self, event_name: str) -> bool:
        return event_name in self.writers

    def rows(self, event: PlainEvent, current: Current) -> list[RowWrite]:
        writer = self.writers.get(event.name)
        return [] if writer is None else writer(event, current)


def row(
    projection: str,
    event: PlainEvent,
    kind: str,
    record: str,
    body: dict[str, Any],
    valid_from: str | None = None,
    tag: str | None = None,
    *,
    replaces: bool = False,
    parent: str | None = None,
) -> RowWrite:
    """A row of `event`'s authority; `replaces` when it may be a new version of the record;
    `parent`, the record a sub-record belongs to."""
    return RowWrite(
        event.authority, projection, kind, record, valid_from, tag, body, replaces, parent
    )


def sub_record(event: PlainEvent) -> str:
    """The record key of a row that belongs to the event's record and to this event alone (an
    update, a revision): the record's id and the event's place in the log."""
    return f"{event.originator_id}@{event.position}"
