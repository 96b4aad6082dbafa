"""Every event class of the domain is one the ledger reads, and every command's event one a
restore can replay: a record or command added later cannot be refused by accident."""

from __future__ import annotations

import importlib
import pkgutil

from eventsourcing.utils import get_topic

import ledger.domain
from ledger.application.commands import COMMAND_TYPES
from ledger.application.restore_checks import _COMMANDS
from ledger.domain.records import LedgerAggregate
from ledger.persistence.topics import event_topics


def _every_record_class() -> set[type]:
    for module in pkgutil.iter_modules(ledger.domain.__path__):
        importlib.import_module(f"ledger.domain.{module.name}")
    found: set[type] = set()
    pending = [LedgerAggregate]
    while pending:
        cls = pending.pop()
        found.add(cls)
        pending.extend(cls.__subclasses__())
    return found


def test_every_event_class_of_every_record_is_a_known_topic() -> None:
    known = event_topics()
    for record in _every_record_class():
        for name, value in vars(record).items():
            # `Event` is each class's base of its events, never stored itself.
            if (
                name != "Event"
                and isinstance(value, type)
                and issubclass(value, LedgerAggregate.Event)
            ):
                assert get_topic(value) in known, f"{get_topic(value)} would be refused"


def test_every_command_s_event_can_be_replayed_by_a_restore() -> None:
    assert set(COMMAND_TYPES) <= set(_COMMANDS)
