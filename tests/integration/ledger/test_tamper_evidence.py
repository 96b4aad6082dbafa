"""The hash chain: the store refuses edits, and `verify` names the first thing that was altered."""

from __future__ import annotations

import pytest
from eventsourcing.persistence import PersistenceError

from entrypoints.bootstrap import Services
from ledger.evidence.chain import EMPTY, Fingerprint, seal_events
from tests.factories import journey, progress, record
from tests.integration.ledger.tampering import Attacker


@pytest.fixture
def ledger_with_history(services: Services) -> Services:
    record(services.ledger, *journey())
    for day, rag in (("2018-10-01", "red"), ("2018-11-01", "amber"), ("2018-12-01", "green")):
        record(services.ledger, progress("act-1", day, rag))
    return services


def test_a_clean_ledger_verifies(ledger_with_history: Services) -> None:
    outcome = ledger_with_history.ledger.verify(ledger_with_history.ledger.fingerprint())
    assert outcome.intact
    assert outcome.fingerprint == ledger_with_history.ledger.fingerprint()
    assert outcome.fingerprint.count == 8


def test_the_database_refuses_update_and_delete(ledger_with_history: Services) -> None:
    attacker = Attacker(ledger_with_history)
    first = attacker.positions()[0]
    for statement in (
        f"UPDATE {attacker.events} SET topic = 'x'",
        f"DELETE FROM {attacker.events}",
        f"UPDATE {attacker.blocks} SET chain_hash = chain_hash",
        f"DELETE FROM {attacker.blocks}",
    ):
        with pytest.raises((PersistenceError, Exception), match="append-only"):
            attacker.run(statement)
    assert attacker.positions()[0] == first
    assert ledger_with_history.ledger.verify().intact


def test_a_changed_event_is_named(ledger_with_history: Services) -> None:
    attacker = Attacker(ledger_with_history)
    attacker.drop_guards()
    target = attacker.positions()[5]
    attacker.set_state(target, attacker.state_at(target).replace(b"red", b"green"))
    problem = ledger_with_history.ledger.verify().problem
    assert problem is not None and problem.kind == "changed"
    assert (problem.seq, problem.position) == (6, target)


def test_a_deleted_event_is_named(ledger_with_history: Services) -> None:
    attacker = Attacker(ledger_with_history)
    attacker.drop_guards()
    target = attacker.positions()[3]
    attacker.delete_event(target)
    problem = ledger_with_history.ledger.verify().problem
    assert problem is not None and problem.kind == "deleted"
    assert (problem.seq, problem.position) == (4, target)


def test_an_event_inserted_out_of_order_is_named(ledger_with_history: Services) -> None:
    attacker = Attacker(ledger_with_history)
    attacker.drop_guards()
    positions = attacker.positions()
    # Make a gap by deleting an event's seal-less twin is not needed: positions start at 1, so
    # a forged event at position 0 comes before everything that was sealed.
    attacker.insert_copy(of_position=positions[-1], at_position=positions[0] - 1, new_version=99)
    problem = ledger_with_history.ledger.verify().problem
    assert problem is not None and problem.kind == "inserted"
    assert "inserted out of order" in problem.message


def test_an_event_appended_outside_the_ledger_is_named(ledger_with_history: Services) -> None:
    attacker = Attacker(ledger_with_history)
    attacker.drop_guards()
    last = attacker.positions()[-1]
    attacker.insert_copy(of_position=last, at_position=last + 1, new_version=99)
    problem = ledger_with_history.ledger.verify().problem
    assert problem is not None and problem.kind == "inserted"
    assert problem.position == last + 1


def test_a_reordering_is_named(ledger_with_history: Services) -> None:
    attacker = Attacker(ledger_with_history)
    attacker.drop_guards()
    positions = attacker.positions()
    a, b = positions[5], positions[6]
    state_a, state_b = attacker.state_at(a), attacker.state_at(b)
    attacker.set_state(a, state_b)
    attacker.set_state(b, state_a)
    problem = ledger_with_history.ledger.verify().problem
    # The two rows keep their (aggregate, version) but swap content: the first is named.
    assert problem is not None and problem.kind in ("changed", "reordered")
    assert problem.seq == 6


def test_a_ledger_cut_short_is_caught_by_a_fingerprint_kept_from_before(
    ledger_with_history: Services,
) -> None:
    kept = ledger_with_history.ledger.fingerprint()
    attacker = Attacker(ledger_with_history)
    attacker.drop_guards()
    attacker.delete_from(attacker.positions()[6])
    assert ledger_with_history.ledger.verify().intact  # on its own, a clean shorter history...
    problem = ledger_with_history.ledger.verify(kept).problem  # ...but not the one you witnessed
    assert problem is not None and problem.kind == "cut_short"
    assert "holds 6 events" in problem.message


def test_a_rewritten_and_resealed_history_is_caught_by_a_fingerprint(
    ledger_with_history: Services,
) -> None:
    kept = ledger_with_history.ledger.fingerprint()
    attacker = Attacker(ledger_with_history)
    attacker.drop_guards()
    # A thorough attacker rewrites an event and recomputes every seal after it.
    target = attacker.positions()[2]
    attacker.set_state(target, attacker.state_at(target).replace(b"Improve", b"Ignore"))
    rows = list(ledger_with_history.ledger.stored_rows())
    attacker.replace_seals(seal_events(EMPTY, rows))
    assert ledger_with_history.ledger.verify().intact
    problem = ledger_with_history.ledger.verify(kept).problem
    assert problem is not None and problem.kind == "diverged"


def test_a_fingerprint_from_the_past_is_extended_by_todays_ledger(services: Services) -> None:
    record(services.ledger, *journey())
    kept = services.ledger.fingerprint()
    record(services.ledger, progress("act-1", "2018-10-01", "amber"))
    assert services.ledger.verify(kept).intact
    assert services.ledger.fingerprint().count == kept.count + 1
    assert Fingerprint.parse(str(kept)) == kept


def test_each_transaction_stores_its_seals_as_one_block(ledger_with_history: Services) -> None:
    attacker = Attacker(ledger_with_history)
    blocks = attacker.run(f"SELECT first_seq, last_seq FROM {attacker.blocks} ORDER BY first_seq")
    # The journey was recorded in one transaction, then each progress update in its own.
    assert [tuple(b) for b in blocks] == [(1, 5), (6, 6), (7, 7), (8, 8)]


def test_an_altered_seal_block_is_named_at_its_last_event(ledger_with_history: Services) -> None:
    attacker = Attacker(ledger_with_history)
    attacker.drop_guards()
    attacker.run(
        f"UPDATE {attacker.blocks} SET chain_hash = ? WHERE first_seq = 1", params=(bytes(32),)
    )
    problem = ledger_with_history.ledger.verify().problem
    assert problem is not None and (problem.kind, problem.seq) == ("seal", 5)
    assert "the seal of event #5 was altered" in problem.message


def test_a_deleted_seal_block_is_named_by_its_first_event(ledger_with_history: Services) -> None:
    attacker = Attacker(ledger_with_history)
    attacker.drop_guards()
    attacker.run(f"DELETE FROM {attacker.blocks} WHERE first_seq = 6")
    problem = ledger_with_history.ledger.verify().problem
    assert problem is not None and (problem.kind, problem.seq) == ("seal", 6)


def test_a_store_sealed_one_row_per_event_still_verifies_and_extends(services: Services) -> None:
    """Stores written before seal blocks keep one seal row per event (`<events>_event_seals`):
    they are read as they are (never rewritten) and the blocks written after extend their chain."""
    record(services.ledger, *journey())
    kept = services.ledger.fingerprint()
    attacker = Attacker(services)
    # Build the earlier layout in place: the same seals, one row per event.
    attacker.drop_guards()
    attacker.run(
        f"CREATE TABLE {attacker.legacy_seals} (seq BIGINT PRIMARY KEY, position BIGINT NOT NULL "
        "UNIQUE, event_hash BYTEA NOT NULL, chain_hash BYTEA NOT NULL)"
        if services.storage.kind == "postgresql"
        else f"CREATE TABLE {attacker.legacy_seals} (seq INTEGER PRIMARY KEY, position INTEGER "
        "NOT NULL UNIQUE, event_hash BLOB NOT NULL, chain_hash BLOB NOT NULL)"
    )
    for seal in services.ledger.seals():
        attacker.run(
            f"INSERT INTO {attacker.legacy_seals} VALUES (?, ?, ?, ?)",
            params=(seal.seq, seal.position, seal.event_hash, seal.chain_hash),
        )
    attacker.run(f"DELETE FROM {attacker.blocks}")

    assert services.ledger.fingerprint() == kept
    assert services.ledger.verify(kept).intact

    record(services.ledger, progress("act-1", "2018-10-01", "amber"))
    assert attacker.run(f"SELECT first_seq, last_seq FROM {attacker.blocks}") == [(6, 6)]
    outcome = services.ledger.verify(kept)
    assert outcome.intact and outcome.fingerprint == services.ledger.fingerprint()
    assert services.ledger.fingerprint().count == 6

    # An edit to the earlier rows is still named.
    attacker.run(
        f"UPDATE {attacker.legacy_seals} SET chain_hash = ? WHERE seq = 3", params=(bytes(32),)
    )
    problem = services.ledger.verify().problem
    assert problem is not None and (problem.kind, problem.seq) == ("seal", 3)
