"""Plain JSON values for read models: dates as ISO days, money and readings as exact strings."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any


def jsonable(value: Any) -> Any:
    """`value` with dates, decimals and enums turned into strings, recursively."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def event_name(event: Any) -> str:
    """The domain name of an event, e.g. `InspectionRecorded`."""
    return type(event).__name__


def recorded(event: Any) -> dict[str, Any]:
    """Who recorded an event, when, and from which source."""
    meta = event.meta
    return {
        "recorded_at": event.timestamp.isoformat(),
        "recorded_by": meta.recorded_by,
        "source": meta.source,
    }


def corrected_kind(event: Any) -> tuple[str, str]:
    """The kind and ref a `Corrected` event names, e.g. ("inspection", "sif-2015")."""
    kind, _, ref = event.corrects.partition("/")
    return kind, ref
