"""The digest's schedule: when the weekly run fires (a cron trigger in the council's time zone),
what a run covers, and the job a scheduler runs (`entrypoints.scheduler` runs it in a process of
its own). Each run sends, per authority and channel, only the period after the last one
delivered, so a restart, a second run or a retry never sends a period twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from notifier.deliveries import DeliveryReport, DigestSender
from notifier.settings import ScheduleSettings

logger = logging.getLogger(__name__)

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
