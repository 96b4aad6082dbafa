"""Reminders through a real SMTP server (aiosmtpd), on SQLite and PostgreSQL: one message per
person per run, none the second time, the rest once each after a run is killed mid-way, and
escalation to the owner's manager after so many days overdue and not before."""

from __future__ import annotations

import asyncio
import email
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

from aiosmtpd.smtp import SMTP, Envelope, Session

from entrypoints.bootstrap import Services
from ledger.domain.delivery_states import INTERRUPTED
from notifier.reminder_sender import ReminderOutcome
from tests.factories import AUTHORITY, record
from tests.integration.notifier.conftest import RecordingHandler, StartSmtp
from tests.integration.notifier.reminder_journey import (
    TODAY,
    assigned,
    base,
    email_sender,
    person,
    settings,
    three_people_seven_actions,
)

ROOT = Path(__file__).resolve().parents[3]


def parsed(content: bytes) -> EmailMessage:
    message = email.message_from_bytes(content, policy=default)
    assert isinstance(message, EmailMessage)
    return message


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def test_three_people_and_seven_actions_make_three_messages_and_a_second_run_none(
    services: Services, smtp_server: StartSmtp
) -> None:
    owners = three_people_seven_actions(services.ledger)
    server = smtp_server(mode="none", auth=False)
    sender = email_sender(services, server.host, server.port)

    reports = sender.run(TODAY)

    assert [r.outcome for r in reports] == [ReminderOutcome.SENT] * 3
    assert len(server.received) == 3
    by_recipient = {mail.rcpt_tos: parsed(mail.content) for mail in server.received}
    assert set(by_recipient) == {(f"{who}@example.org",) for who in owners}
    for who, refs in owners.items():
        text = text_of(by_recipient[(f"{who}@example.org",)])
        for ref in refs:
            assert f"https://ledger.example.org/authorities/{AUTHORITY}/actions/{ref}" in text
        others = {r for w, rs in owners.items() if w != who for r in rs}
        assert not any(f"/actions/{ref}\n" in text for ref in others)

    assert sender.run(TODAY) == []
    assert len(server.received) == 3
    # Every item told is in the ledger: the reminders are part of the history.
    page = services.views.action(AUTHORITY, "a-2", as_of=TODAY)
    assert page is not None
    assert [h["kind"] for h in page["history"] if h["kind"] == "due_soon"] == ["due_soon"]


def test_a_message_already_sent_today_is_not_sent_again_even_with_news(
    services: Services, smtp_server: StartSmtp
) -> None:
    three_people_seven_actions(services.ledger)
    server = smtp_server(mode="none", auth=False)
    sender = email_sender(services, server.host, server.port)
    sender.run(TODAY)
    record(services.ledger, assigned("a-4", TODAY + timedelta(days=2), "ann"))

    reports = sender.run(TODAY)

    assert [(r.person, r.outcome) for r in reports] == [("ann", ReminderOutcome.ALREADY_SENT)]
    assert len(server.received) == 3
    # Tomorrow's run tells Ann about the new action (and a-1, due that day).
    tomorrow = {r.person: r for r in sender.run(TODAY + timedelta(days=1))}
    assert tomorrow["ann"].outcome is ReminderOutcome.SENT
    to_ann = [m for m in server.received if m.rcpt_tos == ("ann@example.org",)]
    assert len(to_ann) == 2
    assert "/actions/a-4" in text_of(parsed(to_ann[-1].content))
    assert "/actions/a-4" not in text_of(parsed(to_ann[0].content))


def test_escalation_reaches_the_manager_after_the_days_configured_and_not_before(
    services: Services, smtp_server: StartSmtp
) -> None:
    due = TODAY - timedelta(days=13)
    record(
        services.ledger,
        *base(),
        person("mo"),
        person("ann", manager="mo"),
        assigned("late-1", due, "ann"),
    )
    server = smtp_server(mode="none", auth=False)
    sender = email_sender(
        services, server.host, server.port, settings(manager_after_days_overdue=14)
    )

    before = sender.run(TODAY)  # 13 days overdue
    assert {r.person for r in before} == {"ann"}
    assert [m.rcpt_tos for m in server.received] == [("ann@example.org",)]

    after = sender.run(TODAY + timedelta(days=1))  # 14 days overdue: and its second week
    assert {r.person for r in after} == {"ann", "mo"}
    to_mo = [m for m in server.received if m.rcpt_tos == ("mo@example.org",)]
    assert len(to_mo) == 1
    escalation = parsed(to_mo[0].content)
    assert "escalated to you" in str(escalation["Subject"])
    assert "Ann Example's action, overdue by 14 days" in text_of(escalation)
    page = services.views.action(AUTHORITY, "late-1", as_of=TODAY + timedelta(days=1))
    assert page is not None
    escalated = [h for h in page["history"] if h["kind"] == "escalated_manager"]
    assert [(h["person"], h["date"]) for h in escalated] == [
        ("mo", (TODAY + timedelta(days=1)).isoformat())
    ]
    # Later runs tell the manager nothing more: the escalation was told once.
    for days in range(2, 9):
        assert "mo" not in {r.person for r in sender.run(TODAY + timedelta(days=days))}


class StallingHandler(RecordingHandler):
    """Holds a connection at RCPT for one address until released: the sender has claimed that
    message and is waiting on the server when the test kills it."""

    def __init__(self, stall: str) -> None:
        super().__init__()
        self.stall = stall
        self.stalled = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address == self.stall and not self.release.is_set():
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 try again later"
        return await super().handle_RCPT(server, session, envelope, address, options)


def _run_reminders(database_url: str, config: Path) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "LEDGER_DIGEST_CONFIG": str(config / "digest.toml"),
        "LEDGER_REMINDERS_CONFIG": str(config / "reminders.toml"),
        "LEDGER_ACTOR": "scheduler",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "entrypoints",
            "--database",
            database_url,
            "reminders",
            "--send",
            "--today",
            TODAY.isoformat(),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_run_killed_mid_way_is_finished_by_the_next_once_each(
    services: Services, database_url: str, tmp_path: Path
) -> None:
    from aiosmtpd.controller import Controller

    three_people_seven_actions(services.ledger)
    handler = StallingHandler(stall="bob@example.org")
    with socket.socket() as probe:  # aiosmtpd's readiness check needs a concrete port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port, ready_timeout=5.0)
    controller.start()
    try:
        (tmp_path / "digest.toml").write_text(
            '[[channels]]\nname = "email"\nkind = "email"\nhost = "127.0.0.1"\n'
            f'port = {port}\nsecurity = "none"\nfrom = "ledger@example.org"\n'
            'to = ["board@example.org"]\ntimeout_seconds = 60\n'
        )
        (tmp_path / "reminders.toml").write_text(
            '[schedule]\nin_flight_timeout_seconds = 1\n[web]\nbase_url = "https://ledger.example.org"\n'
        )
        first = _run_reminders(database_url, tmp_path)
        assert handler.stalled.wait(60), first.communicate(timeout=5)
        first.send_signal(signal.SIGKILL)  # mid-way: Ann's sent, Bob's claimed, Cat's not begun
        first.wait(timeout=10)
        assert [m.rcpt_tos for m in handler.received] == [("ann@example.org",)]
        handler.release.set()
        time.sleep(1.5)  # Bob's claim is now older than the in-flight timeout

        second = _run_reminders(database_url, tmp_path)
        out, err = second.communicate(timeout=120)
        assert second.returncode == 0, err
    finally:
        handler.release.set()
        controller.stop()

    assert sorted(m.rcpt_tos for m in handler.received) == [
        ("ann@example.org",),
        ("bob@example.org",),
        ("cat@example.org",),
    ]
    bob = services.ledger.reminders.get(AUTHORITY, "bob", TODAY)
    assert bob is not None and bob.sent_attempt == 2
    failures = [
        logged.event
        for logged in services.ledger.read_log()
        if type(logged.event).__name__ == "ReminderFailed"
    ]
    assert [(f.person, f.attempt, f.error) for f in failures] == [("bob", 1, INTERRUPTED)]
    assert "bob" in out and "cat" in out and "ann" not in out


def test_the_scheduler_process_runs_the_reminders_once_and_not_again_after_a_restart(
    services: Services, smtp_server: StartSmtp
) -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
    from apscheduler.schedulers.background import BackgroundScheduler

    from entrypoints.scheduler import REMINDER_JOB, build_scheduler
    from notifier.reminder_schedule import ReminderJob
    from notifier.reminder_settings import ReminderSchedule
    from notifier.schedule import DigestJob
    from notifier.settings import ScheduleSettings

    three_people_seven_actions(services.ledger)
    server = smtp_server(mode="none", auth=False)
    london = ZoneInfo("Europe/London")
    every_minute = ReminderSchedule(day_of_week="*", hour="*", minute="*")
    morning = datetime(TODAY.year, TODAY.month, TODAY.day, 8, tzinfo=london)

    def start_and_wait() -> list[object]:
        sender = email_sender(services, server.host, server.port)
        reminders = ReminderJob(sender, every_minute, london, clock=lambda: morning)
        # The digest's own job is taken off below: this run is about the reminders'.
        digest = DigestJob(
            sender,  # type: ignore[arg-type]
            ScheduleSettings(retry_every_minutes=0, misfire_grace_seconds=1),
            london,
        )
        outcomes: list[object] = []
        done = threading.Event()

        def listen(event: object) -> None:
            if getattr(event, "job_id", None) == REMINDER_JOB:
                failed = getattr(event, "exception", None)
                outcomes.append(failed if failed is not None else getattr(event, "retval", None))
                done.set()

        scheduler = build_scheduler(
            digest, now=datetime.now(UTC), scheduler_class=BackgroundScheduler, reminders=reminders
        )
        scheduler.remove_job("weekly-digest")
        scheduler.add_listener(listen, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
        scheduler.start()
        try:
            assert done.wait(timeout=30), "the reminders job did not run on start"
        finally:
            scheduler.shutdown(wait=True)
        return outcomes

    first = start_and_wait()
    assert [len(r) for r in first if isinstance(r, list)] == [3]
    assert len(server.received) == 3
    second = start_and_wait()
    assert second == [[]]
    assert len(server.received) == 3
