"""The digest by email, through a real aiosmtpd server with STARTTLS and a login."""

from __future__ import annotations

import email
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import default
from typing import Any

import requests

from entrypoints.bootstrap import Services
from entrypoints.bootstrap import build_digest_sender as build_sender
from notifier.deliveries import Outcome
from notifier.periods import parse_period
from notifier.sent import sent_digests
from notifier.settings import DigestSettings, EmailChannel, ScheduleSettings
from tests.factories import load_demo

USERNAME = "digest-bot"  # the stand-in server's account (see conftest.py)
PASSWORD = "correct horse battery staple"


def test_the_digest_arrives_as_a_well_formed_multipart_email(
    services: Services, smtp_server: Any, certificate: Any
) -> None:
    load_demo(services.ledger)
    server = smtp_server(mode="starttls", auth=True)
    channel = EmailChannel(
        name="email",
        host=server.host,
        port=server.port,
        from_address="Improvement ledger <ledger@example.org>",
        to_addresses=("board@example.org", "Director <dcs@example.org>"),
        username=USERNAME,
        password_env="LEDGER_SMTP_PASSWORD",
        timeout_seconds=5,
    )
    settings = DigestSettings(
        ScheduleSettings(), "https://ledger.example.org", "/d?{query}", (channel,)
    )
    with requests.Session() as session:
        sender, built = build_sender(
            services,
            settings,
            {"LEDGER_SMTP_PASSWORD": PASSWORD}.get,
            session=session,
            ssl_context=certificate.client_context(),
        )
    assert built.unavailable == {}

    week = parse_period("2018-W33")
    report = sender.send("lancashire", "email", week, now=datetime(2018, 8, 20, 8, tzinfo=UTC))

    assert report.outcome is Outcome.SENT and report.detail.startswith("message-id <")
    (mail,) = server.received
    assert mail.over_tls
    assert server.authenticator.mechanisms  # logged in
    assert mail.mail_from == "ledger@example.org"
    assert set(mail.rcpt_tos) == {"board@example.org", "dcs@example.org"}
    message = email.message_from_bytes(mail.content, policy=default)
    assert isinstance(message, EmailMessage)
    assert (
        message["Subject"] == "Lancashire County Council: improvement digest, 13 to 19 August 2018"
    )
    assert message.get_content_type() == "multipart/alternative"
    plain, html = message.iter_parts()
    assert plain.get_content_type() == "text/plain"
    assert html.get_content_type() == "text/html"
    text = " ".join(plain.get_content().split())
    assert (
        "overall effectiveness improved from Inadequate to Requires improvement to be good" in text
    )
    assert "https://ledger.example.org/d?from=2018-08-13&to=2018-08-19" in text
    assert '<html lang="en-GB">' in html.get_content()
    (sent,) = sent_digests(services.ledger)
    assert sent.detail == report.detail
    assert sent.fingerprint in text
