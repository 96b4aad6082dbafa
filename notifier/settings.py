"""The digest's settings as types: when it goes out, where to, and where its secrets live.

`config/digest.py` reads them from `config/digest.toml`. Channels name the environment variables
that hold their secrets (webhook URLs, SMTP passwords); the values are read only when transports
are built, and never stored here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from ledger.domain.errors import LedgerError

ChannelKind = Literal["slack", "teams", "email"]


class UnknownChannel(LedgerError):
    """No channel of that name is configured."""


@dataclass(frozen=True)
class ScheduleSettings:
    """A cron schedule in the council's time zone (fields as APScheduler's CronTrigger takes them).

    The default is Mondays at 09:00. `misfire_grace_seconds` is how late a run may still start
    (e.g. when the scheduler was restarting at 09:00); `retry_every_minutes` re-tries failed
    deliveries between scheduled runs (0: only at the next run), up to `max_attempts` a period.
    """

    day_of_week: str = "mon"
    hour: str = "9"
    minute: str = "0"
    misfire_grace_seconds: int = 86_400
    retry_every_minutes: int = 60
    max_attempts: int = 6
    in_flight_timeout_minutes: int = 30

    @property
    def in_flight_timeout(self) -> timedelta:
        return timedelta(minutes=self.in_flight_timeout_minutes)

    def describe(self) -> str:
        return f"day_of_week={self.day_of_week} hour={self.hour} minute={self.minute}"


@dataclass(frozen=True)
class WebhookChannel:
    """A Slack incoming webhook or a Teams Workflows webhook; the URL is in `webhook_url_env`."""

    name: str
    kind: Literal["slack", "teams"]
    webhook_url_env: str
    authorities: frozenset[str] | None = None


@dataclass(frozen=True)
class EmailChannel:
    """An SMTP relay and the digest's recipients; the password is in `password_env`."""

    name: str
    host: str
    port: int
    from_address: str
    to_addresses: tuple[str, ...]
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = None
    password_env: str | None = None
    ca_file: str | None = None
    timeout_seconds: float = 30.0
    authorities: frozenset[str] | None = None
    kind: Literal["email"] = "email"


ChannelSettings = WebhookChannel | EmailChannel


@dataclass(frozen=True)
class DigestSettings:
    """Everything the digest needs besides the ledger: schedule, links and channels."""

    schedule: ScheduleSettings
    web_base_url: str | None
    web_path: str
    channels: tuple[ChannelSettings, ...]

    def channel(self, name: str) -> ChannelSettings:
        for channel in self.channels:
            if channel.name == name:
                return channel
        known = ", ".join(c.name for c in self.channels) or "none configured"
        raise UnknownChannel(f"no digest channel {name!r} (channels: {known})")
