"""Pure pieces of the SMTP transport: composing the email, classifying errors."""

from __future__ import annotations

import smtplib
import ssl
from datetime import UTC, datetime

import pytest

from notifier.message import RenderedDigest
from notifier.transports.email import (
    SmtpSecurity,
    SmtpTransport,
    classify_smtp_error,
    compose_message,
    envelope_address,
)

DIGEST = RenderedDigest(
    subject="Weekly digest: Exampleshire",
    text="Plain body\n",
    html="<p>HTML body</p>",
    slack={"text": "x", "blocks": []},
    teams={"type": "message", "attachments": []},
)
WHEN = datetime(2025, 3, 3, 7, 30, tzinfo=UTC)


def test_message_is_text_then_html_alternatives_with_the_headers() -> None:
    message = compose_message(
        DIGEST,
        from_address="Ledger <ledger@exampleshire.gov.uk>",
        to_addresses=["a@exampleshire.gov.uk", "b@exampleshire.gov.uk"],
        date=WHEN,
        message_id="<1@exampleshire.gov.uk>",
    )
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["Subject"] == "Weekly digest: Exampleshire"
    assert message["To"] == "a@exampleshire.gov.uk, b@exampleshire.gov.uk"
    assert message["Date"] == "Mon, 03 Mar 2025 07:30:00 +0000"
    assert message["Message-ID"] == "<1@exampleshire.gov.uk>"


def test_display_names_with_commas_stay_one_address() -> None:
    message = compose_message(
        DIGEST,
        from_address="ledger@exampleshire.gov.uk",
        to_addresses=[
            '"Board, Improvement" <board@exampleshire.gov.uk>',
            "dcs@exampleshire.gov.uk",
        ],
        date=WHEN,
        message_id="<2@exampleshire.gov.uk>",
    )
    addresses = message["To"].addresses
    assert [a.addr_spec for a in addresses] == [
        "board@exampleshire.gov.uk",
        "dcs@exampleshire.gov.uk",
    ]
    assert addresses[0].display_name == "Board, Improvement"


def test_a_subject_with_a_line_break_cannot_inject_headers() -> None:
    digest = RenderedDigest(
        subject="Digest\r\nBcc: everyone@example.org",
        text="t",
        html="h",
        slack={},
        teams={},
    )
    with pytest.raises(ValueError, match=r"linefeed|carriage"):
        compose_message(
            digest,
            from_address="a@b.example",
            to_addresses=["c@d.example"],
            date=WHEN,
            message_id="<x@b.example>",
        )


@pytest.mark.parametrize(
    ("given", "bare"),
    [
        ("ledger@example.org", "ledger@example.org"),
        ("Ledger <ledger@example.org>", "ledger@example.org"),
    ],
)
def test_envelope_address_strips_the_display_name(given: str, bare: str) -> None:
    assert envelope_address(given) == bare


@pytest.mark.parametrize(
    "bad",
    ["", "not an address", "@example.org", "x@", "a@b\r\nBcc: c@d", "Board, Chair <c@d.example>"],
)
def test_unusable_addresses_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match=r"line breaks|not an email address"):
        envelope_address(bad)


@pytest.mark.parametrize(
    ("error", "permanent", "mentions"),
    [
        (
            smtplib.SMTPAuthenticationError(535, b"5.7.8 Authentication credentials invalid"),
            True,
            "535",
        ),
        (
            smtplib.SMTPAuthenticationError(454, b"4.7.0 Temporary authentication failure"),
            False,
            "454",
        ),
        (
            smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"No such user")}),
            True,
            "x@example.org",
        ),
        (smtplib.SMTPRecipientsRefused({"x@example.org": (450, b"Greylisted")}), False, "450"),
        (smtplib.SMTPSenderRefused(553, b"Not allowed", "me@example.org"), True, "me@example.org"),
        (smtplib.SMTPDataError(452, b"Insufficient storage"), False, "452"),
        (smtplib.SMTPDataError(554, b"Rejected as spam"), True, "554"),
        (
            smtplib.SMTPNotSupportedError("STARTTLS extension not supported by server."),
            True,
            "STARTTLS",
        ),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), False, "closed"),
        (ConnectionRefusedError(111, "Connection refused"), False, "Connection refused"),
        (TimeoutError("timed out"), False, "timed out"),
        (ssl.SSLError(1, "[SSL] wrong version number"), False, "TLS"),
    ],
)
def test_smtp_errors_are_classified(error: OSError, permanent: bool, mentions: str) -> None:
    reason, is_permanent = classify_smtp_error(error)
    assert is_permanent is permanent
    assert mentions in reason


def _transport(**overrides: object) -> SmtpTransport:
    options: dict[str, object] = {
        "host": "smtp.example.org",
        "port": 587,
        "from_address": "ledger@example.org",
        "to_addresses": ["dcs@example.org"],
        "username": "bot",
        "password": "hunter2-very-secret",
    }
    options.update(overrides)
    return SmtpTransport(**options)  # type: ignore[arg-type]


def test_repr_never_shows_the_password() -> None:
    text = repr(_transport())
    assert "hunter2-very-secret" not in text
    assert "smtp.example.org" in text


def test_security_accepts_the_plain_strings() -> None:
    assert "'ssl'" in repr(_transport(security="ssl", port=465))
    assert SmtpSecurity("starttls") is SmtpSecurity.STARTTLS


@pytest.mark.parametrize(
    ("overrides", "complaint"),
    [
        ({"security": "none"}, "without TLS"),
        ({"password": None}, "together"),
        ({"to_addresses": []}, "recipient"),
        ({"from_address": "nobody"}, "not an email address"),
        ({"timeout": 0}, "timeout"),
        ({"security": "tls-please"}, "tls-please"),
    ],
)
def test_unsafe_or_incomplete_settings_are_refused(
    overrides: dict[str, object], complaint: str
) -> None:
    with pytest.raises(ValueError, match=complaint):
        _transport(**overrides)


def test_a_single_recipient_string_is_not_split_into_characters() -> None:
    assert "['dcs@example.org']" in repr(_transport(to_addresses="dcs@example.org"))
