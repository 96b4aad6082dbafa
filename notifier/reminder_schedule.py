"""The reminders' schedule: a cron trigger in the council's time zone, and the job the scheduler
process runs (beside the weekly digest). Each run tells only what was not told yet, so a
restart, a second run or a missed day never tells anything twice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from notifier.reminder_sender import ReminderReport, ReminderSender
from notifier.reminder_settings import ReminderSchedule


def reminder_trigger(schedule: ReminderSchedule, zone: ZoneInfo) -> CronTrigger:
    return CronTrigger(
        day_of_week=schedule.day_of_week,
        hour=schedule.hour,
        minute=schedule.minute,
        second=0,
        timezone=zone,
    )


class ReminderJob:
    """What the scheduler runs every weekday morning: today's reminders and escalations."""

    def __init__(
        self,
        sender: ReminderSender,
        schedule: ReminderSchedule,
        zone: ZoneInfo,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.sender = sender
        self.schedule = schedule
        self.zone = zone
        self.trigger = reminder_trigger(schedule, zone)
        self.clock = clock

    def run(self) -> list[ReminderReport]:
        today = self.clock().astimezone(self.zone).date()
        return self.sender.run(today)
