"""Transports that deliver a message to one person's address (reminders, a subscriber's digest),
where the digest's channels each deliver to fixed recipients."""

from __future__ import annotations

import logging
import ssl
from typing import Protocol

from notifier.message import Delivery, DeliveryFailed, RenderedDigest
from notifier.reminder_rendering import RenderedReminder
from notifier.settings import EmailChannel
from notifier.transports.email import SmtpTransport


class AddressedTransport(Protocol):
    """Delivers a rendered reminder to one email address."""

    @property
    def name(self) -> str: ...

    def send_to(self, address: str, message: RenderedReminder, reference: str) -> Delivery:
        """Deliver `message` to `address` (`reference`: the ledger's id of the message, where
        a provider keeps one). Raises `notifier.message.DeliveryFailed`."""
        ...


class PersonalEmail:
    """Email through the SMTP settings of one of the digest's email channels, to the person's own
    address instead of the channel's `to` (one connection per message, as the digest's)."""

    def __init__(
        self,
        settings: EmailChannel,
        password: str | None,
        ssl_context: ssl.SSLContext | None = None,
        logger: logging.Logger | None = None,
    ) -> None:
        self.settings = settings
        self.name = f"email via {settings.name}"
        self._password = password
        self._ssl_context = ssl_context
        if ssl_context is None and settings.ca_file:
            self._ssl_context = ssl.create_default_context(cafile=settings.ca_file)
        self._logger = logger

    def transport_for(self, address: str) -> SmtpTransport:
        """An SMTP transport to `address` alone (raises ValueError on an unusable address)."""
        s = self.settings
        return SmtpTransport(
            host=s.host,
            port=s.port,
            from_address=s.from_address,
            to_addresses=[address],
            security=s.security,
            username=s.username,
            password=self._password,
            ssl_context=self._ssl_context,
            timeout=s.timeout_seconds,
            name=self.name,
            logger=self._logger,
        )

    def send_to(
        self,
        address: str,
        message: RenderedReminder,
        reference: str,  # noqa: ARG002 - SMTP keeps no reference: the Message-ID is the detail
    ) -> Delivery:
        try:
            transport = self.transport_for(address)
        except ValueError as problem:
            raise DeliveryFailed(
                f"{address!r} cannot be emailed: {problem}",
                channel=self.name,
                attempts=0,
                permanent=True,
            ) from None
        email = RenderedDigest(message.subject, message.text, message.html, {}, {})
        return transport.send(email)
