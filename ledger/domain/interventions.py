"""Formal interventions: improvement notices, directions, commissioners, boards, their lifting."""

from __future__ import annotations

from datetime import date

from eventsourcing.domain import event

from ledger.domain.grades import InterventionKind
from ledger.domain.meta import EventMeta
from ledger.domain.records import LedgerAggregate


class Intervention(LedgerAggregate):
    """An intervention, e.g. the DfE's improvement notice or an improvement board being set up."""

    KIND = "intervention"
    CORRECTABLE = frozenset({"title", "by", "date", "detail"})

    @event("InterventionRecorded")
    def __init__(
        self,
        ref: str,
        kind: InterventionKind,
        date: date,
        title: str,
        by: str,
        detail: str,
        lifts: str | None,
        meta: EventMeta,
    ):
        self.ref = ref
        self.kind = kind
        self.date = date
        self.title = title
        self.by = by
        self.detail = detail
        self.lifts = lifts
