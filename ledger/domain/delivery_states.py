"""Where a claimed delivery stands, for every record that claims an attempt before sending and
records its outcome right after (digest deliveries, reminders): sent, in flight, interrupted (a
claim older than the caller's timeout, with no outcome), or failed."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

INTERRUPTED = (
    "the outcome is unknown: the sender stopped after claiming this attempt and before "
    "recording what happened, so the message may have been delivered"
)


class DeliveryState(StrEnum):
    """Where one delivery stands."""

    SENT = "sent"
    IN_FLIGHT = "in_flight"
    INTERRUPTED = "interrupted"
    FAILED = "failed"
    FAILED_PERMANENTLY = "failed_permanently"


def attempt_state(
    sent_attempt: int | None,
    outcomes: dict[int, DeliveryState],
    attempt: int,
    claimed_at: datetime,
    now: datetime,
    in_flight_timeout: timedelta,
) -> DeliveryState:
    """The state of a delivery whose latest attempt is `attempt`, claimed at `claimed_at`."""
    if sent_attempt is not None:
        return DeliveryState.SENT
    outcome = outcomes.get(attempt)
    if outcome is not None:
        return outcome
    if now - claimed_at > in_flight_timeout:
        return DeliveryState.INTERRUPTED
    return DeliveryState.IN_FLIGHT
