"""Local authorities whose journeys the ledger records."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import event

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
