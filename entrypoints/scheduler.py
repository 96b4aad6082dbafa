"""The scheduler process (`ledger scheduler`): the weekly digest and the weekday reminders, with
APScheduler 3 in a process of its own, never inside a web worker, where every worker would send
its own copy.

The job store is in memory on purpose: the ledger's delivery records are the scheduler's memory.
On start within `misfire_grace_seconds` of the weekly job's most recent fire time, the job is
armed at that time, so it runs at once (one run however many were missed). Later than that it is
armed at its next fire time, which covers the gap: arming it at a time past its grace would only
make APScheduler warn, on every start, that the run "was missed".
"""

from __future__ import annotations

import logging
import signal
from datetime import datetime, timedelta
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from notifier.reminder_schedule import ReminderJob
from notifier.schedule import DigestJob, previous_fire_time

logger = logging.getLogger(__name__)

WEEKLY_JOB = "weekly-digest"
RETRY_JOB = "digest-retries"
REMINDER_JOB = "reminders"
#: A reminders run missed by less than this (the scheduler restarting at 08:00) still runs.
REMINDER_GRACE_SECONDS = 4 * 3600


def build_scheduler(
    job: DigestJob,
    *,
    now: datetime,
    scheduler_class: type[BaseScheduler] = BlockingScheduler,
    reminders: ReminderJob | None = None,
) -> BaseScheduler:
    """A scheduler with the weekly job armed at its latest fire time before `now` when that is
    within the grace time, else at its next (see above), and the retry job if retries are
    configured. Jobs run one at a time."""
    schedule = job.schedule
    scheduler = scheduler_class(
        timezone=job.zone,
        executors={"default": ThreadPoolExecutor(max_workers=1)},
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": schedule.misfire_grace_seconds,
        },
    )
    first = previous_fire_time(job.trigger, now)
    if first is None or now - first > timedelta(seconds=schedule.misfire_grace_seconds):
        first = job.trigger.get_next_fire_time(None, now)
    scheduler.add_job(
        job.run,
        job.trigger,
        id=WEEKLY_JOB,
        name="weekly digest",
        coalesce=True,
        misfire_grace_time=schedule.misfire_grace_seconds,
        **({"next_run_time": first} if first is not None else {}),
    )
    if reminders is not None:
        # Armed like the digest: a run missed by a restart within the grace still runs today.
        latest = previous_fire_time(reminders.trigger, now)
        if latest is None or now - latest > timedelta(seconds=REMINDER_GRACE_SECONDS):
            latest = reminders.trigger.get_next_fire_time(None, now)
        scheduler.add_job(
            reminders.run,
            reminders.trigger,
            id=REMINDER_JOB,
            name="reminders",
            coalesce=True,
            misfire_grace_time=REMINDER_GRACE_SECONDS,
            **({"next_run_time": latest} if latest is not None else {}),
        )
    if schedule.retry_every_minutes:
        scheduler.add_job(
            job.retry,
            IntervalTrigger(minutes=schedule.retry_every_minutes, timezone=job.zone),
            id=RETRY_JOB,
            name="digest retries",
            coalesce=True,
            misfire_grace_time=schedule.retry_every_minutes * 60,
        )
    return scheduler


def stop_on_signals(scheduler: BaseScheduler) -> None:
    """Let SIGTERM and SIGINT finish a running job before the process exits, so a normal stop
    never falls between a delivery and its record."""

    def stop(signum: int, _frame: FrameType | None) -> None:
        logger.info("digest scheduler: %s received; finishing the running job", signum)
        scheduler.shutdown(wait=True)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
