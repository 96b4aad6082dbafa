"""What a projection is: a name, an empty document, and a fold of one event into a document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

Document = dict[str, Any]
Fold = Callable[[Document, Any], None]


class Projection(Protocol):
    """A read model kept per authority. `apply` must be pure apart from changing `doc`."""

    name: str

    def empty(self) -> Document: ...

    def apply(self, doc: Document, event: Any) -> None: ...


class FoldTable:
    """A projection built from one fold function per event name; other events are ignored."""

    def __init__(self, name: str, empty: Callable[[], Document], folds: dict[str, Fold]) -> None:
        self.name = name
        self._empty = empty
        self._folds = folds

    def empty(self) -> Document:
        return self._empty()

    def apply(self, doc: Document, event: Any) -> None:
        fold = self._folds.get(type(event).__name__)
        if fold is not None:
            fold(doc, event)


def remember_ref(fold: Fold) -> Fold:
    """Wrap a record's creating fold so later events of the record can find its ref by id."""

    def remembering(doc: Document, event: Any) -> None:
        fold(doc, event)
        doc.setdefault("ids", {})[str(event.originator_id)] = event.ref

    return remembering


def ref_of(doc: Document, event: Any) -> str:
    """The ref of the record a later event belongs to (later events don't repeat it)."""
    return str(doc["ids"][str(event.originator_id)])
