"""Rows written beside the events in the transaction that inserts them, by whoever asked.

The application passes `after_insert=` with the events it saves (the library hands keyword
arguments of `save` through to the recorder); the recorders call it once the events are
inserted and sealed, with the inserting cursor, so what it writes commits with them or not at
all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from eventsourcing.persistence import StoredEvent

AFTER_INSERT = "after_insert"


class AfterInsert(Protocol):
    """Writes beside events just inserted, on the inserting transaction's cursor."""

    def __call__(
        self, cursor: Any, positions: Sequence[int], stored_events: Sequence[StoredEvent]
    ) -> None: ...


def after_insert(
    kwargs: Mapping[str, Any],
    cursor: Any,
    positions: Sequence[int],
    stored_events: Sequence[StoredEvent],
) -> None:
    """Call the `after_insert` the caller passed, if any."""
    hook: AfterInsert | None = kwargs.get(AFTER_INSERT)
    if hook is not None:
        hook(cursor, positions, stored_events)
