"""Wiring the digest from settings: the one place its renderer, channels and sender are built.

Entry points (the CLI, the scheduler) call these with the services and settings they loaded;
tests call them with their own. Nothing is built at import time.
"""

from __future__ import annotations

import logging
import ssl
import time
from collections.abc import Callable, Collection
from datetime import datetime

import requests

from ledger.bootstrap import Services
from notifier.channels import ChannelSet, SecretLookup, build_channels
from notifier.deliveries import DigestSender, utc_now
from notifier.rendering import DigestRenderer, template_environment
from notifier.settings import DigestSettings
from notifier.transports.webhook import RetryPolicy


def build_renderer(services: Services, settings: DigestSettings) -> DigestRenderer:
    """Renders in the ledger's time zone, linking to the configured web app."""
    return DigestRenderer(
        template_environment(), services.timezone, settings.web_base_url, settings.web_path
    )


def build_sender(
    services: Services,
    settings: DigestSettings,
    secret: SecretLookup,
    *,
    session: requests.Session,
    only: Collection[str] | None = None,
    actor: str = "scheduler",
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
    ssl_context: ssl.SSLContext | None = None,
    clock: Callable[[], datetime] = utc_now,
    logger: logging.Logger | None = None,
) -> tuple[DigestSender, ChannelSet]:
    """A sender over the channels that could be built, and the set saying which could not."""
    channels = build_channels(
        settings,
        secret,
        session=session,
        only=only,
        policy=policy,
        sleep=sleep,
        ssl_context=ssl_context,
        logger=logger,
    )
    sender = DigestSender(
        services.ledger,
        services.views,
        build_renderer(services, settings),
        channels.channels,
        services.timezone,
        actor=actor,
        in_flight_timeout=settings.schedule.in_flight_timeout,
        clock=clock,
    )
    return sender, channels
