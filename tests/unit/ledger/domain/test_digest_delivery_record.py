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


def _data(event: object) -> dict[str, object]:
    hidden = {"originator_id", "originator_version", "timestamp", "originator_topic", "meta"}
    return {k: v for k, v in vars(event).items() if k not in hidden}


def test_each_step_records_the_period_the_channel_and_the_attempt() -> None:
    from datetime import UTC, datetime

    record = started()
    record.record_failure(1, "HTTP 500", False, 3, meta("1/failed"))
    now = record.modified_on + timedelta(minutes=1)
    assert record.retry(now, TIMEOUT, meta("2/started")) == 2
    read_at = datetime(2018, 8, 20, 9, tzinfo=UTC)
    record.record_sent(2, "12:ab", read_at, "ok", 1, meta("2/sent"))
    period = {"channel": "slack", "period_start": START, "period_end": END}
    assert [(type(e).__name__, _data(e)) for e in record.collect_events()] == [
        ("DigestDeliveryStarted", {"ref": "slack/2018-08-13/2018-08-19", **period, "attempt": 1}),
        (
            "DigestDeliveryFailed",
            {
                **period,
                "attempt": 1,
                "error": "HTTP 500",
                "permanent": False,
                "transport_attempts": 3,
            },
        ),
        ("DigestDeliveryRetried", {**period, "attempt": 2}),
        (
            "DigestSent",
            {
                **period,
                "attempt": 2,
                "fingerprint": "12:ab",
                "known_at": read_at,
                "detail": "ok",
                "transport_attempts": 1,
            },
        ),
    ]
    assert record.failed_attempts == 1
    assert record.sent_attempt == 2


def test_an_interrupted_attempt_is_recorded_with_no_transport_attempts() -> None:
    record = started()
    record.retry(record.modified_on + TIMEOUT * 2, TIMEOUT, meta("2/started"))
    failed = [e for e in record.collect_events() if type(e).__name__ == "DigestDeliveryFailed"]
    assert [(e.attempt, e.error, e.permanent, e.transport_attempts) for e in failed] == [
        (1, INTERRUPTED, False, 0)
    ]


def test_a_claim_is_in_flight_until_the_timeout_has_passed() -> None:
    record = started()
    assert record.state(record.modified_on + TIMEOUT, TIMEOUT) is DeliveryState.IN_FLIGHT


def test_a_one_day_period_can_be_claimed_and_refusals_say_why() -> None:
    one_day = DigestDelivery.start("email", START, START, meta("1/started"))
    assert (one_day.period_start, one_day.period_end) == (START, START)
    with pytest.raises(InvalidCommand) as backwards:
        DigestDelivery.start("email", END, START, meta("1/started"))
    assert (backwards.value.message, backwards.value.field) == (
        "a digest period cannot end before it starts",
        "period",
    )
    record = started()
    with pytest.raises(InvalidCommand) as never:
        record.record_failure(2, "x", False, 1, meta("2/failed"))
    assert (never.value.message, never.value.field) == (
        "attempt 2 of slack/2018-08-13/2018-08-19 was never started",
        "attempt",
    )
    record.record_sent(1, "1:aa", record.modified_on, "ok", 1, meta("1/sent"))
    with pytest.raises(DigestAlreadySent, match="the digest slack/2018-08-13/2018-08-19 was"):
        record.retry(record.modified_on, TIMEOUT, meta("2/started"))
    fresh = started()
    with pytest.raises(DigestDeliveryInProgress) as busy:
        fresh.retry(fresh.modified_on, TIMEOUT, meta("2/started"))
    assert str(busy.value) == (
        "another sender is delivering the digest slack/2018-08-13/2018-08-19 (attempt 1)"
    )
