"""The schedule: Monday 09:00 London time across the clock changes, and what a run covers."""

from __future__ import annotations

import logging
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from entrypoints.scheduler import RETRY_JOB, WEEKLY_JOB, build_scheduler
from notifier.schedule import DigestJob, cron_trigger, due_until, previous_fire_time
from notifier.settings import ScheduleSettings

LONDON = ZoneInfo("Europe/London")


def fires(start: datetime, count: int) -> list[datetime]:
    trigger = cron_trigger(ScheduleSettings(), LONDON)
    found: list[datetime] = []
    fire = trigger.get_next_fire_time(None, start)
    while fire is not None and len(found) < count:
        found.append(fire)
        fire = trigger.get_next_fire_time(fire, fire)
    return found


def test_monday_nine_oclock_stays_nine_oclock_when_the_clocks_go_back_in_october() -> None:
    found = fires(datetime(2026, 10, 15, tzinfo=UTC), 3)
    assert [f.astimezone(LONDON).strftime("%a %d %b %H:%M %Z") for f in found] == [
        "Mon 19 Oct 09:00 BST",
        "Mon 26 Oct 09:00 GMT",  # clocks went back on Sunday 25 October
        "Mon 02 Nov 09:00 GMT",
    ]
    assert [f.astimezone(UTC).hour for f in found] == [8, 9, 9]


def test_monday_nine_oclock_stays_nine_oclock_when_the_clocks_go_forward_in_march() -> None:
    found = fires(datetime(2027, 3, 17, tzinfo=UTC), 3)
    assert [f.astimezone(LONDON).strftime("%a %d %b %H:%M %Z") for f in found] == [
        "Mon 22 Mar 09:00 GMT",
        "Mon 29 Mar 09:00 BST",  # clocks went forward on Sunday 28 March
        "Mon 05 Apr 09:00 BST",
    ]
    assert [f.astimezone(UTC).hour for f in found] == [9, 8, 8]


def test_the_previous_fire_time_and_the_last_day_a_run_covers() -> None:
    trigger = cron_trigger(ScheduleSettings(), LONDON)
    tuesday = datetime(2026, 10, 27, 15, 0, tzinfo=UTC)
    assert previous_fire_time(trigger, tuesday) == datetime(2026, 10, 26, 9, 0, tzinfo=LONDON)
    # A run late on Tuesday still covers the week to Sunday, never part of the new week.
    assert due_until(trigger, tuesday, LONDON) == date(2026, 10, 25)
    at_nine = datetime(2026, 10, 26, 9, 0, tzinfo=LONDON)
    assert previous_fire_time(trigger, at_nine) == at_nine
    assert previous_fire_time(trigger, at_nine - timedelta(microseconds=1)) == datetime(
        2026, 10, 19, 9, 0, tzinfo=LONDON
    )


class IdleSender:
    """Stands in for the sender: the schedule tests never run the job."""


def test_the_weekly_job_is_armed_at_its_latest_fire_time_so_a_missed_run_happens_on_start() -> None:
    schedule = ScheduleSettings(misfire_grace_seconds=3600, retry_every_minutes=15)
    job = DigestJob(IdleSender(), schedule, LONDON)  # type: ignore[arg-type]
    now = datetime(2026, 10, 26, 9, 20, tzinfo=LONDON)  # restarted at 09:20 on a Monday
    scheduler = build_scheduler(job, now=now, scheduler_class=BackgroundScheduler)
    weekly = scheduler.get_job(WEEKLY_JOB)
    assert weekly.next_run_time == datetime(2026, 10, 26, 9, 0, tzinfo=LONDON)
    assert weekly.coalesce is True
    assert weekly.misfire_grace_time == 3600
    retry = scheduler.get_job(RETRY_JOB)
    assert retry is not None and retry.coalesce is True


def test_a_start_past_the_grace_time_arms_the_next_run_instead_of_a_missed_one() -> None:
    schedule = ScheduleSettings(misfire_grace_seconds=3600, retry_every_minutes=0)
    job = DigestJob(IdleSender(), schedule, LONDON)  # type: ignore[arg-type]
    now = datetime(2026, 10, 27, 14, 0, tzinfo=LONDON)  # Tuesday afternoon: Monday's run is past
    scheduler = build_scheduler(job, now=now, scheduler_class=BackgroundScheduler)
    assert scheduler.get_job(WEEKLY_JOB).next_run_time == datetime(2026, 11, 2, 9, 0, tzinfo=LONDON)


def test_starting_a_real_scheduler_long_after_a_slot_logs_no_missed_run(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Every minute with one second's grace: the latest slot is almost always past its grace.
    schedule = ScheduleSettings(
        day_of_week="*", hour="*", minute="*", misfire_grace_seconds=1, retry_every_minutes=0
    )
    while datetime.now(UTC).second < 3:
        time.sleep(0.5)
    job = DigestJob(IdleSender(), schedule, LONDON)  # type: ignore[arg-type]
    scheduler = build_scheduler(job, now=datetime.now(UTC), scheduler_class=BackgroundScheduler)
    with caplog.at_level(logging.INFO, logger="apscheduler"):
        scheduler.start(paused=False)
        time.sleep(1)
        scheduler.shutdown(wait=False)
    assert not [r for r in caplog.records if "missed" in r.getMessage()]


def test_no_retry_job_when_retries_are_off() -> None:
    job = DigestJob(IdleSender(), ScheduleSettings(retry_every_minutes=0), LONDON)  # type: ignore[arg-type]
    scheduler = build_scheduler(
        job, now=datetime(2026, 10, 27, tzinfo=UTC), scheduler_class=BackgroundScheduler
    )
    assert scheduler.get_job(RETRY_JOB) is None


def test_the_previous_fire_time_is_found_quickly_for_frequent_and_rare_schedules() -> None:
    every_minute = cron_trigger(ScheduleSettings(day_of_week="*", hour="*", minute="*"), LONDON)
    now = datetime(2026, 10, 26, 9, 0, 30, tzinfo=UTC)
    assert previous_fire_time(every_minute, now) == datetime(2026, 10, 26, 9, 0, tzinfo=UTC)
    not_yet = CronTrigger(hour=9, start_date=datetime(2027, 1, 1, tzinfo=UTC), timezone=LONDON)
    assert previous_fire_time(not_yet, now) is None
    assert due_until(not_yet, now, LONDON) is None
