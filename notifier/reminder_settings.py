"""The reminders' settings as types: the rules that decide what is due, when the job runs, and
how messages go out. `config/reminders.py` reads them from `config/reminders.toml`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal


@dataclass(frozen=True)
class ReminderRules:
    """What makes an action worth telling its owner, or escalating (days are calendar days)."""

    days_before_due: tuple[int, ...] = (14, 3)
    on_the_day: bool = True
    overdue_every_days: int = 7
    update_after_weeks: int = 6
    manager_after_days_overdue: int = 14
    board_after_days_overdue: int = 28
    board_role: str | None = "improvement-board-chair"


@dataclass(frozen=True)
class ReminderSchedule:
    """A cron schedule in the council's time zone, and how long a claim may stay unanswered."""

    day_of_week: str = "mon-fri"
    hour: str = "8"
    minute: str = "0"
    in_flight_timeout_seconds: int = 1800
    max_attempts: int = 4

    @property
    def in_flight_timeout(self) -> timedelta:
        return timedelta(seconds=self.in_flight_timeout_seconds)

    def describe(self) -> str:
        return f"day_of_week={self.day_of_week} hour={self.hour} minute={self.minute}"


@dataclass(frozen=True)
class NotifySettings:
    """GOV.UK Notify: the variable holding the API key, the email template, the API's address."""

    api_key_env: str = "LEDGER_NOTIFY_API_KEY"
    template_id: str = ""
    base_url: str = "https://api.notifications.service.gov.uk"
    timeout_seconds: float = 30.0
    max_attempts: int = 3


@dataclass(frozen=True)
class ReminderSettings:
    """Everything the reminders need besides the ledger."""

    rules: ReminderRules = field(default_factory=ReminderRules)
    schedule: ReminderSchedule = field(default_factory=ReminderSchedule)
    transport: Literal["email", "notify"] = "email"
    email_channel: str = "email"
    notify: NotifySettings = field(default_factory=NotifySettings)
    web_base_url: str | None = None
    action_path: str = "/authorities/{authority}/actions/{action}"
