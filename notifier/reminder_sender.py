"""Sending the day's reminders and escalations so that each goes out once.

For each authority: plan who is to be told what (`notifier.reminder_plan`), then for each person
check today's record, render the message, claim the attempt (a versioned write: of two racing
senders only one succeeds), hand it to the transport, and record the outcome at once. A second
run the same day finds every reason told and sends nothing; a run restarted after a crash sends
the messages not yet recorded as sent (see `ledger.domain.reminders`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from eventsourcing.persistence import PersistenceError

from ledger.application.digest_deliveries import DeliveryClaim
from ledger.application.service import JourneyLedger
from ledger.domain.delivery_states import DeliveryState
from ledger.domain.errors import LedgerError
from notifier.message import DeliveryFailed
from notifier.reminder_plan import Message, plan_messages
from notifier.reminder_rendering import ReminderRenderer, RenderedReminder
from notifier.reminder_settings import ReminderSettings
from notifier.transports.addressed import AddressedTransport
from projections.views import JourneyViews

logger = logging.getLogger(__name__)


class ReminderOutcome(StrEnum):
    SENT = "sent"
    ALREADY_SENT = "already sent today"
    IN_PROGRESS = "in progress elsewhere"
    FAILED = "failed"
    NOT_RETRIED = "not retried today"
    PREVIEW = "would be sent"


@dataclass(frozen=True)
class ReminderReport:
    """What happened to one person's message."""

    authority: str
    person: str
    address: str
    items: int
    outcome: ReminderOutcome
    detail: str = ""
    attempt: int | None = None

    def __str__(self) -> str:
        attempt = f" (attempt {self.attempt})" if self.attempt else ""
        detail = f": {self.detail}" if self.detail else ""
        things = f"{self.items} item{'s' if self.items != 1 else ''}"
        return (
            f"{self.authority} {self.person} <{self.address}>, {things}: "
            f"{self.outcome}{attempt}{detail}"
        )


def utc_now() -> datetime:
    return datetime.now(UTC)


class ReminderSender:
    """Plans, renders and delivers reminders, recording every attempt in the ledger.

    `clock` is the system's clock, for how old a claim is; `today` (each call's) is the day the
    rules are reckoned on, in the council's time zone.
    """

    def __init__(
        self,
        ledger: JourneyLedger,
        views: JourneyViews,
        renderer: ReminderRenderer,
        transport: AddressedTransport | None,
        settings: ReminderSettings,
        zone: ZoneInfo,
        *,
        actor: str = "reminders",
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.ledger = ledger
        self.views = views
        self.renderer = renderer
        self.transport = transport
        self.settings = settings
        self.zone = zone
        self.actor = actor
        self.clock = clock

    @property
    def in_flight_timeout(self) -> timedelta:
        return self.settings.schedule.in_flight_timeout

    def _who(self) -> DeliveryClaim:
        now = self.clock()
        return DeliveryClaim(
            self.actor, now, now.astimezone(self.zone).date(), self.in_flight_timeout
        )

    def authorities(self) -> list[str]:
        return [str(a["slug"]) for a in self.views.authorities() if "slug" in a]

    def plan(self, authority: str, today: date) -> list[Message]:
        """Everyone with something new to be told on `today`, and what."""
        tracker = self.views.actions(authority, as_of=today)["actions"]
        people = self.views.people(authority, as_of=today)["people"]
        told = self.views.told(authority)
        return plan_messages(authority, tracker, people, told, self.settings.rules, today)

    def render(self, message: Message, today: date) -> RenderedReminder:
        name = str(self.views.authority(message.authority)["name"])
        deadlines = self.views.deadlines(message.authority, as_of=today)["deadlines"]
        return self.renderer.render(message, name, deadlines)

    def send(self, message: Message, today: date) -> ReminderReport:
        """Deliver `message` unless today's message to the person was sent already."""
        if self.transport is None:
            raise LedgerError("no reminder transport is configured")

        def report(
            outcome: ReminderOutcome, detail: str = "", attempt: int | None = None
        ) -> ReminderReport:
            return ReminderReport(
                message.authority,
                message.person,
                message.email,
                len(message.items),
                outcome,
                detail,
                attempt,
            )

        deliveries = self.ledger.reminders
        record = deliveries.get(message.authority, message.person, today)
        if record is not None:
            state = record.state(self.clock(), self.in_flight_timeout)
            if state is DeliveryState.SENT:
                return report(ReminderOutcome.ALREADY_SENT, attempt=record.sent_attempt)
            if state is DeliveryState.IN_FLIGHT:
                return report(ReminderOutcome.IN_PROGRESS, attempt=record.attempt)
            if state is DeliveryState.FAILED_PERMANENTLY:
                return report(ReminderOutcome.NOT_RETRIED, "the last attempt failed permanently")
            if record.attempt >= self.settings.schedule.max_attempts:
                return report(ReminderOutcome.NOT_RETRIED, f"{record.attempt} attempts made")
        rendered = self.render(message, today)
        items = [item.record() for item in message.items]
        claimed = deliveries.claim(
            message.authority, message.person, today, items, self._who(), record
        )
        if claimed is None:
            return report(ReminderOutcome.IN_PROGRESS)
        attempt = claimed.attempt
        # Nothing may run between the transport's answer and recording it: this is the window
        # in which a crash leaves the outcome unknown (see ledger.domain.reminders).
        try:
            delivery = self.transport.send_to(message.email, rendered, claimed.ref)
        except DeliveryFailed as failure:
            deliveries.record_failed(
                message.authority,
                claimed,
                attempt,
                error=failure.message,
                permanent=failure.permanent,
                transport_attempts=failure.attempts,
                who=self._who(),
            )
            kind = "permanent" if failure.permanent else "will be retried"
            return report(ReminderOutcome.FAILED, f"{failure.message} ({kind})", attempt)
        deliveries.record_sent(
            message.authority,
            claimed,
            attempt,
            address=message.email,
            transport=self.transport.name,
            detail=delivery.detail,
            transport_attempts=delivery.attempts,
            who=self._who(),
        )
        return report(ReminderOutcome.SENT, delivery.detail, attempt)

    def run(
        self, today: date, authorities: Iterable[str] | None = None, *, send: bool = True
    ) -> list[ReminderReport]:
        """Plan (and with `send`, deliver) every authority's reminders for `today`."""
        reports = []
        for authority in list(authorities) if authorities is not None else self.authorities():
            try:
                messages = self.plan(authority, today)
            except (LedgerError, PersistenceError) as error:
                logger.warning("reminders for %s: %s", authority, error)
                continue
            for message in messages:
                if not send:
                    reports.append(
                        ReminderReport(
                            authority,
                            message.person,
                            message.email,
                            len(message.items),
                            ReminderOutcome.PREVIEW,
                        )
                    )
                    continue
                try:
                    reports.append(self.send(message, today))
                except (LedgerError, PersistenceError) as error:
                    # One person's problem must not hold back the others: theirs stays due.
                    reports.append(
                        ReminderReport(
                            authority,
                            message.person,
                            message.email,
                            len(message.items),
                            ReminderOutcome.FAILED,
                            str(error),
                        )
                    )
        for item in reports:
            level = logging.WARNING if item.outcome is ReminderOutcome.FAILED else logging.INFO
            logger.log(level, "reminder %s", item)
        return reports
