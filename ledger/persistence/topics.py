"""The topics stored events were written under before the domain moved to `ledger.domain`.

A stored event names its class by topic (`module:qualname`). The library resolves a topic it
has registered before importing any module, so each record class's old topic is registered here:
events stored by earlier versions resolve to the same classes, and their stored bytes (and so
the chain's digests and fingerprints) are untouched. New events are stored under the classes'
current topics.
"""

from __future__ import annotations

from eventsourcing.utils import register_topic

from ledger.domain.digests import DigestDelivery
from ledger.domain.kinds import RECORD_CLASSES

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
    """Each record class by the topic it had before (e.g. `ledger.actions:Action`)."""
    classes: dict[str, type] = {
        f"{RECORD_MODULES_BEFORE[kind]}:{cls.__qualname__}": cls
        for kind, cls in RECORD_CLASSES.items()
        if kind in RECORD_MODULES_BEFORE  # records added since have only their topic
    }
    classes[f"ledger.digests:{DigestDelivery.__qualname__}"] = DigestDelivery
    return classes


def register_legacy_topics() -> None:
    """Let events stored under the old topics resolve (safe to call more than once)."""
    for topic, cls in legacy_topics().items():
        register_topic(topic, cls)
