"""Reminders and escalations: one message a day to each person, claimed before it is sent and its
outcome recorded right after, so it is never sent twice (as digest deliveries are, see
`ledger.domain.digests`).

A message lists items: each an action and the reason it is told (`kind`: due in N days, due
today, overdue, an update asked for, or an escalation of someone else's overdue action) under a
`slot` key that names that reason once for ever (e.g. `due:2018-12-31:before-14`). A slot told
in a message that was sent is never told again, so a run that finds nothing new sends nothing,
and a run after a missed day still tells what fell due meanwhile.

1. `ReminderClaimed` (attempt 1) or `ReminderRetried` (attempt n) is saved before the message
   goes out, naming its items; saving checks the record's version, so of two racing senders
   only one claims.
2. The transport delivers; `ReminderSent` (with the items and the address) or `ReminderFailed`
   is saved at once.

A claim without an outcome older than the caller's timeout counts as interrupted: the next
attempt records it as failed ("outcome unknown") and tries again. The one window that cannot be
closed is a process dying after the transport accepted the message and before `ReminderSent`
was saved: the person is then told twice, and the history says why.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from eventsourcing.domain import event

from ledger.domain.delivery_states import INTERRUPTED, DeliveryState, attempt_state
from ledger.domain.errors import InvalidCommand, LedgerError
from ledger.domain.meta import EventMeta
from ledger.domain.records import LedgerAggregate, record_id

#: The kinds of item a message can hold.
ITEM_KINDS = frozenset(
    {"due_soon", "due_today", "overdue", "update_asked", "escalated_manager", "escalated_board"}
)
Item = dict[str, Any]


class ReminderAlreadySent(LedgerError):
    """Today's message to this person was already delivered."""


class ReminderInProgress(LedgerError):
    """Another sender claimed today's message to this person moments ago and has not finished."""


def reminder_ref(person: str, day: date) -> str:
    """The stable id of one day's message to one person, e.g. `jo-bloggs/2018-12-17`."""
    return f"{person}/{day.isoformat()}"


def reminder_id(authority: str, person: str, day: date) -> Any:
    """The aggregate id of that message's record."""
    return record_id(ReminderDelivery.KIND, authority, reminder_ref(person, day))


def check_items(items: list[Item]) -> None:
    """A message tells at least one item; each names its action, slot and kind."""
    if not items:
        raise InvalidCommand("a reminder tells at least one thing", "items")
    for index, item in enumerate(items):
        if not item.get("action") or not item.get("slot"):
            raise InvalidCommand("each item names its action and slot", f"items[{index}]")
        if item.get("kind") not in ITEM_KINDS:
            raise InvalidCommand(f"{item.get('kind')!r} is not a kind of item", f"items[{index}]")


class ReminderDelivery(LedgerAggregate):
    """One day's message to one person, attempt by attempt."""

    KIND = "reminder_delivery"

    @event("ReminderClaimed")
    def __init__(
        self, ref: str, person: str, day: date, attempt: int, items: list[Item], meta: EventMeta
    ):
        self.ref = ref
        self.person = person
        self.day = day
        self.attempt = attempt
        self.items = items
        self.outcomes: dict[int, DeliveryState] = {}
        self.sent_attempt: int | None = None

    @classmethod
    def claim(cls, person: str, day: date, items: list[Item], meta: EventMeta) -> ReminderDelivery:
        """Claim the first attempt at today's message to `person`."""
        check_items(items)
        return cls(
            ref=reminder_ref(person, day),
            person=person,
            day=day,
            attempt=1,
            items=items,
            meta=meta,
        )

    def state(self, now: datetime, in_flight_timeout: timedelta) -> DeliveryState:
        """Sent, in flight, interrupted, failed or failed permanently."""
        return attempt_state(
            self.sent_attempt, self.outcomes, self.attempt, self.modified_on, now, in_flight_timeout
        )

    def retry(
        self, items: list[Item], now: datetime, in_flight_timeout: timedelta, meta: EventMeta
    ) -> int:
        """Claim the next attempt with `items` (what is due now) and return its number; raises
        `ReminderAlreadySent` or `ReminderInProgress`. An interrupted attempt is first recorded
        as failed with an unknown outcome."""
        state = self.state(now, in_flight_timeout)
        if state is DeliveryState.SENT:
            raise ReminderAlreadySent(f"the reminder {self.ref} was already sent")
        if state is DeliveryState.IN_FLIGHT:
            raise ReminderInProgress(
                f"another sender is delivering the reminder {self.ref} (attempt {self.attempt})"
            )
        check_items(items)
        if state is DeliveryState.INTERRUPTED:
            self.record_failure(self.attempt, INTERRUPTED, False, 0, meta)
        self._retried(
            person=self.person, day=self.day, attempt=self.attempt + 1, items=items, meta=meta
        )
        return self.attempt

    @event("ReminderRetried")
    def _retried(
        self, person: str, day: date, attempt: int, items: list[Item], meta: EventMeta
    ) -> None:
        self.attempt = attempt
        self.items = items

    def _check_pending(self, attempt: int) -> None:
        if not 1 <= attempt <= self.attempt:
            raise InvalidCommand(f"attempt {attempt} of {self.ref} was never started", "attempt")
        if attempt in self.outcomes:
            raise InvalidCommand(f"attempt {attempt} of {self.ref} already has an outcome")

    def record_sent(
        self,
        attempt: int,
        address: str,
        transport: str,
        detail: str,
        transport_attempts: int,
        meta: EventMeta,
    ) -> None:
        """Record that the transport accepted the message of `attempt` for `address`."""
        self._check_pending(attempt)
        self._sent(
            person=self.person,
            day=self.day,
            attempt=attempt,
            items=self.items,
            address=address,
            transport=transport,
            detail=detail,
            transport_attempts=transport_attempts,
            meta=meta,
        )

    @event("ReminderSent")
    def _sent(
        self,
        person: str,
        day: date,
        attempt: int,
        items: list[Item],
        address: str,
        transport: str,
        detail: str,
        transport_attempts: int,
        meta: EventMeta,
    ) -> None:
        self.outcomes[attempt] = DeliveryState.SENT
        self.sent_attempt = attempt

    def record_failure(
        self, attempt: int, error: str, permanent: bool, transport_attempts: int, meta: EventMeta
    ) -> None:
        """Record that `attempt` failed; `permanent` when retrying cannot help until someone
        fixes something (a wrong API key, an address the provider refuses)."""
        self._check_pending(attempt)
        self._failed(
            person=self.person,
            day=self.day,
            attempt=attempt,
            error=error,
            permanent=permanent,
            transport_attempts=transport_attempts,
            meta=meta,
        )

    @event("ReminderFailed")
    def _failed(
        self,
        person: str,
        day: date,
        attempt: int,
        error: str,
        permanent: bool,
        transport_attempts: int,
        meta: EventMeta,
    ) -> None:
        self.outcomes[attempt] = (
            DeliveryState.FAILED_PERMANENTLY if permanent else DeliveryState.FAILED
        )
