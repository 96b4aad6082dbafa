"""`ledger digest` and `ledger scheduler`: preview or send the weekly digest, or run its schedule.

Click commands taking the ledger CLI's context object (`entrypoints.cli.main.CliContext`), which
registers them with `main.add_command(...)`. Every error a user can cause prints one line and
exits with 2.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import click
import requests

from config.digest import DigestConfigError
from config.loading import Configuration
from config.reminders import RemindersConfigError
from config.settings import Settings
from entrypoints.actors import command_line_actor
from entrypoints.bootstrap import (
    Access,
    Services,
    build_digest_renderer,
    build_digest_sender,
    build_reminder_sender,
    build_reminder_transport,
)
from entrypoints.scheduler import build_scheduler, stop_on_signals
from ledger.domain.errors import LedgerError
from notifier.changes import ShownBefore
from notifier.deliveries import DeliveryReport, DigestSender, Outcome
from notifier.periods import DigestPeriod, check_over, next_period, parse_period
from notifier.reminder_schedule import ReminderJob
from notifier.rendering import FORMATS
from notifier.schedule import DigestJob, previous_fire_time
from notifier.sent import latest_sent
from notifier.settings import DigestSettings


class CliContext(Protocol):
    """What the commands need of `entrypoints.cli.main.CliContext` (not imported: that module
    imports this one to register the commands)."""

    configuration: Configuration
    access: Access

    @property
    def settings(self) -> Settings: ...

    @property
    def services(self) -> Services: ...


class DigestUsageError(LedgerError):
    """A digest option the command cannot act on."""


@contextmanager
def _one_line_errors() -> Iterator[None]:
    try:
        yield
    except (LedgerError, DigestConfigError) as error:
        click.echo(f"error: {error}", err=True)
        click.get_current_context().exit(2)


def _authorities(services: Services, given: str | None) -> list[str]:
    if given:
        services.views.authority(given)  # raises UnknownAuthority with a clear message
        return [given]
    return [str(a["slug"]) for a in services.views.authorities() if "slug" in a]


def _preview_period(
    services: Services, authority: str, channel: str | None
) -> tuple[DigestPeriod, bool]:
    """Since the last digest sent on `channel`, else the last seven days (up to yesterday); and
    whether it would be the first digest there (with no channel: whether none went out yet)."""
    today = services.today()
    yesterday = today - timedelta(days=1)
    sent = latest_sent(services.ledger)
    if channel is not None:
        last = sent.get((authority, channel))
        following = next_period(last.period if last else None, yesterday)
        if following is not None:
            return following, last is None
        return DigestPeriod.days_before(today), last is None
    first = not any(slug == authority for slug, _ in sent)
    return DigestPeriod.days_before(today), first


def _print_rendered(rendered: Any, fmt: str) -> None:
    if fmt == "text":
        click.echo(rendered.text, nl=False)
    elif fmt == "html":
        click.echo(rendered.html, nl=False)
    else:
        payload = rendered.slack if fmt == "slack" else rendered.teams
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))


@click.command("digest")
@click.option("--authority", help="The authority's id (preview: optional when there is one).")
@click.option("--period", help="An ISO week (2018-W33), days (2018-08-13..2018-08-19) or a day.")
@click.option("--preview", is_flag=True, help="Print the digest; send and record nothing.")
@click.option("--send", is_flag=True, help="Send the digest on the configured channels.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="What --preview prints.",
)
@click.option("--channel", help="Only this channel (default: every configured channel).")
@click.pass_obj
def digest(
    obj: CliContext,
    authority: str | None,
    period: str | None,
    preview: bool,
    send: bool,
    fmt: str,
    channel: str | None,
) -> None:
    """Preview or send the weekly digest.

    The period defaults to the days since the last digest sent on the channel, else the last
    seven days; it always ends by yesterday when sending. --send records each delivery (or failed
    attempt) in the ledger and never sends a period twice on a channel; exit 1 if any failed.
    """
    with _one_line_errors():
        if preview == send:
            raise DigestUsageError("choose one of --preview or --send")
        settings = obj.configuration.digest
        if channel is not None:
            settings.channel(channel)  # raises UnknownChannel
        chosen = parse_period(period) if period else None
        if preview:
            _preview(obj, settings, authority, chosen, channel, fmt)
        else:
            failed = _send(obj, settings, authority, chosen, channel)
            if failed:
                click.get_current_context().exit(1)


def _preview(
    obj: CliContext,
    settings: DigestSettings,
    authority: str | None,
    period: DigestPeriod | None,
    channel: str | None,
    fmt: str,
) -> None:
    obj.access = Access.READ  # a preview sends and records nothing
    services = obj.services
    slugs = _authorities(services, authority)
    if len(slugs) != 1:
        listed = ", ".join(slugs) or "none recorded yet"
        raise DigestUsageError(f"choose an authority with --authority ({listed})")
    slug = slugs[0]
    renderer = build_digest_renderer(services, settings)
    sender = DigestSender(services.ledger, services.views, renderer, {}, services.timezone)
    # A period asked for by name is shown as it is; the default one as it would next go out.
    chosen, first = (period, False) if period else _preview_period(services, slug, channel)
    rendered, _, _ = sender.compile(slug, chosen, datetime.now(UTC), first=first)
    _print_rendered(rendered, fmt)


def _send(
    obj: CliContext,
    settings: DigestSettings,
    authority: str | None,
    period: DigestPeriod | None,
    channel: str | None,
) -> bool:
    services = obj.services
    today = services.today()
    if period is not None:
        check_over(period, today)
    with requests.Session() as session:
        sender, built = build_digest_sender(
            services,
            settings,
            obj.settings.secret,
            session=session,
            only=[channel] if channel else None,
            actor=command_line_actor(),
        )
        if channel is not None and channel in built.unavailable:
            raise DigestUsageError(f"channel {channel} cannot send: {built.unavailable[channel]}")
        for name, why in built.unavailable.items():
            click.echo(f"skipped channel {name}: {why}", err=True)
        if not built.channels:
            raise DigestUsageError("no digest channel can send (see config/digest.toml)")
        slugs = _authorities(services, authority)
        now = datetime.now(UTC)
        if period is None:
            reports = sender.send_due(now=now, until=today - timedelta(days=1), authorities=slugs)
        else:
            reports = _send_period(sender, services, slugs, period, now)
    for report in reports:
        click.echo(str(report), err=report.outcome is Outcome.FAILED)
    return any(r.outcome is Outcome.FAILED for r in reports)


def _send_period(
    sender: DigestSender,
    services: Services,
    slugs: list[str],
    period: DigestPeriod,
    now: datetime,
) -> list[DeliveryReport]:
    sent = latest_sent(services.ledger)
    reports = []
    for name, channel in sender.channels.items():
        for slug in slugs:
            if not channel.serves(slug):
                continue
            last = sent.get((slug, name))
            follows = last is not None and last.period.end + timedelta(days=1) == period.start
            shown: ShownBefore | None = last.shown if last is not None and follows else None
            reports.append(
                sender.send(slug, name, period, now=now, shown_before=shown, first=last is None)
            )
    return reports


@click.command("scheduler")
@click.option("--once", is_flag=True, help="Run the due deliveries now, then exit.")
@click.pass_obj
def scheduler(obj: CliContext, once: bool) -> None:
    """Run the digest schedule (config/digest.toml) in this process, until stopped.

    Run one scheduler per ledger, never inside the web app's workers.
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    with _one_line_errors():
        settings = obj.configuration.digest
        services = obj.services
        with requests.Session() as session:
            sender, built = build_digest_sender(
                services, settings, obj.settings.secret, session=session
            )
            for name, why in built.unavailable.items():
                click.echo(f"skipped channel {name}: {why}", err=True)
            job = DigestJob(sender, settings.schedule, services.timezone)
            reminders = _reminder_job(obj, services, settings)
            if once:
                for report in job.run():
                    click.echo(str(report))
                for reminder in reminders.run() if reminders is not None else []:
                    click.echo(str(reminder))
                return
            _run_forever(job, list(built.channels), reminders)


def _reminder_job(
    obj: CliContext, services: Services, digest: DigestSettings
) -> ReminderJob | None:
    """The reminders' job, or None (said why) when they cannot be sent."""
    try:
        settings = obj.configuration.reminders
    except RemindersConfigError as problem:
        click.echo(f"reminders off: {problem}", err=True)
        return None
    transport, why = build_reminder_transport(settings, digest, obj.settings.secret)
    if transport is None:
        click.echo(f"reminders off: {why}", err=True)
        return None
    sender = build_reminder_sender(services, settings, transport, actor="scheduler")
    return ReminderJob(sender, settings.schedule, services.timezone)


def _run_forever(job: DigestJob, channels: list[str], reminders: ReminderJob | None) -> None:
    now = datetime.now(UTC)
    runner = build_scheduler(job, now=now, reminders=reminders)
    stop_on_signals(runner)
    latest = previous_fire_time(job.trigger, now)
    grace = timedelta(seconds=job.schedule.misfire_grace_seconds)
    if latest is not None and now - latest <= grace:
        slot = f"{latest.astimezone(job.zone):%a %d %b %Y %H:%M}"
        first = f"now (the run of {slot}; periods already sent are skipped)"
    else:
        upcoming = job.trigger.get_next_fire_time(None, now)
        first = f"{upcoming.astimezone(job.zone):%a %d %b %Y %H:%M}" if upcoming else "never"
    click.echo(
        f"digest scheduler: {job.schedule.describe()} ({job.zone.key}); "
        f"channels: {', '.join(channels) or 'none'}; first run {first}"
    )
    if reminders is not None:
        click.echo(f"reminders: {reminders.schedule.describe()} ({reminders.zone.key})")
    runner.start()
