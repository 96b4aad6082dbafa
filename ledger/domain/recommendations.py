"""Recommendations from an inspection or a visit, and their closing and reopening."""

from __future__ import annotations

from datetime import date

from eventsourcing.domain import event

from ledger.domain.errors import InvalidCommand, RecommendationStateError
from ledger.domain.meta import EventMeta
from ledger.domain.records import LedgerAggregate


class Recommendation(LedgerAggregate):
    """A recommendation ('what needs to improve', 'area for priority action') to be acted on."""

    KIND = "recommendation"
    CORRECTABLE = frozenset({"text", "area"})

    @event("RecommendationIssued")
    def __init__(
        self,
        ref: str,
        origin: str,
        origin_kind: str,
        text: str,
        area: str | None,
        meta: EventMeta,
    ):
        self.ref = ref
        self.origin = origin
        self.origin_kind = origin_kind
        self.text = text
        self.area = area
        self.issued = meta.effective_date
        self.is_open = True

    def close(self, on: date, evidence: str, decided_by: str, meta: EventMeta) -> None:
        """Close the recommendation on the evidence given; raises if already closed."""
        if not self.is_open:
            raise RecommendationStateError(f"recommendation {self.ref!r} is already closed")
        if on < self.issued:
            raise InvalidCommand("a recommendation cannot close before it was issued", "date")
        self._closed(evidence=evidence, decided_by=decided_by, meta=meta)

    @event("RecommendationClosed")
    def _closed(self, evidence: str, decided_by: str, meta: EventMeta) -> None:
        self.is_open = False

    def reopen(self, reason: str, decided_by: str, meta: EventMeta) -> None:
        """Reopen a closed recommendation; raises if it is open."""
        if self.is_open:
            raise RecommendationStateError(f"recommendation {self.ref!r} is open already")
        self._reopened(reason=reason, decided_by=decided_by, meta=meta)

    @event("RecommendationReopened")
    def _reopened(self, reason: str, decided_by: str, meta: EventMeta) -> None:
        self.is_open = True
