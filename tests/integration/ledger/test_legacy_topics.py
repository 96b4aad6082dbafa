"""Stores written before the domain moved to `ledger.domain` still read, verify and take updates.

Their events name classes by the old topics (`ledger.actions:Action.ActionPlanned`); the stored
bytes, and so the chain's digests and the fingerprint, are whatever was written then.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from eventsourcing.persistence import StoredEvent

from entrypoints.bootstrap import Services
from ledger.persistence.topics import RECORD_MODULES_BEFORE
from tests.factories import load_demo, record


def _old_topic(topic: str) -> str:
    module, _, name = topic.partition(":")
    kind = {
        f"ledger.domain.{old.rpartition('.')[2]}": old for old in RECORD_MODULES_BEFORE.values()
    }
    return f"{kind.get(module, module.replace('ledger.domain.', 'ledger.'))}:{name}"


def test_a_store_written_under_the_old_topics_reads_verifies_and_takes_updates(
    make_services: Callable[..., Services], tmp_path: Path
) -> None:
    written = make_services(url=f"sqlite:///{tmp_path}/new.db")
    load_demo(written.ledger)
    old = make_services(url=f"sqlite:///{tmp_path}/old.db")
    rows = list(written.ledger.stored_rows())
    old.ledger.append_stored(
        [
            StoredEvent(r.originator_id, r.originator_version, _old_topic(r.topic), r.state)
            for r in rows
        ]
    )
    stored_topics = {row.topic for row in old.ledger.stored_rows()}
    assert "ledger.actions:Action.ActionPlanned" in stored_topics
    assert not any(topic.startswith("ledger.domain.") for topic in stored_topics)

    assert old.ledger.verify().intact
    assert old.views.judgements("lancashire") == written.views.judgements("lancashire")
    assert old.views.actions("lancashire") == written.views.actions("lancashire")
    action = old.ledger.record_details("action", "lancashire", "improvement-plan-2018")
    assert action is not None and action.fields["title"]
    # An update loads the record from its old-topic events and appends under the new topic.
    assert (
        record(
            old.ledger,
            {
                "type": "ActionProgressUpdated",
                "authority": "lancashire",
                "id": "improvement-plan-2018",
                "date": "2018-12-01",
                "rag": "green",
                "narrative": "On track",
                "source": "board paper",
            },
        )
        == 1
    )
    assert old.ledger.verify().intact
