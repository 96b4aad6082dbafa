"""Command handling with no database: records kept in a dict, as a unit of work would hold them.

Each `run` parses an import line, hands it to its handler with a `Batch` loading copies of the
stored records, and keeps the changed records only if the handler raised nothing, so a refused
command changes nothing, as in the ledger.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any
from uuid import UUID

from ledger.application.handlers import HANDLERS, Batch, Context
from ledger.application.parsing import command_id_of, parse_command
from ledger.domain.frameworks import FrameworkCatalogue
from ledger.domain.records import LedgerAggregate, record_id

TODAY = date(2026, 11, 23)


class InMemoryJourney:
    """The handlers over records in memory."""

    def __init__(self, frameworks: FrameworkCatalogue, today: date = TODAY) -> None:
        self.frameworks = frameworks
        self.today = today
        self.records: dict[UUID, LedgerAggregate] = {}
        self.events: list[Any] = []

    def run(self, *lines: dict[str, Any], actor: str = "tester") -> int:
        """Record the lines as one batch; returns how many new events they made."""
        batch = Batch(lambda aggregate_id: copy.deepcopy(self.records.get(aggregate_id)))
        for line in lines:
            ctx = Context(self.frameworks, actor, command_id_of(line), self.today)
            command = parse_command(line)
            HANDLERS[type(command)](batch, command, ctx)
        new = 0
        for changed in batch.changed():
            events = changed.collect_events()
            self.events += events
            new += len(events)
            self.records[changed.id] = changed
        return new

    def get(self, kind: str, ref: str, authority: str = "testshire") -> Any:
        return self.records[record_id(kind, authority, ref)]
