"""Webhook URLs are secrets: the pure redaction helpers and the log filter."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notifier.transports.redaction import (
    URLLIB3_LOGGERS,
    RequestTargetRedactingFilter,
    guard_urllib3_logging,
    redact_request_targets,
    redact_url,
    scrub,
)

SECRET = "XyZsecretTokenValue0123456789"
SLACK_URL = f"https://hooks.slack.com/services/T00000000/B00000000/{SECRET}"
TEAMS_URL = (
    "https://prod-00.uksouth.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke"
    f"?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={SECRET}"
)


def test_redacted_url_keeps_the_host_and_a_four_character_hint() -> None:
    assert redact_url(SLACK_URL) == f"https://hooks.slack.com/…/{SECRET[-4:]}"


def test_redacted_url_keeps_a_port_and_hides_the_query() -> None:
    redacted = redact_url(TEAMS_URL)
    assert redacted == f"https://prod-00.uksouth.logic.azure.com:443/…/{SECRET[-4:]}"
    assert "sig=" not in redacted


def test_userinfo_is_dropped() -> None:
    assert redact_url("https://user:pa55word@example.org/hook/abcdefghijklmnop") == (
        "https://example.org/…/mnop"
    )


def test_short_paths_get_no_hint() -> None:
    assert redact_url("https://example.org/hook") == "https://example.org/…"


def test_unparseable_urls_reveal_nothing() -> None:
    assert redact_url("https://[not-an-ip/secretsecretsecret") == "<unparseable url>"


@given(st.text(alphabet=st.characters(categories=["L", "N"]), min_size=16, max_size=64))
def test_no_secret_path_survives_redaction(secret: str) -> None:
    url = f"https://hooks.example.org/services/{secret}"
    assert secret not in redact_url(url)
    assert secret not in scrub(f"error posting to {url}: boom", url)


@pytest.mark.parametrize(
    "text",
    [
        f"Max retries exceeded with url: /services/T00000000/B00000000/{SECRET}",
        f"POST {SLACK_URL} failed",
        f"token {SECRET} rejected",
        f"sig={SECRET}&sv=1.0",
    ],
)
def test_scrub_removes_the_url_its_path_and_its_secret_pieces(text: str) -> None:
    for url in (SLACK_URL, TEAMS_URL):
        assert SECRET not in scrub(text, url)


def test_scrub_leaves_unrelated_text_alone() -> None:
    assert scrub("HTTP 500: rollup_error", SLACK_URL) == "HTTP 500: rollup_error"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            f'https://hooks.slack.com:443 "POST /services/T0/B0/{SECRET} HTTP/1.1" 200 2',
            'https://hooks.slack.com:443 "POST /… HTTP/1.1" 200 2',
        ),
        (
            f"Incremented Retry for (url='/services/T0/B0/{SECRET}'): Retry(total=1)",
            "Incremented Retry for (url='/…'): Retry(total=1)",
        ),
        (f"Redirecting {SLACK_URL} -> /x", "Redirecting https://hooks.slack.com/… -> /…"),
        ("Starting new HTTPS connection (1): hooks.slack.com:443", None),
    ],
)
def test_library_log_lines_lose_their_paths(message: str, expected: str | None) -> None:
    assert redact_request_targets(message) == (message if expected is None else expected)


def test_filter_rewrites_records_in_place_and_keeps_them() -> None:
    record = logging.LogRecord(
        "urllib3.connectionpool",
        logging.DEBUG,
        __file__,
        1,
        '%s://%s:%s "%s %s %s" %s %s',
        ("https", "hooks.slack.com", 443, "POST", f"/services/T0/B0/{SECRET}", "HTTP/1.1", 200, 2),
        None,
    )
    assert RequestTargetRedactingFilter().filter(record) is True
    assert SECRET not in record.getMessage()
    assert record.getMessage() == 'https://hooks.slack.com:443 "POST /… HTTP/1.1" 200 2'


def test_guarding_urllib3_is_idempotent() -> None:
    guard_urllib3_logging()
    guard_urllib3_logging()
    for name in URLLIB3_LOGGERS:
        filters = logging.getLogger(name).filters
        assert sum(isinstance(f, RequestTargetRedactingFilter) for f in filters) == 1
