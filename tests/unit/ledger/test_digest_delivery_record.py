"""The digest delivery record on its own: claimed, sent once, failed and retried, interrupted."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ledger.domain.digests import (
    INTERRUPTED,
    DeliveryState,
    DigestAlreadySent,
    DigestDelivery,
    DigestDeliveryInProgress,
    delivery_id,
)
from ledger.domain.errors import InvalidCommand
from ledger.domain.meta import EventMeta

TIMEOUT = timedelta(minutes=30)
START, END = date(2018, 8, 13), date(2018, 8, 19)


def meta(step: str) -> EventMeta:
    return EventMeta("exampleshire", date(2018, 8, 20), "digest", "scheduler", step)


def started() -> DigestDelivery:
    return DigestDelivery.start("slack", START, END, meta("1/started"))


def test_a_new_claim_is_in_flight_then_interrupted_after_the_timeout() -> None:
    record = started()
    assert record.id == delivery_id("exampleshire", "slack", START, END)
    claimed_at = record.modified_on
    assert record.state(claimed_at + timedelta(minutes=5), TIMEOUT) is DeliveryState.IN_FLIGHT
    assert record.state(claimed_at + timedelta(minutes=31), TIMEOUT) is DeliveryState.INTERRUPTED


def test_a_sent_period_cannot_be_claimed_again() -> None:
    record = started()
    record.record_sent(1, "7:ab", record.modified_on, "HTTP 200", 1, meta("1/sent"))
    assert record.state(record.modified_on + timedelta(days=9), TIMEOUT) is DeliveryState.SENT
    with pytest.raises(DigestAlreadySent):
        record.retry(record.modified_on + timedelta(days=9), TIMEOUT, meta("2/started"))
    with pytest.raises(InvalidCommand, match="already has an outcome"):
        record.record_sent(1, "7:ab", record.modified_on, "HTTP 200", 1, meta("1/sent-again"))


def test_an_attempt_in_flight_cannot_be_claimed_twice() -> None:
    record = started()
    with pytest.raises(DigestDeliveryInProgress):
        record.retry(record.modified_on + timedelta(minutes=1), TIMEOUT, meta("2/started"))


def test_a_failed_attempt_is_retried_as_the_next_attempt() -> None:
    record = started()
    record.record_failure(1, "HTTP 500", False, 5, meta("1/failed"))
    assert record.state(record.modified_on, TIMEOUT) is DeliveryState.FAILED
    assert record.retry(record.modified_on, TIMEOUT, meta("2/started")) == 2
    record.record_sent(2, "9:cd", record.modified_on, "HTTP 200", 1, meta("2/sent"))
    names = [type(e).__name__ for e in record.collect_events()]
    assert names == [
        "DigestDeliveryStarted",
        "DigestDeliveryFailed",
        "DigestDeliveryRetried",
        "DigestSent",
    ]


def test_a_permanent_failure_is_told_apart() -> None:
    record = started()
    record.record_failure(1, "channel_not_found", True, 1, meta("1/failed"))
    assert record.state(record.modified_on, TIMEOUT) is DeliveryState.FAILED_PERMANENTLY


def test_an_interrupted_attempt_is_recorded_as_unknown_before_the_retry() -> None:
    record = started()
    later = record.modified_on + timedelta(hours=1)
    assert record.retry(later, TIMEOUT, meta("2/started")) == 2
    events = record.collect_events()
    failed = events[1]
    assert type(failed).__name__ == "DigestDeliveryFailed"
    assert failed.attempt == 1
    assert failed.error == INTERRUPTED
    assert failed.permanent is False
    assert type(events[2]).__name__ == "DigestDeliveryRetried"


def test_outcomes_only_for_attempts_that_were_started() -> None:
    record = started()
    with pytest.raises(InvalidCommand, match="never started"):
        record.record_sent(2, "1:aa", record.modified_on, "HTTP 200", 1, meta("2/sent"))


def test_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(InvalidCommand):
        DigestDelivery.start("slack", END, START, meta("1/started"))
