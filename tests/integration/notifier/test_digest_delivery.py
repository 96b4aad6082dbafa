"""Sending digests to a real local Slack stand-in: once per period, retried after a failure,
never twice across runs, restarts or racing senders; and recorded in the ledger."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import requests
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED
from apscheduler.schedulers.background import BackgroundScheduler

from entrypoints.bootstrap import Services
from entrypoints.bootstrap import build_digest_sender as build_sender
from entrypoints.scheduler import WEEKLY_JOB, build_scheduler
from ledger.domain.digests import INTERRUPTED, DigestDelivery, delivery_id
from ledger.domain.errors import LedgerIntegrityError
from notifier.deliveries import DigestSender, Outcome
from notifier.periods import DigestPeriod
from notifier.schedule import DigestJob
from notifier.sent import sent_digests
from notifier.settings import DigestSettings, ScheduleSettings, WebhookChannel
from notifier.transports.webhook import RetryPolicy
from tests.factories import journey, record

SECRET_PATH = "/services/T0FAKE000/B0FAKE000/ZmFrZS1zZWNyZXQtZG8tbm90LWxvZw"
WEEK = DigestPeriod(date(2018, 9, 10), date(2018, 9, 16))
MONDAY = datetime(2018, 9, 17, 9, 0, tzinfo=UTC)
FAST = RetryPolicy(max_attempts=3, connect_timeout=1.0, read_timeout=2.0)


def settings(schedule: ScheduleSettings | None = None) -> DigestSettings:
    channel = WebhookChannel("slack", "slack", "LEDGER_SLACK_WEBHOOK_URL")
    return DigestSettings(
        schedule or ScheduleSettings(),
        "https://ledger.example.org",
        "/authorities/{authority}/timeline?{query}",
        (channel,),
    )


def make_sender(
    services: Services,
    server: Any,
    sleep: Callable[[float], None],
    session: requests.Session,
    clock: Callable[[], datetime] | None = None,
    schedule: ScheduleSettings | None = None,
) -> DigestSender:
    secrets = {"LEDGER_SLACK_WEBHOOK_URL": server.url(SECRET_PATH)}
    extra: dict[str, Any] = {"clock": clock} if clock is not None else {}
    sender, built = build_sender(
        services,
        settings(schedule),
        secrets.get,
        session=session,
        policy=FAST,
        sleep=sleep,
        **extra,
    )
    assert built.unavailable == {}
    return sender


def delivery_events(services: Services) -> list[str]:
    return [
        type(logged.event).__name__
        for logged in services.ledger.read_log()
        if isinstance(logged.event, DigestDelivery.Event)
    ]


@pytest.fixture
def session() -> Any:
    with requests.Session() as session:
        yield session


def test_a_period_is_delivered_once_however_often_the_job_runs(
    services: Services, webhook_server: Any, recording_sleep: Any, session: requests.Session
) -> None:
    record(services.ledger, *journey())
    webhook_server.respond(200, "ok").respond(429, headers={"Retry-After": "3"}).respond(500)
    sender = make_sender(services, webhook_server, recording_sleep, session)

    first = sender.send_due(now=MONDAY, until=WEEK.end)
    again = sender.send_due(now=MONDAY, until=WEEK.end)
    retried = sender.send_due(now=MONDAY, until=WEEK.end, only_retries=True, max_attempts=6)

    assert [(r.outcome, r.period) for r in first] == [(Outcome.SENT, WEEK)]
    assert [r.outcome for r in again + retried] == [Outcome.NOTHING_DUE, Outcome.NOTHING_DUE]
    (request,) = webhook_server.received
    assert request.path == SECRET_PATH
    assert request.json()["blocks"][0]["text"]["text"] == "Testshire Council: improvement digest"
    assert recording_sleep.waits == []
    (sent,) = sent_digests(services.ledger)
    assert (sent.authority, sent.channel, sent.period, sent.detail) == (
        "testshire",
        "slack",
        WEEK,
        "HTTP 200",
    )
    assert sent.fingerprint in request.json()["blocks"][-2]["elements"][0]["text"]
    assert delivery_events(services) == ["DigestDeliveryStarted", "DigestSent"]
    assert services.ledger.verify().intact


def test_only_the_first_digest_on_a_channel_says_it_is_the_first(
    services: Services, webhook_server: Any, recording_sleep: Any, session: requests.Session
) -> None:
    record(services.ledger, *journey())
    webhook_server.respond(200, "ok", times=2)
    sender = make_sender(services, webhook_server, recording_sleep, session)
    sender.send_due(now=MONDAY, until=WEEK.end)
    sender.send_due(now=MONDAY + timedelta(days=7), until=WEEK.end + timedelta(days=7))
    first, second = (str(request.json()["blocks"]) for request in webhook_server.received)
    assert "This is the first digest for Testshire Council here: it starts on 10 September" in first
    assert "first digest" not in second


def test_rate_limits_and_outages_are_retried_until_the_digest_is_accepted_once(
    services: Services, webhook_server: Any, recording_sleep: Any, session: requests.Session
) -> None:
    record(services.ledger, *journey())
    webhook_server.respond(429, headers={"Retry-After": "7"}).respond(500).respond(200, "ok")
    sender = make_sender(services, webhook_server, recording_sleep, session)

    (report,) = sender.send_due(now=MONDAY, until=WEEK.end)

    assert report.outcome is Outcome.SENT
    assert len(webhook_server.received) == 3  # the same digest, until accepted
    assert recording_sleep.waits == [7.0, 2.0]  # Retry-After honoured, then backoff
    (sent_event,) = [
        e.event for e in services.ledger.read_log() if type(e.event).__name__ == "DigestSent"
    ]
    assert (sent_event.attempt, sent_event.transport_attempts) == (1, 3)
    assert sender.send_due(now=MONDAY, until=WEEK.end)[0].outcome is Outcome.NOTHING_DUE
    assert len(webhook_server.received) == 3


def test_a_failed_send_is_recorded_and_retried_at_the_next_run(
    services: Services, webhook_server: Any, recording_sleep: Any, session: requests.Session
) -> None:
    record(services.ledger, *journey())
    webhook_server.respond(500, "down", times=3)
    sender = make_sender(services, webhook_server, recording_sleep, session)

    (failed,) = sender.send_due(now=MONDAY, until=WEEK.end)
    assert failed.outcome is Outcome.FAILED and "will be retried" in failed.detail
    assert SECRET_PATH not in failed.detail
    failure = [e.event for e in services.ledger.read_log()][-1]
    assert (type(failure).__name__, failure.attempt, failure.permanent) == (
        "DigestDeliveryFailed",
        1,
        False,
    )
    assert sent_digests(services.ledger) == []

    webhook_server.respond(200, "ok")
    (retried,) = sender.send_due(now=MONDAY, until=WEEK.end, only_retries=True, max_attempts=6)
    assert (retried.outcome, retried.attempt, retried.period) == (Outcome.SENT, 2, WEEK)
    assert delivery_events(services) == [
        "DigestDeliveryStarted",
        "DigestDeliveryFailed",
        "DigestDeliveryRetried",
        "DigestSent",
    ]
    assert len(webhook_server.received) == 4


def test_a_permanent_failure_waits_for_the_weekly_run_not_the_hourly_retries(
    services: Services, webhook_server: Any, recording_sleep: Any, session: requests.Session
) -> None:
    record(services.ledger, *journey())
    webhook_server.respond(400, "invalid_payload")
    sender = make_sender(services, webhook_server, recording_sleep, session)
    (failed,) = sender.send_due(now=MONDAY, until=WEEK.end)
    assert failed.outcome is Outcome.FAILED and "permanent" in failed.detail

    (skipped,) = sender.send_due(now=MONDAY, until=WEEK.end, only_retries=True, max_attempts=6)
    assert skipped.outcome is Outcome.NOT_RETRIED
    assert len(webhook_server.received) == 1

    webhook_server.respond(200, "ok")  # someone fixed the channel
    (sent,) = sender.send_due(now=MONDAY, until=WEEK.end)
    assert (sent.outcome, sent.attempt) == (Outcome.SENT, 2)


def test_retries_stop_after_the_maximum_attempts(
    services: Services, webhook_server: Any, recording_sleep: Any, session: requests.Session
) -> None:
    record(services.ledger, *journey())
    webhook_server.respond(500, times=6)
    sender = make_sender(services, webhook_server, recording_sleep, session)
    sender.send_due(now=MONDAY, until=WEEK.end)
    sender.send_due(now=MONDAY, until=WEEK.end, only_retries=True, max_attempts=2)
    (stopped,) = sender.send_due(now=MONDAY, until=WEEK.end, only_retries=True, max_attempts=2)
    assert stopped.outcome is Outcome.NOT_RETRIED
    assert len(webhook_server.received) == 6  # two attempts of three POSTs each


def test_a_claim_left_by_a_crashed_sender_is_retried_only_after_the_timeout(
    services: Services, webhook_server: Any, recording_sleep: Any, session: requests.Session
) -> None:
    record(services.ledger, *journey())
    sender = make_sender(services, webhook_server, recording_sleep, session)
    # A sender claimed the period, then died before recording any outcome.
    assert (
        services.ledger.digests.claim(
            "testshire", "slack", WEEK.start, WEEK.end, sender._who(), None
        )
        is not None
    )

    (waiting,) = sender.send_due(now=MONDAY, until=WEEK.end)
    assert waiting.outcome is Outcome.IN_PROGRESS
    assert webhook_server.received == []

    later = make_sender(
        services,
        webhook_server,
        recording_sleep,
        session,
        clock=lambda: datetime.now(UTC) + timedelta(minutes=31),
    )
    webhook_server.respond(200, "ok")
    (sent,) = later.send_due(now=MONDAY, until=WEEK.end)
    assert (sent.outcome, sent.attempt) == (Outcome.SENT, 2)
    unknown = next(
        e.event
        for e in services.ledger.read_log()
        if type(e.event).__name__ == "DigestDeliveryFailed"
    )
    assert (unknown.attempt, unknown.error) == (1, INTERRUPTED)
    assert len(webhook_server.received) == 1


def test_of_two_racing_senders_only_the_one_whose_claim_is_stored_sends(
    make_services: Callable[..., Services],
    webhook_server: Any,
    recording_sleep: Any,
    session: requests.Session,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, second = make_services(), make_services()
    record(first.ledger, *journey())
    webhook_server.respond(200, "ok").respond(200, "ok")
    winner = make_sender(first, webhook_server, recording_sleep, session)
    loser = make_sender(second, webhook_server, recording_sleep, session)
    # The loser checked before the winner claimed: it saw no delivery record.
    monkeypatch.setattr(loser, "_load", lambda *_: None)

    assert winner.send("testshire", "slack", WEEK, now=MONDAY).outcome is Outcome.SENT
    assert loser.send("testshire", "slack", WEEK, now=MONDAY).outcome is Outcome.IN_PROGRESS
    assert len(webhook_server.received) == 1
    record_id = delivery_id("testshire", "slack", WEEK.start, WEEK.end)
    assert second.ledger.repository.get(record_id).sent_attempt == 1


def test_a_scheduler_restarted_mid_week_sends_nothing_twice(
    make_services: Callable[..., Services],
    webhook_server: Any,
    recording_sleep: Any,
    session: requests.Session,
) -> None:
    wednesday = datetime(2018, 9, 19, 14, 0, tzinfo=UTC)
    first = make_services()
    record(first.ledger, *journey())
    webhook_server.respond(200, "ok").respond(200, "ok")
    job = DigestJob(
        make_sender(first, webhook_server, recording_sleep, session),
        ScheduleSettings(),
        first.timezone,
        clock=lambda: wednesday,
    )
    (report,) = job.run()
    assert (report.outcome, report.period) == (Outcome.SENT, WEEK)  # Monday's run, late

    # The process restarts: new services on the same database, a new scheduler and job.
    restarted = make_services()
    job = DigestJob(
        make_sender(restarted, webhook_server, recording_sleep, session),
        ScheduleSettings(),
        restarted.timezone,
        clock=lambda: wednesday + timedelta(hours=3),
    )
    assert [r.outcome for r in job.run() + job.retry()] == [Outcome.NOTHING_DUE] * 2
    assert len(webhook_server.received) == 1
    assert len(sent_digests(restarted.ledger)) == 1


def run_scheduler_once(job: DigestJob) -> str:
    """Start a real (background) scheduler, wait for the start-up run of the weekly job, stop."""
    finished = threading.Event()
    outcome: list[str] = []

    def listen(event: Any) -> None:
        if event.job_id == WEEKLY_JOB:
            outcome.append(
                {EVENT_JOB_EXECUTED: "ran", EVENT_JOB_ERROR: "error", EVENT_JOB_MISSED: "missed"}[
                    event.code
                ]
            )
            finished.set()

    scheduler = build_scheduler(job, now=datetime.now(UTC), scheduler_class=BackgroundScheduler)
    scheduler.add_listener(listen, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED)
    scheduler.start()
    try:
        assert finished.wait(timeout=20), "the weekly job did not run on start"
    finally:
        scheduler.shutdown(wait=True)
    return outcome[0]


def test_a_real_scheduler_runs_a_missed_slot_once_on_start_and_not_again_after_a_restart(
    make_services: Callable[..., Services],
    webhook_server: Any,
    recording_sleep: Any,
    session: requests.Session,
) -> None:
    # Every minute, so the latest slot is always within the grace time of "now".
    schedule = ScheduleSettings(day_of_week="*", hour="*", minute="*", retry_every_minutes=0)
    first = make_services()
    record(first.ledger, *journey())
    webhook_server.respond(200, "ok", times=3)

    job = DigestJob(
        make_sender(first, webhook_server, recording_sleep, session, schedule=schedule),
        schedule,
        first.timezone,
    )
    assert run_scheduler_once(job) == "ran"
    restarted = make_services()
    job = DigestJob(
        make_sender(restarted, webhook_server, recording_sleep, session, schedule=schedule),
        schedule,
        restarted.timezone,
    )
    assert run_scheduler_once(job) == "ran"
    assert len(webhook_server.received) == 1
    assert len(sent_digests(restarted.ledger)) == 1


def test_one_authoritys_problem_does_not_hold_back_the_others(
    services: Services,
    webhook_server: Any,
    recording_sleep: Any,
    session: requests.Session,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    record(services.ledger, *journey())
    record(
        services.ledger,
        {"type": "AuthorityRegistered", "id": "otherton", "name": "Otherton", "source": "test"},
    )
    webhook_server.respond(200, "ok")
    sender = make_sender(services, webhook_server, recording_sleep, session)
    compile_digest = sender.compile

    def broken_for_testshire(authority: str, *args: Any) -> Any:
        if authority == "testshire":
            raise LedgerIntegrityError("cannot read the ledger's events")
        return compile_digest(authority, *args)

    monkeypatch.setattr(sender, "compile", broken_for_testshire)
    reports = {r.authority: r for r in sender.send_due(now=MONDAY, until=WEEK.end)}
    assert reports["testshire"].outcome is Outcome.FAILED
    assert reports["otherton"].outcome is Outcome.SENT
    assert len(webhook_server.received) == 1
    assert [s.authority for s in sent_digests(services.ledger)] == ["otherton"]
