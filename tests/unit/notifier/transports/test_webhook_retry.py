"""Pure pieces of webhook retrying: Retry-After parsing and the backoff policy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notifier.transports.webhook import RetryPolicy, excerpt, parse_retry_after, require_https

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC).timestamp()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("1", 1.0),
        ("0", 0.0),
        (" 30 ", 30.0),
        ("2.5", 2.5),
        ("Mon, 03 Mar 2025 09:00:45 GMT", 45.0),
        ("Mon, 03 Mar 2025 09:00:45 -0000", 45.0),
        ("Mon, 03 Mar 2025 08:59:00 GMT", 0.0),  # already past: no wait
    ],
)
def test_retry_after_is_read_as_seconds_or_http_date(header: str, expected: float) -> None:
    assert parse_retry_after(header, now=NOW) == pytest.approx(expected)


@pytest.mark.parametrize("header", [None, "", "   ", "-5", "soon", "1e3", "Mon, 99 Foo 2025"])
def test_unreadable_retry_after_means_use_your_own_backoff(header: str | None) -> None:
    assert parse_retry_after(header, now=NOW) is None


@given(st.integers(min_value=0, max_value=10**6))
def test_delay_seconds_round_trip(seconds: int) -> None:
    assert parse_retry_after(str(seconds), now=NOW) == float(seconds)


@given(st.integers(min_value=0, max_value=86_400))
def test_http_dates_in_the_future_give_the_gap_to_now(seconds: int) -> None:
    header = format_datetime(datetime.fromtimestamp(NOW, UTC) + timedelta(seconds=seconds), True)
    assert parse_retry_after(header, now=NOW) == pytest.approx(seconds)


def test_backoff_doubles_from_the_initial_wait_up_to_the_ceiling() -> None:
    policy = RetryPolicy(backoff_initial=1.0, backoff_max=5.0)
    assert [policy.backoff(n) for n in range(1, 6)] == [1.0, 2.0, 4.0, 5.0, 5.0]


def test_backoff_survives_absurd_attempt_counts() -> None:
    assert RetryPolicy(backoff_max=30.0).backoff(10_000) == 30.0


@pytest.mark.parametrize(
    "bad",
    [
        {"max_attempts": 0},
        {"backoff_initial": -1.0},
        {"retry_after_max": -1.0},
        {"connect_timeout": 0.0},
        {"read_timeout": -2.0},
    ],
)
def test_nonsensical_policies_are_rejected(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must"):
        RetryPolicy(**bad)  # type: ignore[arg-type]


def test_backoff_counts_failures_from_one() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        RetryPolicy().backoff(0)


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.slack.com/services/T0/B0/xyz",
        "http://127.0.0.1:8080/services/T0/B0/xyz",
        "http://localhost/hook",
        "http://[::1]:9000/hook",
    ],
)
def test_https_or_loopback_http_is_accepted(url: str) -> None:
    require_https(url, what="test webhook")


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.slack.com/services/T0/B0/sekrit-sekrit-sekrit",
        "ftp://example.org/sekrit-sekrit-sekrit",
        "hooks.slack.com/services/T0/B0/sekrit-sekrit-sekrit",
        "",
    ],
)
def test_other_urls_are_refused_without_revealing_them(url: str) -> None:
    with pytest.raises(ValueError, match="test webhook URL") as caught:
        require_https(url, what="test webhook")
    assert "sekrit-sekrit-sekrit" not in str(caught.value)


def test_excerpts_are_one_short_line() -> None:
    assert excerpt("  invalid_payload\n") == "invalid_payload"
    long = excerpt("word " * 100)
    assert len(long) == 200
    assert long.endswith("…")
    assert "\n" not in excerpt("a\nb\r\nc")
