"""Reading `digest.toml` into the notifier's typed digest settings."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from notifier.settings import (
    ChannelSettings,
    DigestSettings,
    EmailChannel,
    ScheduleSettings,
    WebhookChannel,
)

DIGEST_FILE = Path(__file__).with_name("digest.toml")
# Settings.secret() only sees LEDGER_* variables (and the secrets file), so names must match.
_SECRET_NAME = re.compile(r"^LEDGER_[A-Z0-9_]+$")
_CHANNEL_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_SECURITY = ("starttls", "ssl", "none")


class DigestConfigError(ValueError):
    """The digest file is malformed; the message names the setting and the problem."""


def _secret_name(channel: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not _SECRET_NAME.match(value):
        raise DigestConfigError(
            f"channel {channel}: {key} must name a LEDGER_* environment variable "
            f"(e.g. LEDGER_SLACK_WEBHOOK_URL), not hold the secret itself"
        )
    return value


def _authorities(channel: str, raw: Mapping[str, Any]) -> frozenset[str] | None:
    value = raw.get("authorities")
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
        raise DigestConfigError(f"channel {channel}: authorities must be a list of ids")
    return frozenset(value)


def _channel(raw: Mapping[str, Any]) -> ChannelSettings:
    name = raw.get("name")
    if not isinstance(name, str) or not _CHANNEL_NAME.match(name):
        raise DigestConfigError(
            f"a channel's name must be lower-case letters, digits, - or _ (got {name!r})"
        )
    kind = raw.get("kind")
    if kind in ("slack", "teams"):
        return WebhookChannel(
            name=name,
            kind=kind,
            webhook_url_env=_secret_name(name, "webhook_url_env", raw.get("webhook_url_env")),
            authorities=_authorities(name, raw),
        )
    if kind != "email":
        raise DigestConfigError(f"channel {name}: kind must be slack, teams or email")
    try:
        to = raw["to"]
        recipients = (to,) if isinstance(to, str) else tuple(str(a) for a in to)
        security = str(raw.get("security", "starttls"))
        if security not in _SECURITY:
            raise DigestConfigError(f"channel {name}: security must be one of {_SECURITY}")
        username = raw.get("username")
        password_env = raw.get("password_env")
        if (username is None) != (password_env is None):
            raise DigestConfigError(f"channel {name}: give username and password_env together")
        return EmailChannel(
            name=name,
            host=str(raw["host"]),
            port=int(raw["port"]),
            from_address=str(raw["from"]),
            to_addresses=recipients,
            security=security,  # type: ignore[arg-type]  # checked against _SECURITY above
            username=str(username) if username is not None else None,
            password_env=_secret_name(name, "password_env", password_env)
            if password_env is not None
            else None,
            ca_file=str(raw["ca_file"]) if raw.get("ca_file") else None,
            timeout_seconds=float(raw.get("timeout_seconds", 30)),
            authorities=_authorities(name, raw),
        )
    except KeyError as missing:
        raise DigestConfigError(f"channel {name}: missing {missing}") from None
    except (TypeError, ValueError) as error:
        if isinstance(error, DigestConfigError):
            raise
        raise DigestConfigError(f"channel {name}: {error}") from None


def _schedule(raw: Mapping[str, Any]) -> ScheduleSettings:
    defaults = ScheduleSettings()
    try:
        schedule = ScheduleSettings(
            day_of_week=str(raw.get("day_of_week", defaults.day_of_week)),
            hour=str(raw.get("hour", defaults.hour)),
            minute=str(raw.get("minute", defaults.minute)),
            misfire_grace_seconds=int(
                raw.get("misfire_grace_seconds", defaults.misfire_grace_seconds)
            ),
            retry_every_minutes=int(raw.get("retry_every_minutes", defaults.retry_every_minutes)),
            max_attempts=int(raw.get("max_attempts", defaults.max_attempts)),
            in_flight_timeout_minutes=int(
                raw.get("in_flight_timeout_minutes", defaults.in_flight_timeout_minutes)
            ),
        )
    except (TypeError, ValueError) as error:
        raise DigestConfigError(f"schedule: {error}") from None
    if schedule.misfire_grace_seconds < 1 or schedule.max_attempts < 1:
        raise DigestConfigError("schedule: misfire_grace_seconds and max_attempts must be >= 1")
    if schedule.retry_every_minutes < 0 or schedule.in_flight_timeout_minutes < 1:
        raise DigestConfigError("schedule: retry and in-flight times must be positive")
    return schedule


def load_digest_settings(
    path: Path | None = None, environ: Mapping[str, str] | None = None
) -> DigestSettings:
    """The digest settings in `path`, else LEDGER_DIGEST_CONFIG's file, else `digest.toml`."""
    env = os.environ if environ is None else environ
    chosen = path or Path(env.get("LEDGER_DIGEST_CONFIG") or DIGEST_FILE)
    try:
        with chosen.open("rb") as handle:
            raw = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise DigestConfigError(f"{chosen}: {error}") from None
    channels = tuple(_channel(c) for c in raw.get("channels", []))
    names = [c.name for c in channels]
    if len(set(names)) != len(names):
        raise DigestConfigError("two digest channels have the same name")
    web = raw.get("web", {})
    return DigestSettings(
        schedule=_schedule(raw.get("schedule", {})),
        web_base_url=str(web["base_url"]) if web.get("base_url") else None,
        web_path=str(web.get("digest_path", "/authorities/{authority}/timeline?{query}")),
        channels=channels,
    )
