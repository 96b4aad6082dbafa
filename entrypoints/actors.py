"""Who records from the command line, for every entry point that records (import, digest sends)."""

from __future__ import annotations

import getpass
import os


def command_line_actor() -> str:
    """LEDGER_ACTOR, else the operating-system user as `cli:<name>`."""
    return os.environ.get("LEDGER_ACTOR") or f"cli:{getpass.getuser()}"
