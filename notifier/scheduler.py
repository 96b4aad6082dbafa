"""The digest scheduler: APScheduler 3 in a process of its own (`ledger scheduler`), never inside
a web worker, where every worker would send its own copy.

The job store is in memory on purpose: the ledger's delivery records are the scheduler's memory.
On start the weekly job is armed at its most recent fire time, so APScheduler's own misfire rules
decide what happens: within `misfire_grace_seconds` of that time it runs at once (coalesced into
one run however many were missed), later it is logged as missed and the next run covers the gap.
Each run sends, per authority and channel, only the period after the last one delivered, so a
restart, a second run or a retry never sends a period twice.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from types import FrameType
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from notifier.deliveries import DeliveryReport, DigestSender
from notifier.settings import ScheduleSettings

logger = logging.getLogger(__name__)

WEEKLY_JOB = "weekly-digest"
RETRY_JOB = "digest-retries"
# How far back to look for the most recent fire time (a year covers any sensible schedule).
LOOKBACK = timedelta(days=400)


def cron_trigger(schedule: ScheduleSettings, zone: ZoneInfo) -> CronTrigger:
    """The schedule as a cron trigger in the council's time zone (wall-clock time, so 09:00 stays
    09:00 local across the clock changes)."""
    return CronTrigger(
        day_of_week=schedule.day_of_week,
        hour=schedule.hour,
        minute=schedule.minute,
        second=0,
        timezone=zone,
    )


def previous_fire_time(
    trigger: CronTrigger, now: datetime, lookback: timedelta = LOOKBACK
) -> datetime | None:
    """The latest time at or before `now` the trigger fired (or would have), if any within
    `lookback`. APScheduler 3's triggers only look forward, so this looks back over growing
    windows and walks forward from the first fire time in the smallest one that has any."""
    window = timedelta(minutes=1)
    while True:
        window = min(window, lookback)
        fire: datetime | None = trigger.get_next_fire_time(None, now - window)
        if fire is not None and fire <= now:
            latest = fire
            while (fire := trigger.get_next_fire_time(latest, latest)) is not None and fire <= now:
                latest = fire
            return latest
        if window >= lookback:
            return None
        window *= 8


def due_until(trigger: CronTrigger, now: datetime, zone: ZoneInfo) -> date | None:
    """The last day a run at `now` covers: the day before the latest scheduled time (so a run
    late on Tuesday for Monday's slot still covers up to Sunday, never part of the new week)."""
    fired = previous_fire_time(trigger, now)
    if fired is None:
        return None
    return fired.astimezone(zone).date() - timedelta(days=1)


class DigestJob:
    """What the scheduler runs: the weekly delivery, and the retries between weekly runs."""

    def __init__(
        self,
        sender: DigestSender,
        schedule: ScheduleSettings,
        zone: ZoneInfo,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.sender = sender
        self.schedule = schedule
        self.zone = zone
        self.trigger = cron_trigger(schedule, zone)
        self.clock = clock

    def run(self) -> list[DeliveryReport]:
        """Send every authority's due period on every channel (the weekly run)."""
        now = self.clock()
        until = due_until(self.trigger, now, self.zone)
        if until is None:
            logger.info("digest: no scheduled time has passed yet; nothing is due")
            return []
        return self.sender.send_due(now=now, until=until)

    def retry(self) -> list[DeliveryReport]:
        """Try again the due periods whose last attempt failed (not permanently)."""
        now = self.clock()
        until = due_until(self.trigger, now, self.zone)
        if until is None:
            return []
        return self.sender.send_due(
            now=now, until=until, only_retries=True, max_attempts=self.schedule.max_attempts
        )


def build_scheduler(
    job: DigestJob,
    *,
    now: datetime,
    scheduler_class: type[BaseScheduler] = BlockingScheduler,
) -> BaseScheduler:
    """A scheduler with the weekly job armed at its latest fire time before `now` (see above),
    and the retry job if retries are configured. Jobs run one at a time."""
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
    latest = previous_fire_time(job.trigger, now)
    scheduler.add_job(
        job.run,
        job.trigger,
        id=WEEKLY_JOB,
        name="weekly digest",
        coalesce=True,
        misfire_grace_time=schedule.misfire_grace_seconds,
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
