"""The chain algorithm on its own: each kind of tampering is named, at the right place."""

from __future__ import annotations

import dataclasses
import hashlib
from uuid import UUID

import pytest

from ledger.evidence.chain import (
    EMPTY,
    GENESIS,
    Fingerprint,
    SealBlock,
    StoredRow,
    event_digest,
    expand_blocks,
    seal_block,
    seal_events,
    stored_seals,
    verify_history,
)

ID = UUID("12345678-1234-5678-1234-567812345678")


def _rows(n: int) -> list[StoredRow]:
    return [
        StoredRow(i + 1, ID, i + 1, "ledger.x:X.Happened", f"state {i}".encode()) for i in range(n)
    ]


def test_the_documented_algorithm_by_hand() -> None:
    """docs/verification.md describes exactly this computation."""
    row = _rows(1)[0]
    parts = [b"ijl-chain-v1", b"1", str(ID).encode(), b"1", row.topic.encode(), row.state]
    digest = hashlib.sha256(b"".join(len(p).to_bytes(8, "big") + p for p in parts)).digest()
    assert event_digest(1, ID, 1, row.topic, row.state) == digest
    assert seal_events(EMPTY, [row])[0].chain_hash == hashlib.sha256(GENESIS + digest).digest()


def test_sealing_in_two_batches_equals_sealing_at_once() -> None:
    rows = _rows(6)
    at_once = seal_events(EMPTY, rows)
    first = seal_events(EMPTY, rows[:4])
    second = seal_events(Fingerprint(4, first[-1].chain_hash), rows[4:])
    assert first + second == at_once


def test_a_clean_history_verifies_and_extends_an_earlier_fingerprint() -> None:
    rows = _rows(5)
    seals = seal_events(EMPTY, rows)
    earlier = Fingerprint(3, seals[2].chain_hash)
    outcome = verify_history(rows, seals, earlier)
    assert outcome.intact
    assert outcome.fingerprint == Fingerprint(5, seals[-1].chain_hash)


@pytest.mark.parametrize(
    ("tamper", "kind", "seq"),
    [
        (
            lambda rows, seals: (
                [*rows[:2], dataclasses.replace(rows[2], state=b"x"), *rows[3:]],
                seals,
            ),
            "changed",
            3,
        ),
        (lambda rows, seals: ([*rows[:1], *rows[2:]], seals), "deleted", 2),
        (lambda rows, seals: (rows, [*seals[:2], *seals[3:]]), "seal", 3),
        (
            lambda rows, seals: (
                rows,
                [*seals[:2], dataclasses.replace(seals[2], chain_hash=bytes(32)), *seals[3:]],
            ),
            "seal",
            3,
        ),
        (
            lambda rows, seals: (
                [
                    *rows[:1],
                    dataclasses.replace(rows[2], position=2),
                    dataclasses.replace(rows[1], position=3),
                    *rows[3:],
                ],
                seals,
            ),
            "reordered",
            2,
        ),
    ],
    ids=["changed", "deleted", "seal missing", "seal altered", "reordered"],
)
def test_tampering_is_named_at_the_first_bad_event(tamper, kind: str, seq: int) -> None:
    rows = _rows(5)
    bad_rows, bad_seals = tamper(rows, seal_events(EMPTY, rows))
    problem = verify_history(bad_rows, bad_seals).problem
    assert problem is not None
    assert (problem.kind, problem.seq) == (kind, seq)


def test_an_unsealed_row_is_inserted() -> None:
    rows = _rows(3)
    seals = seal_events(EMPTY, rows)
    forged = StoredRow(0, ID, 9, "ledger.x:X.Happened", b"forged")
    problem = verify_history([forged, *rows], seals).problem
    assert problem is not None
    assert (problem.kind, problem.position) == ("inserted", 0)


def test_a_history_shorter_than_a_kept_fingerprint_was_cut_short() -> None:
    rows = _rows(5)
    seals = seal_events(EMPTY, rows)
    kept = Fingerprint(5, seals[-1].chain_hash)
    problem = verify_history(rows[:3], seals[:3], kept).problem
    assert problem is not None
    assert problem.kind == "cut_short"


@pytest.mark.parametrize("text", ["", "5", "5:abc", "x:" + "0" * 64, "-1:" + "0" * 64])
def test_a_malformed_fingerprint_is_refused_clearly(text: str) -> None:
    with pytest.raises(ValueError, match="is not a ledger fingerprint"):
        Fingerprint.parse(text)


def test_a_seal_block_follows_the_documented_algorithm() -> None:
    """What the recorders store, one block per transaction: each digest and link computed by
    hand, a record's id written however the database gave it (a UUID, or hex text as SQLite
    stores it), ids repeating in runs."""
    other = UUID("87654321-4321-8765-4321-876543218765")
    rows = [
        (10, ID, 1, "ledger.x:X.Happened", b"a"),
        (11, ID.hex, 2, "ledger.x:X.Happened", b"b"),
        (12, other, 1, "ledger.y:Y.Done", b"c"),
        (13, ID, 3, "ledger.x:X.Happened", "caf\u00e9".encode()),
    ]
    previous = Fingerprint(7, hashlib.sha256(b"earlier").digest())
    link = previous.head
    expected = []
    for seq, (position, originator, version, topic, state) in enumerate(rows, start=8):
        parts = [
            b"ijl-chain-v1",
            str(seq).encode(),
            str(UUID(str(originator))).encode(),
            str(version).encode(),
            topic.encode(),
            state,
        ]
        digest = hashlib.sha256(b"".join(len(p).to_bytes(8, "big") + p for p in parts)).digest()
        link = hashlib.sha256(link + digest).digest()
        expected.append((seq, position, digest, link))

    block = seal_block(previous, rows)

    assert block == SealBlock(
        8,
        11,
        b"".join(p.to_bytes(8, "big", signed=True) for p in (10, 11, 12, 13)),
        b"".join(e[2] for e in expected),
        expected[-1][3],
    )
    assert [dataclasses.astuple(s) for s in expand_blocks(previous, [block])] == expected
    as_rows = [StoredRow(*fields) for fields in rows]
    assert [dataclasses.astuple(s) for s in seal_events(previous, as_rows)] == expected


def test_nothing_to_seal_makes_no_block() -> None:
    assert seal_block(EMPTY, []) is None
    assert seal_events(EMPTY, []) == []


def _blocks(rows: list[StoredRow], *sizes: int) -> list[SealBlock]:
    """The rows sealed in transactions of these sizes."""
    blocks, head, start = [], EMPTY, 0
    for size in sizes:
        part = rows[start : start + size]
        fields = [
            (r.position, r.originator_id, r.originator_version, r.topic, r.state) for r in part
        ]
        block = seal_block(head, fields)
        assert block is not None
        blocks.append(block)
        head, start = block.fingerprint, start + size
    return blocks


def test_blocks_expand_to_the_seals_of_sealing_at_once() -> None:
    rows = _rows(7)
    assert list(expand_blocks(EMPTY, _blocks(rows, 3, 1, 3))) == seal_events(EMPTY, rows)


def test_a_block_whose_link_was_altered_fails_at_its_last_event() -> None:
    rows = _rows(7)
    blocks = _blocks(rows, 3, 1, 3)
    blocks[0] = dataclasses.replace(blocks[0], chain_hash=bytes(32))
    problem = verify_history(rows, expand_blocks(EMPTY, blocks)).problem
    assert problem is not None and (problem.kind, problem.seq) == ("seal", 3)


def test_a_missing_block_is_named_by_its_first_event() -> None:
    rows = _rows(7)
    blocks = _blocks(rows, 3, 1, 3)
    del blocks[1]
    problem = verify_history(rows, expand_blocks(EMPTY, blocks)).problem
    assert problem is not None and (problem.kind, problem.seq) == ("seal", 4)
    assert "seal of event #4 is missing" in problem.message


def test_a_block_that_holds_fewer_seals_than_it_claims_gives_those_it_holds() -> None:
    rows = _rows(7)
    blocks = _blocks(rows, 3, 4)
    short = dataclasses.replace(blocks[1], event_hashes=blocks[1].event_hashes[:-32])
    seals = list(expand_blocks(EMPTY, [blocks[0], short]))
    assert [s.seq for s in seals] == [1, 2, 3, 4, 5, 6]
    # Event 7 has no seal left: it reads as an event added outside the ledger.
    problem = verify_history(rows, seals).problem
    assert problem is not None and (problem.kind, problem.position) == ("inserted", 7)


def test_seals_kept_one_row_per_event_are_followed_by_the_blocks_after_them() -> None:
    """A store written before seal blocks holds one row per event; blocks extend its chain."""
    rows = _rows(6)
    legacy = seal_events(EMPTY, rows[:4])
    blocks = _blocks(rows, 4, 2)[1:]
    assert stored_seals(legacy, blocks) == seal_events(EMPTY, rows)
    assert stored_seals([], []) == []
