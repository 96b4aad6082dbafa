"""Plain JSON values for read models: what folds copy out of an event into a document."""

from __future__ import annotations

from typing import Any

from ledger.application.log import PlainEvent


def copied(value: Any) -> Any:
    """A JSON value with its lists and dicts copied, so a document shares none of them with the
    event (which every fold reads) or with another document."""
    kind = type(value)
    if kind is dict:
        return {k: copied(v) if type(v) in _CONTAINERS else v for k, v in value.items()}
    if kind is list:
        return [copied(v) if type(v) in _CONTAINERS else v for v in value]
    return value


_CONTAINERS = frozenset({dict, list})


def recorded(event: PlainEvent) -> dict[str, Any]:
    """Who recorded an event, when, and from which source."""
    meta = event.meta
    return {
        "recorded_at": event.recorded_at,
        "recorded_by": meta["recorded_by"],
        "source": meta["source"],
    }


def corrected_kind(event: PlainEvent) -> tuple[str, str]:
    """The kind and ref a `Corrected` event names, e.g. ("inspection", "sif-2015")."""
    kind, _, ref = event.data["corrects"].partition("/")
    return kind, ref
