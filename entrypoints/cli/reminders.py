"""`ledger reminders`: preview or send today's reminders and escalations to the people who own
actions (the scheduler process sends them every weekday morning too)."""

from __future__ import annotations

from datetime import date
from typing import Protocol

import click

from config.digest import DigestConfigError
from config.loading import Configuration
from config.reminders import RemindersConfigError
from config.settings import Settings
from entrypoints.actors import command_line_actor
from entrypoints.bootstrap import Services, build_reminder_sender, build_reminder_transport
from ledger.domain.errors import LedgerError
from notifier.reminder_sender import ReminderOutcome, ReminderSender


class CliContext(Protocol):
    configuration: Configuration

    @property
    def settings(self) -> Settings: ...

    @property
    def services(self) -> Services: ...


class RemindersUsageError(LedgerError):
    """A reminders option the command cannot act on."""


def _parse_date(_: click.Context, __: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


@click.command("reminders")
@click.option("--preview", is_flag=True, help="Print the messages; send and record nothing.")
@click.option("--send", is_flag=True, help="Send them, recording each in the ledger.")
@click.option("--authority", help="Only this authority (default: every one).")
@click.option(
    "--today", callback=_parse_date, help="The day to reckon on (default today; not later)."
)
@click.pass_obj
def reminders(
    obj: CliContext, preview: bool, send: bool, authority: str | None, today: date | None
) -> None:
    """Preview or send today's reminders: one message per person listing every action that
    needs them (due in 14 or 3 days, due today, overdue, no update for weeks) and the overdue
    actions escalated to them. Rules in config/reminders.toml. Nothing already told is told
    again; exit 1 if a message failed."""
    try:
        if preview == send:
            raise RemindersUsageError("choose one of --preview or --send")
        services = obj.services
        settings = obj.configuration.reminders
        day = today or services.today()
        if day > services.today():
            raise RemindersUsageError(f"{day} is in the future: reminders are for today")
        chosen = None
        if authority:
            services.views.authority(authority)  # raises UnknownAuthority
            chosen = [authority]
        transport = None
        if send:
            try:
                digest = obj.configuration.digest
            except DigestConfigError as problem:
                click.echo(f"warning: {problem}", err=True)
                digest = None
            transport, why = build_reminder_transport(settings, digest, obj.settings.secret)
            if transport is None:
                raise RemindersUsageError(f"reminders cannot be sent: {why}")
        sender = build_reminder_sender(services, settings, transport, actor=command_line_actor())
        if preview:
            _preview(sender, chosen, day)
            return
        reports = sender.run(day, chosen)
    except (LedgerError, RemindersConfigError) as error:
        click.echo(f"error: {error}", err=True)
        click.get_current_context().exit(2)
    if not reports:
        click.echo(f"nothing to tell on {day.isoformat()}")
    for report in reports:
        click.echo(str(report), err=report.outcome is ReminderOutcome.FAILED)
    if any(r.outcome is ReminderOutcome.FAILED for r in reports):
        click.get_current_context().exit(1)


def _preview(sender: ReminderSender, chosen: list[str] | None, day: date) -> None:
    shown = 0
    for authority in chosen if chosen is not None else sender.authorities():
        for message in sender.plan(authority, day):
            rendered = sender.render(message, day)
            click.echo(f"To: {message.name} <{message.email}>")
            click.echo(f"Subject: {rendered.subject}\n")
            click.echo(rendered.text)
            click.echo("-" * 78)
            shown += 1
    if not shown:
        click.echo(f"nothing to tell on {day.isoformat()}")
