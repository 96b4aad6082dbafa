"""The ledger's `@event` decorator triggers exactly the events the library's would."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import Aggregate
from eventsourcing.domain import event as library_event
from eventsourcing.utils import get_topic

from ledger.actions import Action
from ledger.event_methods import event


class WithLibrary(Aggregate):
    @library_event("Started")
    def __init__(self, name: str) -> None:
        self.name = name
        self.notes: list[str] = []

    @library_event("Noted")
    def note(self, text: str, urgent: bool = False) -> None:
        self.notes.append(f"{text}{'!' if urgent else ''}")


class WithLedger(Aggregate):
    @event("Started")
    def __init__(self, name: str) -> None:
        self.name = name
        self.notes: list[str] = []

    @event("Noted")
    def note(self, text: str, urgent: bool = False) -> None:
        self.notes.append(f"{text}{'!' if urgent else ''}")


def _fields(aggregate: Aggregate) -> list[tuple[str, dict[str, Any]]]:
    return [
        (
            type(e).__name__,
            {k: v for k, v in vars(e).items() if k not in ("originator_id", "timestamp")},
        )
        for e in aggregate.pending_events
    ]


def test_every_way_of_calling_an_event_method_triggers_what_the_library_would() -> None:
    library, ledger = WithLibrary(name="a"), WithLedger(name="a")
    for aggregate in (library, ledger):
        aggregate.note(text="every parameter named", urgent=True)  # the short way
        aggregate.note(text="a default left out")
        aggregate.note("positional", True)
    # After the created events (of two classes), the same events with the same fields.
    assert _fields(ledger)[1:] == _fields(library)[1:]
    assert (
        ledger.notes
        == library.notes
        == ["every parameter named!", "a default left out", "positional!"]
    )
    assert ledger.version == library.version == 4


def test_event_classes_and_their_stored_topics_are_the_library_s() -> None:
    assert get_topic(Action.ActionProgressUpdated) == "ledger.actions:Action.ActionProgressUpdated"
    assert WithLedger.Noted.__qualname__ == "WithLedger.Noted"
