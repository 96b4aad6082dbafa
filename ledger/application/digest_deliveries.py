"""Digest deliveries through the one door: claiming an attempt, recording its outcome, and
reading which periods went out (see `ledger.domain.digests` for the record and its rules)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from ledger.domain.digests import (
    DigestAlreadySent,
    DigestDelivery,
    DigestDeliveryInProgress,
    delivery_id,
    delivery_ref,
)
from ledger.domain.errors import InvalidCommand
from ledger.domain.meta import EventMeta

if TYPE_CHECKING:
    from ledger.application.service import JourneyLedger

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DigestSend:
    """A `DigestSent` event as read back: which digest went where, and what it showed."""

    authority: str
    channel: str
    period_start: date
    period_end: date
    fingerprint: str
    known_at: datetime
    recorded_at: datetime
    detail: str


@dataclass(frozen=True)
class DeliveryClaim:
    """Who claims an attempt and when: the actor, and the clock's reading in local time."""

    actor: str
    now: datetime
    local_day: date
    in_flight_timeout: timedelta


class DigestDeliveries:
    """The digest delivery records of one ledger."""

    def __init__(self, ledger: JourneyLedger) -> None:
        self._ledger = ledger

    def get(
        self, authority: str, channel: str, period_start: date, period_end: date
    ) -> DigestDelivery | None:
        """The delivery record of one period on one channel, or None if never claimed."""
        found = self._ledger.load(delivery_id(authority, channel, period_start, period_end))
        if found is not None and not isinstance(found, DigestDelivery):
            raise InvalidCommand(
                f"{delivery_ref(channel, period_start, period_end)} is not a digest"
            )
        return found

    def claim(
        self,
        authority: str,
        channel: str,
        period_start: date,
        period_end: date,
        who: DeliveryClaim,
        record: DigestDelivery | None,
    ) -> DigestDelivery | None:
        """Save the claim of the next attempt after `record` (as the caller read it; None for
        the first); None when another sender claimed it first."""
        try:
            if record is None:
                ref = delivery_ref(channel, period_start, period_end)
                record = DigestDelivery.start(
                    channel, period_start, period_end, _meta(authority, ref, "1/started", who)
                )
            else:
                step = f"{record.attempt + 1}/started"
                record.retry(
                    who.now, who.in_flight_timeout, _meta(authority, record.ref, step, who)
                )
            self._ledger.save(record)
        except (IntegrityError, DigestAlreadySent, DigestDeliveryInProgress):
            return None
        return record

    def record_sent(
        self,
        authority: str,
        claimed: DigestDelivery,
        attempt: int,
        *,
        fingerprint: str,
        known_at: datetime,
        detail: str,
        transport_attempts: int,
        who: DeliveryClaim,
    ) -> None:
        """Record that the channel accepted the digest of `attempt`."""
        self._record(
            authority,
            claimed,
            lambda r, m: r.record_sent(
                attempt, fingerprint, known_at, detail, transport_attempts, m
            ),
            f"{attempt}/sent",
            who,
        )

    def record_failed(
        self,
        authority: str,
        claimed: DigestDelivery,
        attempt: int,
        *,
        error: str,
        permanent: bool,
        transport_attempts: int,
        who: DeliveryClaim,
    ) -> None:
        """Record that `attempt` failed (`permanent` when retrying cannot help)."""
        self._record(
            authority,
            claimed,
            lambda r, m: r.record_failure(attempt, error, permanent, transport_attempts, m),
            f"{attempt}/failed",
            who,
        )

    def _record(
        self,
        authority: str,
        claimed: DigestDelivery,
        apply: Callable[[DigestDelivery, EventMeta], None],
        step: str,
        who: DeliveryClaim,
    ) -> None:
        """Record an outcome on the record just claimed; if it moved on meanwhile (another
        sender took over a claim it thought interrupted), record it on the latest version."""
        record: DigestDelivery | None = claimed
        for _ in range(3):
            if record is None:
                return
            try:
                apply(record, _meta(authority, record.ref, step, who))
                self._ledger.save(record)
                return
            except IntegrityError:
                record = self.get(
                    authority, claimed.channel, claimed.period_start, claimed.period_end
                )
            except InvalidCommand as problem:
                logger.error("could not record the outcome of %s: %s", record.ref, problem)
                return
        logger.error("could not record the outcome of %s for %s", claimed.ref, authority)

    def sent(self) -> list[DigestSend]:
        """Every digest delivered, in the order the deliveries were recorded (only `DigestSent`
        events are read: one query, not a read of the whole history)."""
        topic = get_topic(DigestDelivery.DigestSent)  # type: ignore[attr-defined]
        return [
            DigestSend(
                authority=e.meta.authority,
                channel=e.channel,
                period_start=e.period_start,
                period_end=e.period_end,
                fingerprint=e.fingerprint,
                known_at=e.known_at,
                recorded_at=e.timestamp,
                detail=e.detail,
            )
            for e in self._ledger.stored_events_of_topics([topic])
        ]


def _meta(authority: str, ref: str, step: str, who: DeliveryClaim) -> EventMeta:
    return EventMeta(
        authority=authority,
        effective_date=who.local_day,
        source=f"digest delivery {ref}",
        recorded_by=who.actor,
        command_id=f"{ref}/{step}",
    )
