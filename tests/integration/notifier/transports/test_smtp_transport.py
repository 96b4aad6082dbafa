"""The SMTP transport against a real aiosmtpd server on loopback.

The ``smtp_server`` fixture starts servers (STARTTLS, implicit TLS or plain)
with a self-signed certificate that only ``certificate.client_context()``
trusts, and an authenticator accepting one username/password.
"""

from __future__ import annotations

import email
import logging
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

import pytest

from notifier.message import DeliveryFailed, RenderedDigest
from notifier.transports import Transport
from notifier.transports.email import SmtpTransport


# The shapes of the conftest fixtures this module uses (conftest itself is not
# importable by name, so the types are restated here for the type checker).
class ReceivedMail(Protocol):
    mail_from: str
    rcpt_tos: tuple[str, ...]
    content: bytes
    over_tls: bool


class Authenticator(Protocol):
    mechanisms: list[str]


class SmtpServer(Protocol):
    host: str
    port: int
    authenticator: Authenticator

    @property
    def received(self) -> list[ReceivedMail]: ...


class StartSmtp(Protocol):
    def __call__(
        self,
        *,
        mode: str = "starttls",
        auth: bool = True,
        exclude_mechanisms: tuple[str, ...] = (),
        refuse: frozenset[str] = frozenset(),
    ) -> SmtpServer: ...


class Certificate(Protocol):
    def client_context(self) -> ssl.SSLContext: ...


USERNAME = "digest-bot"
PASSWORD = "correct horse battery staple"  # matches the conftest authenticator
SENDER = "Improvement ledger <ledger@exampleshire.gov.uk>"
RECIPIENTS = ("dcs@exampleshire.gov.uk", "Improvement Board <board@exampleshire.gov.uk>")
FIXED_NOW = datetime(2025, 3, 3, 7, 30, tzinfo=UTC)


def transport_for(server: SmtpServer, certificate: Certificate, **overrides: Any) -> SmtpTransport:
    options: dict[str, Any] = {
        "host": server.host,
        "port": server.port,
        "security": "starttls",
        "from_address": SENDER,
        "to_addresses": RECIPIENTS,
        "username": USERNAME,
        "password": PASSWORD,
        "ssl_context": certificate.client_context(),
        "timeout": 5.0,
        "local_hostname": "localhost",
        "now": lambda: FIXED_NOW,
    }
    options.update(overrides)
    return SmtpTransport(**options)


def parse(content: bytes) -> EmailMessage:
    message = email.message_from_bytes(content, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


@pytest.mark.parametrize(
    ("offered", "expected_mechanism"),
    [(("PLAIN",), "LOGIN"), (("LOGIN",), "PLAIN")],
    ids=["login", "plain"],
)
def test_starttls_with_auth_delivers_a_well_formed_alternative_message(
    smtp_server: StartSmtp,
    certificate: Certificate,
    digest: RenderedDigest,
    offered: tuple[str, ...],
    expected_mechanism: str,
) -> None:
    # Hide one mechanism so each run proves the transport can log in with the other.
    server = smtp_server(mode="starttls", exclude_mechanisms=offered)
    transport = transport_for(server, certificate)

    delivery = transport.send(digest)

    assert server.authenticator.mechanisms == [expected_mechanism]
    [mail] = server.received
    assert mail.over_tls is True
    assert mail.mail_from == "ledger@exampleshire.gov.uk"
    assert mail.rcpt_tos == ("dcs@exampleshire.gov.uk", "board@exampleshire.gov.uk")

    message = parse(mail.content)
    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    # Bodies travel with CRLF line endings, as SMTP requires.
    assert parts[0].get_content().replace("\r\n", "\n") == digest.text
    assert parts[1].get_content().replace("\r\n", "\n").rstrip("\n") == digest.html
    assert message["Subject"] == digest.subject
    assert message["From"].addresses[0].addr_spec == "ledger@exampleshire.gov.uk"
    assert message["From"].addresses[0].display_name == "Improvement ledger"
    assert [a.addr_spec for a in message["To"].addresses] == list(mail.rcpt_tos)
    assert parsedate_to_datetime(message["Date"]) == FIXED_NOW
    message_id = message["Message-ID"]
    assert message_id.startswith("<")
    assert message_id.endswith("@exampleshire.gov.uk>")
    assert delivery.channel == "email"
    assert delivery.attempts == 1
    assert delivery.detail == f"message-id {message_id}"


def test_implicit_tls_delivers(
    smtp_server: StartSmtp, certificate: Certificate, digest: RenderedDigest
) -> None:
    server = smtp_server(mode="ssl")
    transport = transport_for(server, certificate, security="ssl")

    delivery = transport.send(digest)

    [mail] = server.received
    assert mail.over_tls is True
    assert server.authenticator.mechanisms  # logged in over the TLS connection
    assert parse(mail.content)["Message-ID"] in delivery.detail


def test_wrong_password_is_permanent_and_nothing_is_sent(
    smtp_server: StartSmtp,
    certificate: Certificate,
    digest: RenderedDigest,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    server = smtp_server(mode="starttls")
    wrong = "not-the-password-at-all"
    transport = transport_for(server, certificate, password=wrong)

    with pytest.raises(DeliveryFailed) as caught:
        transport.send(digest)

    assert caught.value.permanent is True
    assert caught.value.attempts == 1
    assert "username or password" in str(caught.value)
    assert "535" in str(caught.value)
    assert server.received == []
    assert server.authenticator.mechanisms  # the server really was asked
    assert wrong not in caplog.text
    assert wrong not in str(caught.value)
    assert wrong not in repr(transport)


def test_server_not_listening_is_temporary(
    refused_port: int, certificate: Certificate, digest: RenderedDigest
) -> None:
    transport = SmtpTransport(
        host="127.0.0.1",
        port=refused_port,
        from_address=SENDER,
        to_addresses=RECIPIENTS,
        username=USERNAME,
        password=PASSWORD,
        ssl_context=certificate.client_context(),
        timeout=2.0,
        local_hostname="localhost",
    )

    with pytest.raises(DeliveryFailed) as caught:
        transport.send(digest)

    assert caught.value.permanent is False
    assert caught.value.attempts == 1
    assert "refused" in str(caught.value).lower()


def test_an_untrusted_certificate_stops_delivery_before_login(
    smtp_server: StartSmtp, certificate: Certificate, digest: RenderedDigest
) -> None:
    server = smtp_server(mode="starttls")
    # The default context trusts the system CAs, not our self-signed certificate.
    transport = transport_for(server, certificate, ssl_context=ssl.create_default_context())

    with pytest.raises(DeliveryFailed) as caught:
        transport.send(digest)

    assert "certificate" in str(caught.value)
    assert caught.value.permanent is False
    assert server.authenticator.mechanisms == []
    assert server.received == []


def test_starttls_is_never_skipped_when_the_server_does_not_offer_it(
    smtp_server: StartSmtp, certificate: Certificate, digest: RenderedDigest
) -> None:
    server = smtp_server(mode="none", auth=False)
    transport = transport_for(server, certificate)

    with pytest.raises(DeliveryFailed) as caught:
        transport.send(digest)

    assert caught.value.permanent is True
    assert "STARTTLS" in str(caught.value)
    assert server.received == []


def test_plain_local_relay_without_credentials(
    smtp_server: StartSmtp, certificate: Certificate, digest: RenderedDigest
) -> None:
    server = smtp_server(mode="none", auth=False)
    transport = transport_for(server, certificate, security="none", username=None, password=None)

    transport.send(digest)

    [mail] = server.received
    assert mail.over_tls is False
    assert parse(mail.content)["Subject"] == digest.subject


def test_every_recipient_refused_is_permanent(
    smtp_server: StartSmtp, certificate: Certificate, digest: RenderedDigest
) -> None:
    server = smtp_server(mode="starttls", refuse=frozenset({"gone@exampleshire.gov.uk"}))
    transport = transport_for(server, certificate, to_addresses=["gone@exampleshire.gov.uk"])

    with pytest.raises(DeliveryFailed) as caught:
        transport.send(digest)

    assert caught.value.permanent is True
    assert "gone@exampleshire.gov.uk" in str(caught.value)
    assert "550" in str(caught.value)
    assert server.received == []


def test_some_recipients_refused_still_delivers_to_the_rest(
    smtp_server: StartSmtp, certificate: Certificate, digest: RenderedDigest
) -> None:
    server = smtp_server(mode="starttls", refuse=frozenset({"gone@exampleshire.gov.uk"}))
    transport = transport_for(
        server, certificate, to_addresses=["dcs@exampleshire.gov.uk", "gone@exampleshire.gov.uk"]
    )

    delivery = transport.send(digest)

    [mail] = server.received
    assert mail.rcpt_tos == ("dcs@exampleshire.gov.uk",)
    assert "refused: gone@exampleshire.gov.uk (550" in delivery.detail


def test_smtp_transport_satisfies_the_protocol(
    smtp_server: StartSmtp, certificate: Certificate
) -> None:
    server = smtp_server(mode="none", auth=False)
    transport: Transport = transport_for(
        server, certificate, security="none", username=None, password=None, name="email-dcs"
    )
    assert isinstance(transport, Transport)
    assert transport.name == "email-dcs"
