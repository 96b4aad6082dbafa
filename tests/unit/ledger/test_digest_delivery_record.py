def test_the_next_attempt_after_an_unknown_outcome_is_a_resend_and_says_why() -> None:
    """A failure whose digest may have arrived (the channel never answered one it was sent),
    and a claim left without an outcome, each make the next attempt a resend."""
    from datetime import UTC, date, datetime, timedelta

    from ledger.domain.digests import UNKNOWN_OUTCOME, DigestDelivery
    from ledger.domain.meta import EventMeta

    meta = EventMeta("testshire", date(2018, 8, 20), "digest", "scheduler", "c1")
    start, end = date(2018, 8, 13), date(2018, 8, 19)
    now, timeout = datetime(2018, 8, 20, 9, tzinfo=UTC), timedelta(minutes=5)
    timed_out = DigestDelivery.start("slack", start, end, meta)
    timed_out.record_failure(1, f"gave up; {UNKNOWN_OUTCOME}: it may have arrived", False, 3, meta)
    assert timed_out.unknown_outcome(now, timeout) == "attempt 1's outcome is unknown"

    refused = DigestDelivery.start("slack", start, end, meta)
    refused.record_failure(1, "connection refused", False, 3, meta)
    assert refused.unknown_outcome(now, timeout) is None

    interrupted = DigestDelivery.start("slack", start, end, meta)
    later = interrupted.modified_on + timedelta(hours=1)
    assert "interrupted" in (interrupted.unknown_outcome(later, timeout) or "")
