"""Decisions of the council's cabinet, committees and improvement board."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from eventsourcing.domain import event

from ledger.domain.meta import EventMeta
from ledger.domain.quantities import check_money
from ledger.domain.records import LedgerAggregate


def check_investment(amount: Decimal | None) -> None:
    """Raise unless the amount is exact money (see `ledger.domain.quantities`)."""
    check_money(amount, "investment")


class Decision(LedgerAggregate):
    """A decision with its resolutions, and an investment amount (exact money) if any."""

    KIND = "decision"
    CORRECTABLE = frozenset({"body", "title", "summary", "resolutions", "investment", "date"})

    @event("DecisionRecorded")
    def __init__(
        self,
        ref: str,
        body: str,
        date: date,
        title: str,
        summary: str,
        resolutions: list[str],
        investment: Decimal | None,
        meta: EventMeta,
    ):
        self.ref = ref
        self.body = body
        self.date = date
        self.title = title
        self.summary = summary
        self.resolutions = resolutions
        self.investment = investment
