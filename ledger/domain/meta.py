"""What every event says about itself besides its content."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class EventMeta:
    """The authority an event concerns, when it was true, its source document, who recorded it.

    `effective_date` is valid time (when the fact was true, e.g. a report's publication date);
    the library's event `timestamp` is transaction time (when it was recorded, set by the system).
    `command_id` makes recording idempotent: the same command applied twice changes nothing.
    """

    authority: str
    effective_date: date
    source: str
    recorded_by: str
    command_id: str
