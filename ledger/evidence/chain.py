"""The hash chain that makes the ledger's history tamper-evident, and its verification.

The algorithm is small on purpose, so anyone can re-implement the check (docs/verification.md):

    digest_n = SHA-256 of the length-prefixed fields
               "ijl-chain-v1", n, originator_id, originator_version, topic, state
               (each field: its length as 8 bytes big-endian, then its bytes; numbers as decimal
               ASCII, the originator id as a lower-case hyphenated UUID, state as stored bytes)
    link_n   = SHA-256(link_{n-1} || digest_n), with link_0 = 32 zero bytes

`n` counts events from 1 in the order they were recorded. The fingerprint of a ledger of N events
is "N:" followed by link_N in hex. Nothing here touches a database: the recorders and the bundle
reader feed it rows.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal
from uuid import UUID

CHAIN_TAG = b"ijl-chain-v1"
GENESIS = bytes(32)
_TAG_FIELD = len(CHAIN_TAG).to_bytes(8, "big") + CHAIN_TAG
# The length prefixes of numbers written in decimal (a 64-bit number has at most 20 digits).
_SHORT_LENGTHS = tuple(n.to_bytes(8, "big") for n in range(21))


def canonical_originator_id(originator_id: UUID | str) -> str:
    """The lower-case hyphenated form of an aggregate id, however the database stores it."""
    return str(originator_id if isinstance(originator_id, UUID) else UUID(originator_id))


def event_digest(
    seq: int, originator_id: UUID | str, originator_version: int, topic: str, state: bytes
) -> bytes:
    """The digest of one stored event at its place `seq` in the chain."""
    id_text = canonical_originator_id(originator_id).encode("ascii")
    return _sha256_of_fields(
        seq, _field(id_text), originator_version, _field(topic.encode("utf-8")), state
    )


def _field(value: bytes) -> bytes:
    """A field as the digest takes it: its length as 8 bytes big-endian, then its bytes."""
    return len(value).to_bytes(8, "big") + value


def _sha256_of_fields(
    seq: int, id_field: bytes, originator_version: int, topic_field: bytes, state: bytes
) -> bytes:
    # Hashing the fields joined is hashing them one after another; one call is cheaper.
    seq_text = b"%d" % seq
    version_text = b"%d" % originator_version
    return hashlib.sha256(
        b"".join(
            (
                _TAG_FIELD,
                _SHORT_LENGTHS[len(seq_text)],
                seq_text,
                id_field,
                _SHORT_LENGTHS[len(version_text)],
                version_text,
                topic_field,
                len(state).to_bytes(8, "big"),
                state,
            )
        )
    ).digest()


def next_link(previous: bytes, digest: bytes) -> bytes:
    """The chain's head after appending an event with `digest`."""
    return hashlib.sha256(previous + digest).digest()


@dataclass(frozen=True)
class Fingerprint:
    """The chain's head: how many events, and the link after the last one."""

    count: int
    head: bytes

    def __str__(self) -> str:
        return f"{self.count}:{self.head.hex()}"

    @classmethod
    def parse(cls, text: str) -> Fingerprint:
        """Read a fingerprint as printed (`N:hex`); raises ValueError with a clear message."""
        count_text, sep, head_hex = text.strip().partition(":")
        try:
            count = int(count_text)
            head = bytes.fromhex(head_hex)
        except ValueError:
            head = b""
            count = -1
        if not sep or count < 0 or len(head) != 32:
            raise ValueError(
                f"{text!r} is not a ledger fingerprint (expected COUNT:64-hex-digits, "
                "as printed by `ledger fingerprint`)"
            )
        return cls(count, head)


EMPTY = Fingerprint(0, GENESIS)


# A stored event's fields in `StoredRow`'s order, for reading or sealing many events without
# building a frozen dataclass per event.
StoredFields = tuple[int, UUID | str, int, str, bytes]


@dataclass(frozen=True)
class StoredRow:
    """A stored event as verification sees it: its position in the log and its stored fields."""

    position: int
    originator_id: UUID | str
    originator_version: int
    topic: str
    state: bytes


@dataclass(frozen=True)
class Seal:
    """What was sealed when an event was recorded: its place, its digest and the chain's link."""

    seq: int
    position: int
    event_hash: bytes
    chain_hash: bytes


@dataclass(frozen=True)
class SealBlock:
    """The seals of the events one transaction appended, stored as one row.

    Each event's own seal is in it: its position and digest (packed, in order), and the chain's
    link after it, which is the stored `chain_hash` for the last event and, for the others,
    recomputed from the link before the block and the digests (`expand_blocks`).
    """

    first_seq: int
    last_seq: int
    positions: bytes  # 8 bytes big-endian (signed) per event
    event_hashes: bytes  # 32 bytes per event
    chain_hash: bytes  # the link after event `last_seq`

    @property
    def fingerprint(self) -> Fingerprint:
        """The chain's head once this block was appended."""
        return Fingerprint(self.last_seq, self.chain_hash)


def seal_block(previous: Fingerprint, rows: Iterable[StoredFields]) -> SealBlock | None:
    """The seals of events appended after `previous`, in order (None when there are none)."""
    digests: list[bytes] = []
    append = digests.append
    positions: list[int] = []
    seq, link = previous.count, previous.head
    sha256 = hashlib.sha256
    # A record's events come in runs and a few topics recur: encode each id and topic once.
    ids: dict[UUID | str, bytes] = {}
    topics: dict[str, bytes] = {}
    for position, originator_id, originator_version, topic, state in rows:
        seq += 1
        positions.append(position)
        id_field = ids.get(originator_id)
        if id_field is None:
            id_text = canonical_originator_id(originator_id).encode("ascii")
            id_field = ids[originator_id] = _field(id_text)
        topic_field = topics.get(topic)
        if topic_field is None:
            topic_field = topics[topic] = _field(topic.encode("utf-8"))
        digest = _sha256_of_fields(seq, id_field, originator_version, topic_field, state)
        link = sha256(link + digest).digest()  # `next_link`, inlined
        append(digest)
    if not digests:
        return None
    return SealBlock(
        previous.count + 1,
        seq,
        struct.pack(f">{len(positions)}q", *positions),
        b"".join(digests),
        link,
    )


def expand_blocks(previous: Fingerprint, blocks: Iterable[SealBlock]) -> Iterator[Seal]:
    """Every event's seal from blocks stored after `previous`, in order.

    Nothing is trusted: a block that claims more events than its columns hold gives the seals
    it holds (verification then finds the rest missing), and a block's stored link is given as
    its last event's, so a block whose digests were altered fails verification there.
    """
    link = previous.head
    for block in blocks:
        count = min(
            block.last_seq - block.first_seq + 1,
            len(block.positions) // 8,
            len(block.event_hashes) // 32,
        )
        positions = struct.unpack_from(f">{max(count, 0)}q", block.positions)
        for i in range(count):
            event_hash = block.event_hashes[32 * i : 32 * i + 32]
            link = next_link(link, event_hash)
            if i == count - 1 and block.first_seq + i == block.last_seq:
                link = block.chain_hash
            yield Seal(block.first_seq + i, positions[i], event_hash, link)
        link = block.chain_hash


def stored_seals(legacy: list[Seal], blocks: Iterable[SealBlock]) -> list[Seal]:
    """Every seal a store holds: those a version before seal blocks wrote one row per event
    (`legacy`, read and never written), then those of the blocks written after them."""
    previous = Fingerprint(legacy[-1].seq, legacy[-1].chain_hash) if legacy else EMPTY
    return legacy + list(expand_blocks(previous, blocks))


def seal_events(previous: Fingerprint, rows: Iterable[StoredRow]) -> list[Seal]:
    """Seals for events appended after `previous`, in order."""
    fields = ((r.position, r.originator_id, r.originator_version, r.topic, r.state) for r in rows)
    block = seal_block(previous, fields)
    return [] if block is None else list(expand_blocks(previous, [block]))


ProblemKind = Literal[
    "changed", "deleted", "inserted", "reordered", "seal", "cut_short", "diverged"
]


@dataclass(frozen=True)
class Problem:
    """The first thing found wrong with a history."""

    kind: ProblemKind
    seq: int | None
    position: int | None
    message: str


@dataclass(frozen=True)
class Verification:
    """The outcome of walking a history: its recomputed fingerprint, and the first problem."""

    fingerprint: Fingerprint
    problem: Problem | None

    @property
    def intact(self) -> bool:
        return self.problem is None


def _describe(row: StoredRow) -> str:
    name = row.topic.rpartition(".")[2]
    return f"{name} of {canonical_originator_id(row.originator_id)} v{row.originator_version}"


def verify_history(
    rows: Iterable[StoredRow], seals: Iterable[Seal], expected: Fingerprint | None = None
) -> Verification:
    """Walk the stored events against their seals, recomputing the chain; stop at the first problem.

    `expected`, a fingerprint kept from earlier (a digest, an export), must be a point this
    history passes through: otherwise the history was cut short or rewritten since.
    """
    seal_list = list(seals)
    rows_iter: Iterator[StoredRow] = iter(rows)
    pending: StoredRow | None = next(rows_iter, None)
    count, link = 0, GENESIS

    def result(problem: Problem | None) -> Verification:
        return Verification(Fingerprint(count, link), problem)

    for seal in seal_list:
        if seal.seq != count + 1:
            return result(
                Problem("seal", count + 1, None, f"the seal of event #{count + 1} is missing")
            )
        if pending is not None and pending.position < seal.position:
            return result(
                Problem(
                    "inserted",
                    None,
                    pending.position,
                    f"an event at position {pending.position} ({_describe(pending)}) was never "
                    f"sealed: it was inserted out of order before event #{seal.seq}",
                )
            )
        if pending is None or pending.position != seal.position:
            return result(
                Problem(
                    "deleted",
                    seal.seq,
                    seal.position,
                    f"event #{seal.seq} (position {seal.position}) is missing: it was deleted",
                )
            )
        row, pending = pending, next(rows_iter, None)
        digest = event_digest(
            seal.seq, row.originator_id, row.originator_version, row.topic, row.state
        )
        if digest != seal.event_hash:
            moved_from = _seal_matching(seal_list, row)
            if moved_from is not None:
                return result(
                    Problem(
                        "reordered",
                        seal.seq,
                        row.position,
                        f"event #{seal.seq} holds the event sealed as #{moved_from} "
                        f"({_describe(row)}): the history was reordered",
                    )
                )
            return result(
                Problem(
                    "changed",
                    seal.seq,
                    row.position,
                    f"event #{seal.seq} ({_describe(row)}) was changed after it was recorded",
                )
            )
        link = next_link(link, digest)
        if link != seal.chain_hash:
            return result(
                Problem(
                    "seal", seal.seq, row.position, f"the seal of event #{seal.seq} was altered"
                )
            )
        count += 1
        if expected is not None and count == expected.count and link != expected.head:
            return result(
                Problem(
                    "diverged",
                    count,
                    row.position,
                    f"the history differs from the fingerprint you hold at event #{count}: "
                    "events up to there were rewritten",
                )
            )
    if pending is not None:
        return result(
            Problem(
                "inserted",
                None,
                pending.position,
                f"an event at position {pending.position} ({_describe(pending)}) was never "
                "sealed: it was inserted outside the ledger",
            )
        )
    if expected is not None and count < expected.count:
        return result(
            Problem(
                "cut_short",
                count,
                None,
                f"the history holds {count} events but the fingerprint you hold covers "
                f"{expected.count}: it was cut short",
            )
        )
    return result(None)


def _seal_matching(seals: list[Seal], row: StoredRow) -> int | None:
    """The seq of another seal this row's content was sealed under, if any."""
    for seal in seals:
        digest = event_digest(
            seal.seq, row.originator_id, row.originator_version, row.topic, row.state
        )
        if digest == seal.event_hash:
            return seal.seq
    return None
