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
from datetime import date, datetime, timedelta
from enum import Enum
from functools import cached_property
from pathlib import Path
from uuid import uuid4
from zoneinfo import ZoneInfo

import psycopg
import requests
from eventsourcing.persistence import InterfaceError, OperationalError
from flask import Flask

from config.loading import Clocks, load_clocks
from config.settings import Settings
from entrypoints.report_maker import ReportMaker
from ledger.application.accounts_audit import SQLITE_EVENTS_TABLE as ACCOUNTS_SQLITE_TABLE
from ledger.application.accounts_audit import AccountsAudit
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
from web.auth.audited_accounts import AuditedAccounts
from web.auth.server_sessions import DatabaseSessionStore
from web.auth.sign_in_attempts import DatabaseAttemptStore
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


class LedgerNotFound(LedgerError):
    """There is no ledger where the database URL points (or its tables are out of date)."""


class Access(Enum):
    """What a process will do with the ledger, which decides what opening it may do.

    Only `MIGRATE` runs DDL (once, under a lock, and only where something is missing), so
    processes starting together never replace each other's tables, triggers or functions.
    """

    #: Queries, verify, export, fingerprint: writes nothing to the history and runs no DDL;
    #: works on read-only media (read models are then folded in memory). The ledger must exist.
    READ = "read"
    #: Web workers: records, runs no DDL; the tables must be there (`ledger init` made them).
    RECORD = "record"
    #: `init` and the commands that record from the command line: create or upgrade first.
    MIGRATE = "migrate"


@dataclass
class Services:
    """Everything built from settings, handed to the entry points."""

    storage: Storage
    ledger: JourneyLedger
    read_model: ReadModel
    views: JourneyViews
    #: The storage as opened (read-only for `Access.READ`).
    opened: Storage

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
    def accounts_audit(self) -> AccountsAudit:
        """The accounts audit trail: a sealed chain of its own in the ledger's database."""
        env = dict(self.opened.env)
        if self.storage.kind == "sqlite":
            env["SEALED_EVENTS_TABLE"] = ACCOUNTS_SQLITE_TABLE
        return AccountsAudit(env)

    @cached_property
    def accounts(self) -> AuditedAccounts:
        """Web sign-in accounts, kept in the ledger's database, every change recorded in the
        accounts audit trail and every account checked against it."""
        self.grants  # noqa: B018 - the grants table first
        return AuditedAccounts(DatabaseAccountStore(self.storage.url), self.accounts_audit)

    @cached_property
    def sessions(self) -> DatabaseSessionStore:
        """Web sessions, kept on the server (in the ledger's database)."""
        return DatabaseSessionStore(self.storage.url)

    @cached_property
    def sign_in_attempts(self) -> DatabaseAttemptStore:
        """Sign-in attempts, counted in the ledger's database by every web worker."""
        return DatabaseAttemptStore(self.storage.url)

    def prepare_accounts(self, by: str) -> None:
        """Create the accounts' tables and trail (once), and take accounts made before the
        trail existed into it as they are found."""
        self.accounts_audit.create_schema()
        self.accounts.create_schema()
        self.sessions.create_schema()
        self.sign_in_attempts.create_schema()
        self.accounts.adopt_untracked(by)

    def close(self) -> None:
        self.read_model.database.close()
        self.ledger.close()
        if "accounts_audit" in self.__dict__:
            self.accounts_audit.close()


def today_in(timezone: ZoneInfo) -> Callable[[], date]:
    """ "Today" as the council's clock reads it, not the server's."""
    return lambda: datetime.now(timezone).date()


def build_services(
    database_url: str,
    frameworks: FrameworkCatalogue,
    timezone: str = "Europe/London",
    cipher_key: str | None = None,
    today: Callable[[], date] | None = None,
    access: Access = Access.MIGRATE,
    clocks: Clocks | None = None,
) -> Services:
    """Open the ledger at `database_url` for `access` and wire its read side.

    Only `Access.MIGRATE` creates anything (the SQLite file, the tables); otherwise a missing
    ledger is a `LedgerNotFound`, never a new empty one.
    """
    storage = parse_database_url(database_url, cipher_key)
    zone = ZoneInfo(timezone)
    clock = today or today_in(zone)
    path = storage.sqlite_path
    if path is not None and access is Access.MIGRATE:
        path.parent.mkdir(parents=True, exist_ok=True)
    elif path is not None and not path.is_file():
        raise LedgerNotFound(
            f"there is no ledger at {storage.display} (no such file): check the path, "
            "or create one with `ledger init`"
        )
    opened = storage.opened_read_only() if access is Access.READ else storage
    try:
        ledger = JourneyLedger(opened.env, frameworks, clock)
        try:
            _prepare(ledger, storage, access)
            read_model = _read_model(ledger, storage, access)
        except BaseException:
            ledger.close()
            raise
    except (OperationalError, InterfaceError, psycopg.OperationalError) as error:
        raise DatabaseUnavailable(
            f"cannot open the database at {storage.display}: {error}"
        ) from None
    chosen = clocks or load_clocks()
    views = JourneyViews(read_model, frameworks, clock, zone, chosen.rules, chosen.calendar)
    services = Services(storage, ledger, read_model, views, opened)
    if access is Access.MIGRATE:
        services.prepare_accounts(by="ledger (taken into the trail when it was first kept)")
    return services


def _prepare(ledger: JourneyLedger, storage: Storage, access: Access) -> None:
    """Create or upgrade the tables (`MIGRATE` only), else check they are there: as this version
    makes them to record, of any version to read."""
    if access is Access.MIGRATE:
        ledger.create_schema()
    elif not (ledger.schema_exists() if access is Access.READ else ledger.schema_ready()):
        raise LedgerNotFound(
            f"{storage.display} holds no ledger, or one whose tables are out of date: "
            "run `ledger init` on it"
        )


def _read_model(ledger: JourneyLedger, storage: Storage, access: Access) -> ReadModel:
    """The read models, kept beside the events; for a read of a store without them (made by an
    older version, or on read-only media) kept in memory, built afresh by this process."""
    database: ReadDatabase
    if storage.kind == "sqlite":
        database = SQLiteReadDatabase(storage.env["SQLITE_DBNAME"])
    else:
        database = PostgresReadDatabase(storage.conninfo(), storage.schema)
    read_model = ReadModel(ledger, database, ALL_PROJECTIONS)
    if access is Access.MIGRATE:
        read_model.create_tables()
    elif access is Access.READ and (storage.on_read_only_media or not read_model.tables_ready()):
        database.close()
        in_memory = ReadModel(ledger, SQLiteReadDatabase(_memory()), ALL_PROJECTIONS)
        in_memory.create_tables()
        return in_memory
    elif not read_model.tables_ready():
        database.close()
        raise LedgerNotFound(
            f"{storage.display} holds a ledger without this version's read models: "
            "run `ledger init` on it"
        )
    # The rows are written in the transaction that records their events.
    ledger.write_beside_events(read_model.project)
    if access is Access.MIGRATE:
        read_model.catch_up()
    return read_model


def _memory() -> str:
    """A new SQLite database in memory, shared by this process's threads."""
    return f"file:read-models-{uuid4().hex}?mode=memory&cache=shared"


def services_from(
    settings: Settings,
    frameworks: FrameworkCatalogue,
    database_url: str | None = None,
    clocks: Clocks | None = None,
    access: Access = Access.MIGRATE,
) -> Services:
    """The services the settings describe (on another database if one is given)."""
    return build_services(
        database_url or settings.database_url,
        frameworks,
        timezone=settings.timezone,
        cipher_key=settings.cipher_key,
        access=access,
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
        session_idle_timeout=timedelta(minutes=settings.web_session_idle_minutes),
    )


def build_web_app(settings: Settings, services: Services) -> Flask:
    """The Flask app with the ledger's pages, on already-built services."""
    journey = services.journey
    return create_app(
        web_config(settings),
        accounts=services.accounts,
        blueprints=[factory(journey) for factory in LEDGER_BLUEPRINTS],
        grants=services.grants,
        sessions=services.sessions,
        attempts=services.sign_in_attempts,
    )
