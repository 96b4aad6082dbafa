"""The chain algorithm on its own: each kind of tampering is named, at the right place."""

from __future__ import annotations

import dataclasses
import hashlib
from uuid import UUID

import pytest

from ledger.chain import (
    EMPTY,
    GENESIS,
    Fingerprint,
    StoredRow,
    event_digest,
    seal_events,
    seal_rows,
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


def test_sealing_rows_given_as_tuples_follows_the_documented_algorithm() -> None:
    """What the recorders store: each seal computed by hand, a record's id written however the
    database gave it (a UUID, or hex text as SQLite stores it), ids repeating in runs."""
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
    assert seal_rows(previous, rows) == expected
    as_rows = [StoredRow(*fields) for fields in rows]
    assert [dataclasses.astuple(s) for s in seal_events(previous, as_rows)] == expected
