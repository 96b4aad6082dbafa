"""Weekly digest deliveries: one record per authority, channel and period, so a period is sent once.

A delivery is claimed before anything goes out and its outcome recorded right after:

1. `DigestDeliveryStarted` (attempt 1) or `DigestDeliveryRetried` (attempt n) is saved before the
   digest is handed to the channel. Saving checks the record's version, so when two senders race
   for the same period only one claim is stored; the other sender gets an integrity error and
   sends nothing.
2. The channel delivers; `DigestSent` or `DigestDeliveryFailed` is saved at once.

A claim without an outcome means a sender is at work, or stopped between claiming and recording.
Once it is older than the caller's `in_flight_timeout` it counts as interrupted: the next attempt
first records the interrupted one as failed ("outcome unknown") and then tries again. That is the
one window no ledger can close: a process that dies after the channel accepted the digest but
before `DigestSent` was saved leaves the ledger not knowing; the period is then sent again, and the
history says why. Senders keep the window to the duration of one network call (nothing else runs
between the channel's answer and the save) and the scheduler finishes a running job before it
stops, so only a crash or a kill can open it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import UUID

from eventsourcing.domain import event

from ledger.domain.delivery_states import DeliveryState, attempt_state
from ledger.domain.errors import InvalidCommand, LedgerError
from ledger.domain.meta import EventMeta
from ledger.domain.records import LedgerAggregate, record_id

#: Words a failure's error holds when the digest may have arrived all the same.
UNKNOWN_OUTCOME = "the outcome is unknown"
INTERRUPTED = (
    f"{UNKNOWN_OUTCOME}: the sender stopped after claiming this attempt and before "
    "recording what happened, so the digest may have been delivered"
)


class DigestAlreadySent(LedgerError):
    """The digest of this period was already delivered on this channel."""


class DigestDeliveryInProgress(LedgerError):
    """Another sender claimed this period on this channel moments ago and has not finished."""


def delivery_ref(channel: str, period_start: date, period_end: date) -> str:
    """The stable id of a channel's delivery of one period, e.g. `slack/2018-08-13/2018-08-19`."""
    return f"{channel}/{period_start.isoformat()}/{period_end.isoformat()}"


def delivery_id(authority: str, channel: str, period_start: date, period_end: date) -> UUID:
    """The aggregate id of that delivery record (what `repository.get` takes)."""
    ref = delivery_ref(channel, period_start, period_end)
    return record_id(DigestDelivery.KIND, authority, ref)


class DigestDelivery(LedgerAggregate):
    """The delivery of one authority's digest for one period on one channel, attempt by attempt."""

    KIND = "digest_delivery"

    @event("DigestDeliveryStarted")
    def __init__(
        self,
        ref: str,
        channel: str,
        period_start: date,
        period_end: date,
        attempt: int,
        meta: EventMeta,
    ):
        self.ref = ref
        self.channel = channel
        self.period_start = period_start
        self.period_end = period_end
        self.attempt = attempt
        self.outcomes: dict[int, DeliveryState] = {}
        self.sent_attempt: int | None = None

    @classmethod
    def start(
        cls, channel: str, period_start: date, period_end: date, meta: EventMeta
    ) -> DigestDelivery:
        """Claim the first attempt at delivering this period on this channel."""
        if period_end < period_start:
            raise InvalidCommand("a digest period cannot end before it starts", "period")
        return cls(
            ref=delivery_ref(channel, period_start, period_end),
            channel=channel,
            period_start=period_start,
            period_end=period_end,
            attempt=1,
            meta=meta,
        )

    @property
    def failed_attempts(self) -> int:
        return sum(1 for outcome in self.outcomes.values() if outcome != DeliveryState.SENT)

    def state(self, now: datetime, in_flight_timeout: timedelta) -> DeliveryState:
        """Sent, in flight, interrupted (a claim older than the timeout), or failed."""
        # No outcome for the current attempt: its claim is the last event, so `modified_on` is
        # when it was claimed.
        return attempt_state(
            self.sent_attempt,
            self.outcomes,
            self.attempt,
            self.modified_on,
            now,
            in_flight_timeout,
        )

    def retry(self, now: datetime, in_flight_timeout: timedelta, meta: EventMeta) -> int:
        """Claim the next attempt and return its number.

        Raises `DigestAlreadySent` or `DigestDeliveryInProgress`; an interrupted attempt is first
        recorded as failed with an unknown outcome.
        """
        state = self.state(now, in_flight_timeout)
        if state is DeliveryState.SENT:
            raise DigestAlreadySent(f"the digest {self.ref} was already sent")
        if state is DeliveryState.IN_FLIGHT:
            raise DigestDeliveryInProgress(
                f"another sender is delivering the digest {self.ref} (attempt {self.attempt})"
            )
        if state is DeliveryState.INTERRUPTED:
            self.record_failure(self.attempt, INTERRUPTED, False, 0, meta)
        self._retried(
            channel=self.channel,
            period_start=self.period_start,
            period_end=self.period_end,
            attempt=self.attempt + 1,
            meta=meta,
        )
        return self.attempt

    @event("DigestDeliveryRetried")
    def _retried(
        self, channel: str, period_start: date, period_end: date, attempt: int, meta: EventMeta
    ) -> None:
        self.attempt = attempt

    def _check_pending(self, attempt: int) -> None:
        if not 1 <= attempt <= self.attempt:
            raise InvalidCommand(f"attempt {attempt} of {self.ref} was never started", "attempt")
        if attempt in self.outcomes:
            raise InvalidCommand(f"attempt {attempt} of {self.ref} already has an outcome")

    def record_sent(
        self,
        attempt: int,
        fingerprint: str,
        known_at: datetime,
        detail: str,
        transport_attempts: int,
        meta: EventMeta,
    ) -> None:
        """Record that the channel accepted the digest of this attempt.

        `fingerprint` is the ledger's fingerprint the digest showed, `known_at` the instant its
        contents were read (so the next digest knows what this one already told).
        """
        self._check_pending(attempt)
        self._sent(
            channel=self.channel,
            period_start=self.period_start,
            period_end=self.period_end,
            attempt=attempt,
            fingerprint=fingerprint,
            known_at=known_at,
            detail=detail,
            transport_attempts=transport_attempts,
            meta=meta,
        )

    @event("DigestSent")
    def _sent(
        self,
        channel: str,
        period_start: date,
        period_end: date,
        attempt: int,
        fingerprint: str,
        known_at: datetime,
        detail: str,
        transport_attempts: int,
        meta: EventMeta,
    ) -> None:
        self.outcomes[attempt] = DeliveryState.SENT
        self.sent_attempt = attempt

    def record_failure(
        self,
        attempt: int,
        error: str,
        permanent: bool,
        transport_attempts: int,
        meta: EventMeta,
    ) -> None:
        """Record that this attempt failed; `permanent` when retrying cannot help until a person
        fixes something (a deleted channel, a rejected password)."""
        self._check_pending(attempt)
        self._failed(
            channel=self.channel,
            period_start=self.period_start,
            period_end=self.period_end,
            attempt=attempt,
            error=error,
            permanent=permanent,
            transport_attempts=transport_attempts,
            meta=meta,
        )

    @event("DigestDeliveryFailed")
    def _failed(
        self,
        channel: str,
        period_start: date,
        period_end: date,
        attempt: int,
        error: str,
        permanent: bool,
        transport_attempts: int,
        meta: EventMeta,
    ) -> None:
        self.outcomes[attempt] = (
            DeliveryState.FAILED_PERMANENTLY if permanent else DeliveryState.FAILED
        )
        self.__dict__.setdefault("errors", {})[attempt] = error

    def unknown_outcome(self, now: datetime, in_flight_timeout: timedelta) -> str | None:
        """Why the last attempt may have been delivered after all (it was interrupted, or the
        channel never answered a message it was sent), or None: the next is then a resend."""
        if self.state(now, in_flight_timeout) is DeliveryState.INTERRUPTED:
            return f"attempt {self.attempt} was interrupted before its outcome was recorded"
        error = self.__dict__.get("errors", {}).get(self.attempt)
        if error is not None and UNKNOWN_OUTCOME in error:
            return f"attempt {self.attempt}'s outcome is unknown"
        return None
