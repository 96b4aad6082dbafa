"""Reading `reminders.toml` into the notifier's typed reminder settings."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from notifier.reminder_settings import (
    NotifySettings,
    ReminderRules,
    ReminderSchedule,
    ReminderSettings,
)

REMINDERS_FILE = Path(__file__).with_name("reminders.toml")
_SECRET_NAME = re.compile(r"^LEDGER_[A-Z0-9_]+$")
_ROLE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class RemindersConfigError(ValueError):
    """The reminders file is malformed; the message names the setting and the problem."""


def _whole(section: str, raw: Mapping[str, Any], key: str, default: int, least: int = 0) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise RemindersConfigError(f"{section}.{key} must be a whole number >= {least}")
    return value


def _rules(raw: Mapping[str, Any], escalation: Mapping[str, Any]) -> ReminderRules:
    defaults = ReminderRules()
    before = raw.get("days_before_due", list(defaults.days_before_due))
    if not isinstance(before, list) or not all(
        isinstance(d, int) and not isinstance(d, bool) and d > 0 for d in before
    ):
        raise RemindersConfigError("rules.days_before_due must be a list of whole days (> 0)")
    role = escalation.get("board_role", defaults.board_role)
    if role is not None and (not isinstance(role, str) or not _ROLE.match(role)):
        raise RemindersConfigError("escalation.board_role must be a role key (such as board-chair)")
    manager = _whole("escalation", escalation, "manager_after_days_overdue", 14)
    board = _whole("escalation", escalation, "board_after_days_overdue", 28)
    if manager and board and board < manager:
        raise RemindersConfigError(
            "escalation: the board is told after the manager (board_after_days_overdue >= "
            "manager_after_days_overdue)"
        )
    return ReminderRules(
        days_before_due=tuple(sorted(set(before), reverse=True)),
        on_the_day=bool(raw.get("on_the_day", True)),
        overdue_every_days=_whole("rules", raw, "overdue_every_days", 7),
        update_after_weeks=_whole("rules", raw, "update_after_weeks", 6),
        manager_after_days_overdue=manager,
        board_after_days_overdue=board,
        board_role=role or None,
    )


def _schedule(raw: Mapping[str, Any]) -> ReminderSchedule:
    defaults = ReminderSchedule()
    return ReminderSchedule(
        day_of_week=str(raw.get("day_of_week", defaults.day_of_week)),
        hour=str(raw.get("hour", defaults.hour)),
        minute=str(raw.get("minute", defaults.minute)),
        in_flight_timeout_seconds=_whole(
            "schedule", raw, "in_flight_timeout_seconds", defaults.in_flight_timeout_seconds, 1
        ),
        max_attempts=_whole("schedule", raw, "max_attempts", defaults.max_attempts, 1),
    )


def _notify(raw: Mapping[str, Any]) -> NotifySettings:
    key_env = raw.get("api_key_env", "LEDGER_NOTIFY_API_KEY")
    if not isinstance(key_env, str) or not _SECRET_NAME.match(key_env):
        raise RemindersConfigError(
            "notify.api_key_env must name a LEDGER_* environment variable, not hold the key"
        )
    try:
        timeout = float(raw.get("timeout_seconds", 30))
    except (TypeError, ValueError):
        raise RemindersConfigError("notify.timeout_seconds must be a number") from None
    return NotifySettings(
        api_key_env=key_env,
        template_id=str(raw.get("template_id", "")),
        base_url=str(raw.get("base_url", NotifySettings.base_url)),
        timeout_seconds=timeout,
        max_attempts=_whole("notify", raw, "max_attempts", 3, 1),
    )


def load_reminder_settings(
    path: Path | None = None,
    environ: Mapping[str, str] | None = None,
    default_base_url: str | None = None,
) -> ReminderSettings:
    """The reminder settings in `path`, else LEDGER_REMINDERS_CONFIG's file, else
    `reminders.toml`; links default to `default_base_url` (the digest's)."""
    env = os.environ if environ is None else environ
    chosen = path or Path(env.get("LEDGER_REMINDERS_CONFIG") or REMINDERS_FILE)
    try:
        with chosen.open("rb") as handle:
            raw = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise RemindersConfigError(f"{chosen}: {error}") from None
    transport = raw.get("transport", {})
    kind = transport.get("kind", "email")
    if kind not in ("email", "notify"):
        raise RemindersConfigError("transport.kind must be email or notify")
    web = raw.get("web", {})
    return ReminderSettings(
        rules=_rules(raw.get("rules", {}), raw.get("escalation", {})),
        schedule=_schedule(raw.get("schedule", {})),
        transport=kind,
        email_channel=str(transport.get("email_channel", "email")),
        notify=_notify(raw.get("notify", {})),
        web_base_url=str(web["base_url"]) if web.get("base_url") else default_base_url,
        action_path=str(web.get("action_path", "/authorities/{authority}/actions/{action}")),
    )
