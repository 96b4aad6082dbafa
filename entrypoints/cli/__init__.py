"""The `ledger` command line."""

from entrypoints.cli.main import main

__all__ = ["main"]
