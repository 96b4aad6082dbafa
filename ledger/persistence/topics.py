"""The topics stored events were written under before the domain moved to `ledger.domain`.

A stored event names its class by topic (`module:qualname`). The library resolves a topic it
has registered before importing any module, so each record class's old topic is registered here:
events stored by earlier versions resolve to the same classes, and their stored bytes (and so
the chain's digests and fingerprints) are untouched. New events are stored under the classes'
current topics.
"""

from __future__ import annotations

import functools
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import get_topic, register_topic

from ledger.domain.digests import DigestDelivery
from ledger.domain.errors import LedgerIntegrityError
from ledger.domain.kinds import RECORD_CLASSES
from ledger.domain.records import LedgerAggregate
from ledger.domain.reminders import ReminderDelivery

RECORD_MODULES_BEFORE = {
    "authority": "ledger.authorities",
    "inspection": "ledger.inspections",
    "recommendation": "ledger.recommendations",
    "monitoring_visit": "ledger.visits",
    "decision": "ledger.decisions",
    "intervention": "ledger.interventions",
    "action": "ledger.actions",
    "indicator": "ledger.indicators",
}


def legacy_topics() -> dict[str, type]:
    """Each record class by the topic it had before (e.g. `ledger.actions:Action`), and the
    base of them all, whose `Corrected` events were stored under `ledger.records`."""
    classes: dict[str, type] = {
        f"{RECORD_MODULES_BEFORE[kind]}:{cls.__qualname__}": cls
        for kind, cls in RECORD_CLASSES.items()
        if kind in RECORD_MODULES_BEFORE  # records added since have only their topic
    }
    classes[f"ledger.digests:{DigestDelivery.__qualname__}"] = DigestDelivery
    classes[f"ledger.records:{LedgerAggregate.__qualname__}"] = LedgerAggregate
    return classes


def register_legacy_topics() -> None:
    """Let events stored under the old topics resolve (safe to call more than once)."""
    for topic, cls in legacy_topics().items():
        register_topic(topic, cls)


def _event_classes(cls: type) -> list[type]:
    """The event classes an aggregate class itself defines (not those it inherits)."""
    return [
        value
        for name, value in vars(cls).items()
        if isinstance(value, type) and issubclass(value, LedgerAggregate.Event) and name != "Event"
    ]


@functools.cache
def record_topics() -> dict[str, type]:
    """Every record class by each topic it is stored under (current and earlier)."""
    classes: dict[str, type] = {get_topic(cls): cls for cls in (*RECORD_CLASSES.values(),)}
    classes[get_topic(DigestDelivery)] = DigestDelivery
    classes[get_topic(ReminderDelivery)] = ReminderDelivery
    classes.update(legacy_topics())
    return classes


@functools.cache
def event_topics() -> dict[str, type]:
    """Every event class the ledger stores, by each topic it is stored under (current and the
    earlier module names). Nothing else is ever read: a stored topic outside this map is not the
    ledger's, and no module it names is imported."""
    topics: dict[str, type] = {}
    for class_topic, cls in [
        *record_topics().items(),
        (get_topic(LedgerAggregate), LedgerAggregate),
    ]:
        module = class_topic.partition(":")[0]
        for event in _event_classes(cls):
            topics[f"{module}:{event.__qualname__}"] = event
    return topics


class UnknownTopic(LedgerIntegrityError):
    """A stored event names a class that is not one of the ledger's."""


def check_topic(topic: str) -> type:
    """The ledger's event class stored under `topic`; raises `UnknownTopic` for any other."""
    found = event_topics().get(topic) if isinstance(topic, str) else None
    if found is None:
        shown = str(topic) if len(str(topic)) <= 60 else str(topic)[:59] + "…"
        raise UnknownTopic(f"an event is stored under {shown!r}, which is not one of the ledger's")
    return found


class LedgerMapper(Mapper[UUID]):
    """The library's mapper, reading only the ledger's own events: a stored topic (or a created
    event's `originator_topic`) that is not one of the ledger's is refused before the library
    would import the module it names."""

    def known_records(self) -> dict[str, type]:
        """The record classes this mapper reads, by topic."""
        return record_topics()

    def check(self, topic: str) -> None:
        """Raise `UnknownTopic` unless `topic` names one of the events this mapper reads."""
        check_topic(topic)

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        self.check(stored_event.topic)
        event = super().to_domain_event(stored_event)
        originator_topic = getattr(event, "originator_topic", None)
        if originator_topic is not None and originator_topic not in self.known_records():
            raise UnknownTopic(
                f"an event creates a record of a kind that is not the ledger's "
                f"({str(originator_topic)[:60]!r})"
            )
        return event
