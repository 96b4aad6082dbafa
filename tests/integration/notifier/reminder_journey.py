"""A journey with people and actions due, for the reminder tests: recorded through the ledger's
door as import lines would be."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from entrypoints.bootstrap import Services, build_reminder_sender
from ledger.application.service import JourneyLedger
from notifier.reminder_sender import ReminderSender
from notifier.reminder_settings import ReminderRules, ReminderSchedule, ReminderSettings
from notifier.settings import EmailChannel
from notifier.transports.addressed import AddressedTransport, PersonalEmail
from tests.factories import AUTHORITY, action, authority, recommendation, record, sif_inspection

TODAY = date(2026, 11, 23)
PLANNED = "2026-10-01"


def person(ref: str, manager: str | None = None, roles: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "PersonAdded",
        "authority": AUTHORITY,
        "id": ref,
        "name": ref.capitalize() + " Example",
        "email": f"{ref}@example.org",
        "manager": manager,
        "roles": roles or [],
        "date": "2026-09-01",
        "source": "staff list",
    }


def assigned(ref: str, due: date, to: str) -> dict[str, Any]:
    return {**action(ref, ["rec-1"], due=due.isoformat(), planned=PLANNED), "person": to}


def base() -> list[dict[str, Any]]:
    return [
        authority(),
        sif_inspection("insp-1", "2018-08-17"),
        recommendation("rec-1", "insp-1"),
    ]


def three_people_seven_actions(ledger: JourneyLedger) -> dict[str, list[str]]:
    """Ann owns three actions, Bob two and Cat two, every one due within three days of TODAY:
    each owner is to be told about all of theirs, in one message."""
    owners = {"ann": ["a-1", "a-2", "a-3"], "bob": ["b-1", "b-2"], "cat": ["c-1", "c-2"]}
    lines = [*base(), *(person(p) for p in owners)]
    for who, refs in owners.items():
        lines += [assigned(ref, TODAY + timedelta(days=1 + i), who) for i, ref in enumerate(refs)]
    record(ledger, *lines)
    return owners


def email_channel(host: str, port: int) -> EmailChannel:
    return EmailChannel(
        name="email",
        host=host,
        port=port,
        from_address="Improvement ledger <ledger@example.org>",
        to_addresses=("board@example.org",),
        security="none",
        timeout_seconds=10,
    )


def settings(**rules: Any) -> ReminderSettings:
    return ReminderSettings(
        rules=ReminderRules(**rules),
        schedule=ReminderSchedule(in_flight_timeout_seconds=1),
        web_base_url="https://ledger.example.org",
    )


def email_sender(
    services: Services, host: str, port: int, chosen: ReminderSettings | None = None
) -> ReminderSender:
    transport: AddressedTransport = PersonalEmail(email_channel(host, port), None)
    return build_reminder_sender(services, chosen or settings(), transport, actor="test")
