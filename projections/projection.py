"""What a projection is: a name, an empty document, the events it folds, and a fold of one event
into a document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from ledger.application.log import PlainEvent

Document = dict[str, Any]
Fold = Callable[[Document, PlainEvent], None]


class Projection(Protocol):
    """A read model kept per authority. `apply` must be pure apart from changing `doc`."""

    name: str
    #: Raised whenever the shape of the stored documents changes: stored documents of another
    #: format are rebuilt from the events before the projection folds anything new.
    format: int
    #: The key of a list in the document that folds only ever append to, or None. The store
    #: keeps it as rows, so folding an event appends a row instead of rewriting the document,
    #: and documents loaded for folding hold only the entries not yet stored.
    appends_to: str | None

    def empty(self) -> Document: ...

    def handles(self, event_name: str) -> bool:
        """Whether `apply` changes anything for events of this name (else it is never called)."""
        ...

    def apply(self, doc: Document, event: PlainEvent) -> None: ...


class FoldTable:
    """A projection built from one fold function per event name; other events are ignored."""

    appends_to: str | None = None

    def __init__(
        self, name: str, empty: Callable[[], Document], folds: dict[str, Fold], format: int = 1
    ) -> None:
        self.name = name
        self.format = format
        self._empty = empty
        self._folds = folds

    def empty(self) -> Document:
        return self._empty()

    def handles(self, event_name: str) -> bool:
        return event_name in self._folds

    def apply(self, doc: Document, event: PlainEvent) -> None:
        fold = self._folds.get(event.name)
        if fold is not None:
            fold(doc, event)


def remember_ref(fold: Fold) -> Fold:
    """Wrap a record's creating fold so later events of the record can find its ref by id."""

    def remembering(doc: Document, event: PlainEvent) -> None:
        fold(doc, event)
        doc.setdefault("ids", {})[event.originator_id] = event.data["ref"]

    return remembering


def ref_of(doc: Document, event: PlainEvent) -> str:
    """The ref of the record a later event belongs to (later events don't repeat it)."""
    return str(doc["ids"][event.originator_id])
