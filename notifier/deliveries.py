"""Sending digests so that a period goes out once per channel, and a failed one is tried again.

For each authority, channel and period (see `ledger.domain.digests` for the record and its events):
check the delivery record; compile and render the digest; claim the attempt (a versioned write:
of two racing senders only one succeeds); hand the digest to the channel; record the outcome at
once. The period due is the one after the last period delivered on that channel.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from eventsourcing.persistence import PersistenceError

from ledger.application.digest_deliveries import DeliveryClaim
from ledger.application.service import JourneyLedger
from ledger.domain.delivery_states import DeliveryState
from ledger.domain.digests import DigestDelivery
from ledger.domain.errors import LedgerError
from notifier.changes import ShownBefore, build_digest
from notifier.channels import Channel
from notifier.message import DeliveryFailed, RenderedDigest
from notifier.periods import DigestPeriod, next_period
from notifier.rendering import DigestRenderer
from notifier.resend import resent
from notifier.sent import SentDigest, latest_sent
from projections.views import JourneyViews

logger = logging.getLogger(__name__)


class Outcome(StrEnum):
    SENT = "sent"
    ALREADY_SENT = "already sent"
    IN_PROGRESS = "in progress elsewhere"
    FAILED = "failed"
    NOT_RETRIED = "not retried"
    NOTHING_DUE = "nothing due"


@dataclass(frozen=True)
class DeliveryReport:
    """What happened to one authority's digest on one channel."""

    authority: str
    channel: str
    period: DigestPeriod | None
    outcome: Outcome
    detail: str = ""
    attempt: int | None = None

    def __str__(self) -> str:
        period = self.period.key if self.period else "-"
        attempt = f" (attempt {self.attempt})" if self.attempt else ""
        detail = f": {self.detail}" if self.detail else ""
        return f"{self.authority} {period} on {self.channel}: {self.outcome}{attempt}{detail}"


def utc_now() -> datetime:
    return datetime.now(UTC)


class DigestSender:
    """Delivers digests through channels, recording every attempt in the ledger.

    `clock` is the system's clock, for transaction-time facts (how old a claim is, the instant a
    digest's contents were read); the `now` each call takes is the run's reference time.
    """

    def __init__(
        self,
        ledger: JourneyLedger,
        views: JourneyViews,
        renderer: DigestRenderer,
        channels: Mapping[str, Channel],
        zone: ZoneInfo,
        *,
        actor: str = "scheduler",
        in_flight_timeout: timedelta = timedelta(minutes=30),
        clock: Callable[[], datetime] = utc_now,
        subscribers: Callable[[], Mapping[str, Channel]] | None = None,
    ) -> None:
        self.ledger = ledger
        #: The people subscribed to their authority's digest, one channel each (read per run).
        self.subscribers = subscribers
        self.views = views
        self.renderer = renderer
        self.channels = channels
        self.zone = zone
        self.actor = actor
        self.in_flight_timeout = in_flight_timeout
        self.clock = clock

    # -- one delivery -----------------------------------------------------------------------

    def _load(self, authority: str, channel: str, period: DigestPeriod) -> DigestDelivery | None:
        return self.ledger.digests.get(authority, channel, period.start, period.end)

    def _who(self) -> DeliveryClaim:
        now = self.clock()
        return DeliveryClaim(
            self.actor, now, now.astimezone(self.zone).date(), self.in_flight_timeout
        )

    def compile(
        self,
        authority: str,
        period: DigestPeriod,
        now: datetime,
        shown_before: ShownBefore | None = None,
        first: bool = False,
    ) -> tuple[RenderedDigest, str, datetime]:
        """Build and render a digest (`first`: the first on its channel): returns it, the
        fingerprint it shows, and when it was read."""
        known_at = self.clock()
        digest = build_digest(
            self.views,
            authority,
            period,
            now=now,
            zone=self.zone,
            fingerprint=lambda: str(self.ledger.fingerprint()),
            shown_before=shown_before,
            first=first,
        )
        return self.renderer.render(digest), digest.fingerprint, known_at

    def send(
        self,
        authority: str,
        channel_name: str,
        period: DigestPeriod,
        *,
        now: datetime,
        shown_before: ShownBefore | None = None,
        only_retries: bool = False,
        max_attempts: int | None = None,
        first: bool = False,
        channel: Channel | None = None,
    ) -> DeliveryReport:
        """Deliver one period's digest on one channel unless it was delivered already (`first`:
        no digest of the authority went out on the channel before; `channel`: a subscriber's,
        not among the configured ones).

        With `only_retries`, only a period with a failed (not permanently failed) attempt is
        sent, and at most `max_attempts` attempts are made in all.
        """
        channel = channel or self.channels[channel_name]

        def report(
            outcome: Outcome, detail: str = "", attempt: int | None = None
        ) -> DeliveryReport:
            return DeliveryReport(authority, channel_name, period, outcome, detail, attempt)

        record = self._load(authority, channel_name, period)
        if record is not None:
            state = record.state(self.clock(), self.in_flight_timeout)
            if state is DeliveryState.SENT:
                return report(Outcome.ALREADY_SENT, attempt=record.sent_attempt)
            if state is DeliveryState.IN_FLIGHT:
                return report(Outcome.IN_PROGRESS, attempt=record.attempt)
            if only_retries and state is DeliveryState.FAILED_PERMANENTLY:
                return report(Outcome.NOT_RETRIED, "the last attempt failed permanently")
            if max_attempts is not None and record.attempt >= max_attempts:
                return report(Outcome.NOT_RETRIED, f"{record.attempt} attempts made already")
        elif only_retries:
            return report(Outcome.NOT_RETRIED, "no failed attempt to retry")

        rendered, fingerprint, known_at = self.compile(authority, period, now, shown_before, first)
        unknown = (
            record.unknown_outcome(self.clock(), self.in_flight_timeout)
            if record is not None
            else None
        )
        if unknown is not None:
            rendered = resent(rendered, f"{unknown}")
        deliveries = self.ledger.digests
        claimed = deliveries.claim(
            authority, channel_name, period.start, period.end, self._who(), record
        )
        if claimed is None:
            return report(Outcome.IN_PROGRESS)
        attempt = claimed.attempt
        # Nothing may run between the channel's answer and recording it: this is the window in
        # which a crash would leave the outcome unknown (see ledger.domain.digests).
        try:
            delivery = channel.transport.send(rendered)
        except DeliveryFailed as failure:
            deliveries.record_failed(
                authority,
                claimed,
                attempt,
                error=failure.message,
                permanent=failure.permanent,
                transport_attempts=failure.attempts,
                who=self._who(),
            )
            kind = "permanent" if failure.permanent else "will be retried"
            return report(Outcome.FAILED, f"{failure.message} ({kind})", attempt)
        deliveries.record_sent(
            authority,
            claimed,
            attempt,
            fingerprint=fingerprint,
            known_at=known_at,
            detail=delivery.detail
            + (f"; a resend, so marked, because {unknown}" if unknown is not None else ""),
            transport_attempts=delivery.attempts,
            who=self._who(),
        )
        return report(Outcome.SENT, delivery.detail, attempt)

    # -- what is due ------------------------------------------------------------------------

    def authorities(self) -> list[str]:
        return [str(a["slug"]) for a in self.views.authorities() if "slug" in a]

    def send_due(
        self,
        *,
        now: datetime,
        until: date,
        authorities: Iterable[str] | None = None,
        channels: Iterable[str] | None = None,
        only_retries: bool = False,
        max_attempts: int | None = None,
    ) -> list[DeliveryReport]:
        """For every authority and channel, send the period after the last one delivered, up to
        `until` (the last day to cover; the seven days before it when nothing was sent yet)."""
        sent = latest_sent(self.ledger)
        chosen = list(authorities) if authorities is not None else self.authorities()
        reports = []
        every = dict(self.channels)
        if channels is None and self.subscribers is not None:
            every.update(self.subscribers())
        for name in channels if channels is not None else list(every):
            channel = every[name]
            for authority in chosen:
                if not channel.serves(authority):
                    continue
                last: SentDigest | None = sent.get((authority, name))
                period = next_period(last.period if last else None, until)
                if period is None:
                    reports.append(DeliveryReport(authority, name, None, Outcome.NOTHING_DUE))
                    continue
                follows = last is not None and last.period.end + timedelta(days=1) == period.start
                try:
                    report = self.send(
                        authority,
                        name,
                        period,
                        now=now,
                        shown_before=last.shown if last is not None and follows else None,
                        only_retries=only_retries,
                        max_attempts=max_attempts,
                        first=last is None,
                        channel=channel,
                    )
                except (LedgerError, PersistenceError) as error:
                    # One authority's problem (an unreadable record, a database hiccup) must not
                    # hold back the others; its period stays due and the next run tries again.
                    report = DeliveryReport(authority, name, period, Outcome.FAILED, str(error))
                reports.append(report)
        for item in reports:
            level = logging.WARNING if item.outcome is Outcome.FAILED else logging.INFO
            logger.log(level, "digest %s", item)
        return reports
