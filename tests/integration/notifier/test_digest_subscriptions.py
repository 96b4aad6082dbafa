"""A person subscribed to their authority's weekly digest is sent it by email, to their own
address, once a period (both backends, a real SMTP server); one who left, or unsubscribed, is
not."""

from __future__ import annotations

from datetime import UTC, date, datetime

import requests

from entrypoints.bootstrap import Services, build_digest_sender
from notifier.deliveries import Outcome
from notifier.settings import DigestSettings, ScheduleSettings
from tests.factories import AUTHORITY, record
from tests.integration.notifier.conftest import StartSmtp
from tests.integration.notifier.reminder_journey import base, email_channel, person

UNTIL = date(2026, 11, 22)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_a_subscriber_gets_the_weekly_digest_at_their_own_address_once(
    services: Services, smtp_server: StartSmtp
) -> None:
    record(
        services.ledger,
        *base(),
        {**person("ann"), "digest": True},
        person("bob"),
        {**person("cat"), "digest": True},
        {
            "type": "PersonLeft",
            "authority": AUTHORITY,
            "id": "cat",
            "date": "2026-10-01",
            "source": "hr",
        },
    )
    server = smtp_server(mode="none", auth=False)
    settings = DigestSettings(
        ScheduleSettings(),
        "https://ledger.example.org",
        "/x",
        (email_channel(server.host, server.port),),
    )
    with requests.Session() as session:
        sender, built = build_digest_sender(services, settings, {}.get, session=session)
        assert built.unavailable == {}
        reports = sender.send_due(now=NOW, until=UNTIL)
        again = sender.send_due(now=NOW, until=UNTIL)

    sent = {(r.channel, r.outcome) for r in reports}
    assert sent == {("email", Outcome.SENT), (f"subscriber/{AUTHORITY}/ann", Outcome.SENT)}
    assert sorted(m.rcpt_tos for m in server.received) == [
        ("ann@example.org",),
        ("board@example.org",),
    ]
    assert all(r.outcome is Outcome.NOTHING_DUE for r in again)
    assert len(server.received) == 2
