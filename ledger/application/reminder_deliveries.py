"""Reminders through the one door: claiming today's message to a person, recording its outcome
(see `ledger.domain.reminders` for the record and its rules). Claims and outcomes are saved as
the digest's are (`ledger.application.digest_deliveries`), with the same `DeliveryClaim`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from eventsourcing.persistence import IntegrityError

from ledger.application.digest_deliveries import DeliveryClaim
from ledger.domain.errors import InvalidCommand
from ledger.domain.meta import EventMeta
from ledger.domain.reminders import (
    Item,
    ReminderAlreadySent,
    ReminderDelivery,
    ReminderInProgress,
    reminder_id,
    reminder_ref,
)

if TYPE_CHECKING:
    from ledger.application.service import JourneyLedger

logger = logging.getLogger(__name__)


class ReminderDeliveries:
    """The reminder records of one ledger."""

    def __init__(self, ledger: JourneyLedger) -> None:
        self._ledger = ledger

    def get(self, authority: str, person: str, day: date) -> ReminderDelivery | None:
        """The record of `day`'s message to `person`, or None if never claimed."""
        found = self._ledger.load(reminder_id(authority, person, day))
        if found is not None and not isinstance(found, ReminderDelivery):
            raise InvalidCommand(f"{reminder_ref(person, day)} is not a reminder")
        return found

    def claim(
        self,
        authority: str,
        person: str,
        day: date,
        items: list[Item],
        who: DeliveryClaim,
        record: ReminderDelivery | None,
    ) -> ReminderDelivery | None:
        """Save the claim of the next attempt after `record` (as the caller read it; None for
        the first) with `items`; None when another sender claimed it first or it was sent."""
        ref = reminder_ref(person, day)
        try:
            if record is None:
                record = ReminderDelivery.claim(
                    person, day, items, _meta(authority, ref, "1/claimed", who, day)
                )
            else:
                step = f"{record.attempt + 1}/claimed"
                record.retry(
                    items, who.now, who.in_flight_timeout, _meta(authority, ref, step, who, day)
                )
            self._ledger.save(record)
        except (IntegrityError, ReminderAlreadySent, ReminderInProgress):
            return None
        return record

    def record_sent(
        self,
        authority: str,
        claimed: ReminderDelivery,
        attempt: int,
        *,
        address: str,
        transport: str,
        detail: str,
        transport_attempts: int,
        who: DeliveryClaim,
    ) -> None:
        """Record that the transport accepted the message of `attempt`."""
        self._record(
            authority,
            claimed,
            lambda r, m: r.record_sent(attempt, address, transport, detail, transport_attempts, m),
            f"{attempt}/sent",
            who,
        )

    def record_failed(
        self,
        authority: str,
        claimed: ReminderDelivery,
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
        claimed: ReminderDelivery,
        apply: Callable[[ReminderDelivery, EventMeta], None],
        step: str,
        who: DeliveryClaim,
    ) -> None:
        """Record an outcome on the record just claimed, or on its latest version if another
        sender moved it on meanwhile."""
        record: ReminderDelivery | None = claimed
        for _ in range(3):
            if record is None:
                return
            try:
                apply(record, _meta(authority, record.ref, step, who, claimed.day))
                self._ledger.save(record)
                return
            except IntegrityError:
                record = self.get(authority, claimed.person, claimed.day)
            except InvalidCommand as problem:
                logger.error("could not record the outcome of %s: %s", record.ref, problem)
                return
        logger.error("could not record the outcome of %s for %s", claimed.ref, authority)


def _meta(authority: str, ref: str, step: str, who: DeliveryClaim, day: date) -> EventMeta:
    return EventMeta(
        authority=authority,
        effective_date=day,
        source=f"reminder {ref}",
        recorded_by=who.actor,
        command_id=f"reminder/{ref}/{step}",
    )
