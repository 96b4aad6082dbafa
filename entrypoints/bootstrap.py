"""The composition root: the one place that builds the ledger, its read models and queries, the
digest's sender and the web app from settings, for the CLI, the WSGI app, the scheduler and the
tests alike. Nothing is built at import time."""

from __future__ import annotations

import logging
import os
import secrets
import ssl
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import requests
from eventsourcing.persistence import InterfaceError, OperationalError
from flask import Flask

from config.loading import Clocks, load_clocks
from config.settings import Settings
from entrypoints.report_maker import ReportMaker
from ledger.application.service import JourneyLedger
from ledger.domain.errors import LedgerError
from ledger.domain.frameworks import FrameworkCatalogue
from ledger.persistence.database_urls import Storage, parse_database_url
from notifier.channels import ChannelSet, SecretLookup, build_channels
from notifier.deliveries import DigestSender, utc_now
from notifier.reminder_rendering import ReminderRenderer
from notifier.reminder_sender import ReminderSender
from notifier.reminder_settings import ReminderSettings
from notifier.rendering import DigestRenderer, template_environment
from notifier.settings import DigestSettings, EmailChannel
from notifier.subscriptions import Subscribers, subscriber_channels
from notifier.transports.addressed import AddressedTransport, PersonalEmail
from notifier.transports.notify import NotifyEmail
from notifier.transports.webhook import RetryPolicy
from projections.database import PostgresReadDatabase, ReadDatabase, SQLiteReadDatabase
from projections.read_model import ReadModel
from projections.views import ALL_PROJECTIONS, JourneyViews
from web.accounts import DatabaseAccountStore
from web.api.routes import create_blueprint as create_api_blueprint
from web.app import create_app
from web.config import WebConfig
from web.grants import DatabaseGrantStore
from web.journey.routes import create_blueprint as create_journey_blueprint
from web.journey_services import JourneyServices

SECRET_KEY_FILE = Path("var/secret_key")
#: Uploaded plans wait here between their check and their recording.
UPLOADS_DIRECTORY = Path("var/uploads")
# Blueprint factories of the ledger's own pages, given the ledger and its views.
LEDGER_BLUEPRINTS = (create_journey_blueprint, create_api_blueprint)


class DatabaseUnavailable(LedgerError):
    """The database cannot be reached or opened."""


@dataclass
class Services:
    """Everything built from settings, handed to the entry points."""

    storage: Storage
    ledger: JourneyLedger
    read_model: ReadModel
    views: JourneyViews

    @property
    def frameworks(self) -> FrameworkCatalogue:
        return self.views.frameworks

    @property
    def today(self) -> Callable[[], date]:
        return self.views.today

    @property
    def timezone(self) -> ZoneInfo:
        return self.views.zone

    @property
    def journey(self) -> JourneyServices:
        """What the web app is given: the ledger's door for commands and the query API."""
        return JourneyServices(
            self.ledger, self.views, reports=ReportMaker(self.views), uploads=UPLOADS_DIRECTORY
        )

    @cached_property
    def grants(self) -> DatabaseGrantStore:
        """Which authorities each account's role applies to, beside the accounts. Its table is
        made before any account is added (see `web.grants`)."""
        store = DatabaseGrantStore(self.storage.url)
        store.ensure_table()
        return store

    @cached_property
    def accounts(self) -> DatabaseAccountStore:
        """Web sign-in accounts, kept in the ledger's database."""
        self.grants  # noqa: B018 - the grants table first
        return DatabaseAccountStore(self.storage.url)

    def close(self) -> None:
        self.read_model.database.close()
        self.ledger.close()


def today_in(timezone: ZoneInfo) -> Callable[[], date]:
    """ "Today" as the council's clock reads it, not the server's."""
    return lambda: datetime.now(timezone).date()


def build_services(
    database_url: str,
    frameworks: FrameworkCatalogue,
    timezone: str = "Europe/London",
    cipher_key: str | None = None,
    today: Callable[[], date] | None = None,
    clocks: Clocks | None = None,
) -> Services:
    """Open (creating if need be) the ledger at `database_url` and wire its read side."""
    storage = parse_database_url(database_url, cipher_key)
    zone = ZoneInfo(timezone)
    clock = today or today_in(zone)
    if storage.sqlite_path is not None:
        storage.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        ledger = JourneyLedger(storage.env, frameworks, clock)
        database: ReadDatabase
        if storage.kind == "sqlite":
            database = SQLiteReadDatabase(storage.env["SQLITE_DBNAME"])
        else:
            database = PostgresReadDatabase(storage.conninfo(), storage.schema)
        read_model = ReadModel(ledger, database, ALL_PROJECTIONS)
        read_model.create_tables()
    except (OperationalError, InterfaceError, psycopg.OperationalError) as error:
        raise DatabaseUnavailable(
            f"cannot open the database at {storage.display}: {error}"
        ) from None
    # The read models' rows are written in the transaction that records their events.
    ledger.write_beside_events(read_model.project)
    chosen = clocks or load_clocks()
    views = JourneyViews(read_model, frameworks, clock, zone, chosen.rules, chosen.calendar)
    return Services(storage, ledger, read_model, views)


def services_from(
    settings: Settings,
    frameworks: FrameworkCatalogue,
    database_url: str | None = None,
    clocks: Clocks | None = None,
) -> Services:
    """The services the settings describe (on another database if one is given)."""
    return build_services(
        database_url or settings.database_url,
        frameworks,
        timezone=settings.timezone,
        cipher_key=settings.cipher_key,
        clocks=clocks,
    )


# -- the digest ---------------------------------------------------------------------------------


def build_digest_renderer(services: Services, settings: DigestSettings) -> DigestRenderer:
    """Renders in the ledger's time zone, linking to the configured web app."""
    return DigestRenderer(
        template_environment(), services.timezone, settings.web_base_url, settings.web_path
    )


def build_digest_sender(
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
    subscribers_through: str | None = "email",
) -> tuple[DigestSender, ChannelSet]:
    """A sender over the channels that could be built, and the set saying which could not;
    people subscribed to their authority's digest are sent it through the SMTP settings of
    the email channel `subscribers_through` (None: not at all)."""
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
        build_digest_renderer(services, settings),
        channels.channels,
        services.timezone,
        actor=actor,
        in_flight_timeout=settings.schedule.in_flight_timeout,
        clock=clock,
        subscribers=_subscribers(services, settings, secret, subscribers_through, ssl_context),
    )
    return sender, channels


def _subscribers(
    services: Services,
    settings: DigestSettings,
    secret: SecretLookup,
    through: str | None,
    ssl_context: ssl.SSLContext | None,
) -> Subscribers | None:
    """The subscribers' channels, when the email channel they go through can send."""
    if through is None:
        return None
    found = [c for c in settings.channels if c.name == through and isinstance(c, EmailChannel)]
    if not found:
        return None
    channel = found[0]
    password = secret(channel.password_env) if channel.password_env else None
    if channel.password_env and not password:
        return None
    return subscriber_channels(services.views, PersonalEmail(channel, password, ssl_context))


# -- reminders ----------------------------------------------------------------------------------


def build_reminder_transport(
    settings: ReminderSettings,
    digest: DigestSettings | None,
    secret: SecretLookup,
    *,
    sleep: Callable[[float], None] = time.sleep,
    ssl_context: ssl.SSLContext | None = None,
) -> tuple[AddressedTransport | None, str]:
    """The transport `settings` names, or None and why it cannot be built (a missing secret,
    no such email channel)."""
    if settings.transport == "notify":
        key = secret(settings.notify.api_key_env)
        if not key:
            return None, f"{settings.notify.api_key_env} is not set"
        try:
            return NotifyEmail(settings.notify, key, sleep=sleep), ""
        except ValueError as problem:
            return None, str(problem)
    if digest is None:
        return None, "config/digest.toml could not be read"
    try:
        channel = digest.channel(settings.email_channel)
    except LedgerError as problem:
        return None, str(problem)
    if not isinstance(channel, EmailChannel):
        return None, f"digest channel {settings.email_channel} is not an email channel"
    password = None
    if channel.password_env is not None:
        password = secret(channel.password_env)
        if not password:
            return None, f"{channel.password_env} is not set"
    return PersonalEmail(channel, password, ssl_context), ""


def build_reminder_sender(
    services: Services,
    settings: ReminderSettings,
    transport: AddressedTransport | None,
    *,
    actor: str = "reminders",
    clock: Callable[[], datetime] = utc_now,
) -> ReminderSender:
    """A sender of the day's reminders through `transport` (None: preview only)."""
    renderer = ReminderRenderer(template_environment(), settings.web_base_url, settings.action_path)
    return ReminderSender(
        services.ledger,
        services.views,
        renderer,
        transport,
        settings,
        services.timezone,
        actor=actor,
        clock=clock,
    )


# -- the web app --------------------------------------------------------------------------------


def secret_key(settings: Settings, path: Path = SECRET_KEY_FILE) -> str:
    """LEDGER_SECRET_KEY, else a random key kept in var/ (created once, readable by its owner
    only), so every worker and every restart signs sessions alike."""
    configured = settings.secret("LEDGER_SECRET_KEY")
    if configured:
        return configured
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(48))
    return path.read_text(encoding="utf-8").strip()


def web_config(settings: Settings) -> WebConfig:
    """The web app's settings, from the ledger's."""
    return WebConfig(
        secret_key=secret_key(settings),
        session_cookie_secure=settings.web_https,
        hsts=settings.web_https,
        trusted_proxy_count=settings.trusted_proxy_count,
    )


def build_web_app(settings: Settings, services: Services) -> Flask:
    """The Flask app with the ledger's pages, on already-built services."""
    journey = services.journey
    return create_app(
        web_config(settings),
        accounts=services.accounts,
        blueprints=[factory(journey) for factory in LEDGER_BLUEPRINTS],
        grants=services.grants,
    )
