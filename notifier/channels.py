"""Building the configured channels' transports: the digest's composition root.

Secrets are looked up by name through the `secret` function the caller passes (the settings'
`Settings.secret`), at build time only. A channel whose secret is missing is reported as
unavailable, not built, so a development machine with no webhooks set up sends nothing.
"""

from __future__ import annotations

import logging
import ssl
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

import requests

from notifier.settings import ChannelSettings, DigestSettings, EmailChannel, WebhookChannel
from notifier.transports import Transport
from notifier.transports.email import SmtpTransport
from notifier.transports.slack import SlackWebhookTransport
from notifier.transports.teams import TeamsWorkflowTransport
from notifier.transports.webhook import RetryPolicy

SecretLookup = Callable[[str], str | None]


@dataclass(frozen=True)
class Channel:
    """A configured channel with its transport, and the authorities it serves (None: all)."""

    name: str
    transport: Transport
    authorities: frozenset[str] | None = None

    def serves(self, authority: str) -> bool:
        return self.authorities is None or authority in self.authorities


@dataclass
class ChannelSet:
    """The channels that could be built, and why the others could not."""

    channels: dict[str, Channel] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)


def _webhook(
    settings: WebhookChannel,
    url: str,
    session: requests.Session,
    policy: RetryPolicy | None,
    sleep: Callable[[float], None],
    logger: logging.Logger | None,
) -> Transport:
    cls = SlackWebhookTransport if settings.kind == "slack" else TeamsWorkflowTransport
    return cls(url, session=session, name=settings.name, policy=policy, sleep=sleep, logger=logger)


def _email(
    settings: EmailChannel,
    password: str | None,
    ssl_context: ssl.SSLContext | None,
    logger: logging.Logger | None,
) -> Transport:
    context = ssl_context
    if context is None and settings.ca_file:
        context = ssl.create_default_context(cafile=settings.ca_file)
    return SmtpTransport(
        host=settings.host,
        port=settings.port,
        from_address=settings.from_address,
        to_addresses=settings.to_addresses,
        security=settings.security,
        username=settings.username,
        password=password,
        ssl_context=context,
        timeout=settings.timeout_seconds,
        name=settings.name,
        logger=logger,
    )


def build_channel(
    settings: ChannelSettings,
    secret: SecretLookup,
    *,
    session: requests.Session,
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
    ssl_context: ssl.SSLContext | None = None,
    logger: logging.Logger | None = None,
) -> Channel:
    """One channel's transport. Raises `ValueError` (naming only the variable) when its secret
    is missing or unusable."""
    if isinstance(settings, WebhookChannel):
        url = secret(settings.webhook_url_env)
        if not url:
            raise ValueError(f"{settings.webhook_url_env} is not set")
        transport = _webhook(settings, url, session, policy, sleep, logger)
    else:
        password = None
        if settings.password_env is not None:
            password = secret(settings.password_env)
            if not password:
                raise ValueError(f"{settings.password_env} is not set")
        transport = _email(settings, password, ssl_context, logger)
    return Channel(settings.name, transport, settings.authorities)


def build_channels(
    settings: DigestSettings,
    secret: SecretLookup,
    *,
    session: requests.Session,
    only: Collection[str] | None = None,
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
    ssl_context: ssl.SSLContext | None = None,
    logger: logging.Logger | None = None,
) -> ChannelSet:
    """Every configured channel (or those named in `only`) that can be built."""
    built = ChannelSet()
    for channel in settings.channels:
        if only is not None and channel.name not in only:
            continue
        try:
            built.channels[channel.name] = build_channel(
                channel,
                secret,
                session=session,
                policy=policy,
                sleep=sleep,
                ssl_context=ssl_context,
                logger=logger,
            )
        except ValueError as problem:
            # Transports' messages show only a redacted URL; ours name only the variable.
            built.unavailable[channel.name] = str(problem)
    return built
