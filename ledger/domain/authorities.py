"""Local authorities whose journeys the ledger records."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import event

from ledger.domain.errors import InvalidCommand
from ledger.domain.meta import EventMeta
from ledger.domain.records import LedgerAggregate, record_id


class Authority(LedgerAggregate):
    """A local authority, e.g. `lancashire` (Lancashire County Council)."""

    KIND = "authority"
    CORRECTABLE = frozenset({"name", "code", "region"})

    @classmethod
    def create_id(cls, slug: str) -> UUID:  # type: ignore[override]
        return record_id(cls.KIND, slug, slug)

    @event("AuthorityRegistered")
    def __init__(self, slug: str, name: str, code: str | None, region: str | None, meta: EventMeta):
        self.slug = slug
        self.ref = slug
        self.name = name
        self.code = code
        self.region = region
        self.abolished_on: date | None = None
        self.successors: list[str] = []

    def reorganise(self, successors: list[str], meta: EventMeta) -> None:
        """Record that the authority ceased to exist on the event's day, its area passing to
        `successors` (slugs of authorities already registered)."""
        if self.abolished_on is not None:
            raise InvalidCommand(
                f"authority {self.slug!r} already ceased to exist on {self.abolished_on}",
                field="authority",
            )
        if self.slug in successors:
            raise InvalidCommand("an authority cannot succeed itself", field="successors")
        self._reorganised(successors=successors, meta=meta)

    @event("AuthorityReorganised")
    def _reorganised(self, successors: list[str], meta: EventMeta) -> None:
        self.abolished_on = meta.effective_date
        self.successors = list(successors)
