"""How dates, money, enums and event metadata are stored, so each comes back as its own type.

The library's JSON transcoder looks up a transcoding by the exact type of a value, but `json`
writes a `str`-based enum as a plain string without asking, so enums are marked before encoding.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Transcoding,
    UUIDAsHex,
)

from ledger.grades import FindingKind, Grade, IndicatorUnit, InterventionKind, Rag
from ledger.meta import EventMeta


class DateAsISO(Transcoding):
    """`datetime.date` as an ISO 8601 day (a `datetime` has its own transcoding)."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class EnumAsValue(Transcoding):
    """One enum class, stored by value under its own name."""

    def __init__(self, enum_type: type[Enum], name: str) -> None:
        self.type = enum_type
        self.name = name

    def encode(self, obj: Enum) -> Any:
        return obj.value

    def decode(self, data: Any) -> Enum:
        member: Enum = self.type(data)
        return member


class EventMetaAsDict(Transcoding):
    """Who recorded an event, for which authority, from which source, true from when."""

    type = EventMeta
    name = "event_meta"

    def encode(self, obj: EventMeta) -> dict[str, Any]:
        return {
            "authority": obj.authority,
            "effective_date": obj.effective_date,
            "source": obj.source,
            "recorded_by": obj.recorded_by,
            "command_id": obj.command_id,
        }

    def decode(self, data: dict[str, Any]) -> EventMeta:
        return EventMeta(**data)


ENUM_TRANSCODINGS = {
    Grade: "grade",
    Rag: "rag",
    FindingKind: "finding_kind",
    InterventionKind: "intervention_kind",
    IndicatorUnit: "indicator_unit",
}


class LedgerTranscoder(JSONTranscoder):
    """The library's JSON transcoder, with the ledger's types registered and enums marked."""

    def __init__(self) -> None:
        super().__init__()
        for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO(), DateAsISO()):
            self.register(transcoding)
        self.register(EventMetaAsDict())
        for enum_type, name in ENUM_TRANSCODINGS.items():
            self.register(EnumAsValue(enum_type, name))

    def encode(self, obj: Any) -> bytes:
        return super().encode(self._mark_enums(obj))

    def _mark_enums(self, obj: Any) -> Any:
        kind = type(obj)
        if kind is dict:
            return {key: self._mark_enums(value) for key, value in obj.items()}
        if kind is list or kind is tuple:
            return [self._mark_enums(value) for value in obj]
        if isinstance(obj, Enum):
            transcoding = self.types[kind]
            return {"_type_": transcoding.name, "_data_": transcoding.encode(obj)}
        return obj
