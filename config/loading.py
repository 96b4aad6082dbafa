"""Everything the entry points read from `config/` and the environment, read once at start."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from config.deadlines import england_calendar, load_deadline_rules
from config.digest import load_digest_settings
from config.frameworks import load_frameworks
from config.reminders import load_reminder_settings
from config.reorganisations import load_reorganisations
from config.settings import Settings, load_settings
from ledger.domain.deadlines import DeadlineRule, WorkingCalendar
from ledger.domain.frameworks import FrameworkCatalogue
from ledger.domain.reorganisations import ReorganisationCatalogue
from notifier.reminder_settings import ReminderSettings
from notifier.settings import DigestSettings


@dataclass
class Configuration:
    """The settings, the frameworks, and (read when first asked for, so a fault in one of their
    files concerns only the commands that need it) the digest's settings and the local
    government reorganisations an Ofsted import needs."""

    settings: Settings
    frameworks: FrameworkCatalogue
    clocks: Clocks | None = None
    environ: Mapping[str, str] = field(default_factory=dict, repr=False)
    digest_file: Path | None = None

    @cached_property
    def digest(self) -> DigestSettings:
        return load_digest_settings(self.digest_file, self.environ)

    @cached_property
    def reorganisations(self) -> ReorganisationCatalogue:
        return load_reorganisations()

    @cached_property
    def reminders(self) -> ReminderSettings:
        """The reminders' rules, schedule and transport (links default to the digest's)."""
        try:
            base_url = self.digest.web_base_url
        except ValueError:
            base_url = None  # a digest file fault is the digest commands' to report
        return load_reminder_settings(None, self.environ, base_url)


@dataclass(frozen=True)
class Clocks:
    """The statutory deadline rules and the working calendar they count in."""

    rules: tuple[DeadlineRule, ...]
    calendar: WorkingCalendar


def load_clocks() -> Clocks:
    """`deadlines.toml` and England's bank holidays, read once at start."""
    return Clocks(load_deadline_rules(), england_calendar())


def load_configuration(environ: Mapping[str, str] | None = None) -> Configuration:
    """Read `settings.toml` and `frameworks.toml` (overridden by LEDGER_* variables)."""
    env = dict(os.environ if environ is None else environ)
    return Configuration(load_settings(environ=env), load_frameworks(), load_clocks(), env)
