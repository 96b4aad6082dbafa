"""The base of every record in the ledger: stable ids, event metadata, idempotency, corrections."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any, ClassVar
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from ledger.domain.errors import InvalidCommand
from ledger.domain.meta import EventMeta

# Fixed for ever: ids derive from it, so changing it would orphan every stored record.
RECORD_NAMESPACE = UUID("3f0c7a52-6a1e-4a8e-9f61-1c2f1d9b6e10")


# uuid5 is a SHA-1 and a UUID built in Python; an import asks for the same ids over and over.
@lru_cache(maxsize=65_536)
def record_id(kind: str, authority: str, ref: str) -> UUID:
    """The aggregate id of a record, derived from the client's stable id (`ref`)."""
    return uuid5(RECORD_NAMESPACE, f"{kind}/{authority}/{ref}")


class LedgerAggregate(Aggregate):
    """A record whose every event carries `EventMeta`, and that remembers which commands made it.

    Subclasses name their `KIND`, and the fields a `Corrected` event may change (`CORRECTABLE`).
    """

    KIND: ClassVar[str] = ""
    CORRECTABLE: ClassVar[frozenset[str]] = frozenset()

    class Event(Aggregate.Event):
        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            meta: EventMeta = self.meta  # type: ignore[attr-defined]
            applied = aggregate.__dict__.setdefault("applied_commands", set())
            applied.add(meta.command_id)
            aggregate.__dict__["last_recorded_by"] = meta.recorded_by

    @classmethod
    def create_id(cls, ref: str, meta: EventMeta) -> UUID:
        """The id derives from the authority and the client's id, so re-recording finds it."""
        return record_id(cls.KIND, meta.authority, ref)

    def has_applied(self, command_id: str) -> bool:
        """Whether the command with this id was already applied (applying it again is a no-op)."""
        return command_id in self.__dict__.get("applied_commands", ())

    def check_correction(self, fields: Mapping[str, Any]) -> None:
        """Raise unless every field may be corrected; subclasses add checks of the values."""
        if not fields:
            raise InvalidCommand("a correction must change at least one field", field="fields")
        unknown = sorted(set(fields) - self.CORRECTABLE)
        if unknown:
            raise InvalidCommand(
                f"cannot correct {', '.join(unknown)} of {_with_article(self.KIND)} "
                f"(correctable: {', '.join(sorted(self.CORRECTABLE))})",
                field="fields",
            )

    @event("Corrected")
    def correct(
        self, corrects: str, corrected_fields: dict[str, Any], reason: str, meta: EventMeta
    ) -> None:
        """Record that earlier details were wrong: both the mistake and the correction stay.

        `corrects` names the record (`kind/ref`), so the event reads on its own in an export.
        """
        self.apply_correction(corrected_fields)

    def apply_correction(self, corrected_fields: Mapping[str, Any]) -> None:
        """Change the corrected attributes (runs when the event is applied, also on replay)."""
        for name, value in corrected_fields.items():
            setattr(self, name, value)


def _with_article(kind: str) -> str:
    """'an action', 'a decision': a record's kind as a message names it."""
    words = kind.replace("_", " ")
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words}"
