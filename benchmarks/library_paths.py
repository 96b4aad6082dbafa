"""The ledger's re-implementations of eventsourcing internals that it keeps, each timed alone
against the library's own path, in one run.

Each row times one thing both ways on the same data, alternating rounds, and prints the median
per operation and the ratio (ledger / library: below 1 the copy is faster). Each kept copy has a
test that fails when the library code it copies changes (tests/unit/ledger/test_library_copies.py).

Measured with this script's first version (commit "Benchmark: each re-implementation of a library
internal timed alone ...") and then deleted, as not earning their keep: the ledger's own `@event`
method path (ratio 0.74: 3.4 µs a call), its hand copy of `Application.save` (0.78: 6.7 µs an
event), its row-by-row-free `_insert_events` (0.97) and its copy of the SQLite pool's
`_create_connection` (within noise once the same PRAGMAs are set after the library's own).

    python benchmarks/library_paths.py [--events 20000] [--rounds 7]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from uuid import uuid4

from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import JSONTranscoder, StoredEvent

from config.frameworks import load_frameworks
from ledger.application.log import PlainDecoder, plain_value
from ledger.application.service import JourneyLedger, replay_events
from ledger.domain.grades import Rag
from ledger.domain.meta import EventMeta
from ledger.persistence.transcodings import LedgerTranscoder

META = EventMeta("a", date(2018, 1, 1), "bench", "bench", "c")


class Action(Aggregate):
    @event("Planned")
    def __init__(self, ref: str, meta: EventMeta) -> None:
        self.ref = ref
        self.rag: Rag | None = None

    @event("ProgressUpdated")
    def update(self, rag: Rag, narrative: str, evidence: list[str], meta: EventMeta) -> None:
        self.rag = rag


def per_op(work: Callable[[], int]) -> Callable[[], float]:
    """`work` (which returns how many operations it did) as seconds per operation."""

    def timed() -> float:
        start = time.perf_counter()
        count = work()
        return (time.perf_counter() - start) / max(count, 1)

    return timed


def compare(
    name: str, ours: Callable[[], float], library: Callable[[], float], rounds: int
) -> None:
    """Alternate the two, `rounds` times each; each call returns seconds per operation."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(rounds):
        a.append(ours())
        b.append(library())
    ratios = [x / y for x, y in zip(a, b, strict=True)]
    print(
        f"{name:<46} ledger {statistics.median(a) * 1e6:8.2f} µs  "
        f"library {statistics.median(b) * 1e6:8.2f} µs  "
        f"ratio {statistics.median(ratios):5.2f} (min {min(ratios):.2f}, max {max(ratios):.2f})"
    )


def ledger_on(folder: Path) -> JourneyLedger:
    return JourneyLedger(
        {
            "PERSISTENCE_MODULE": "ledger.persistence.sealed_sqlite:SealedSQLiteFactory",
            "SQLITE_DBNAME": str(folder / f"{uuid4().hex}.db"),
        },
        load_frameworks(),
        lambda: date(2026, 11, 23),
    )


def replaying(folder: Path, n: int) -> tuple[Callable[[], float], Callable[[], float]]:
    ledger = ledger_on(folder)
    record = Action(ref="x", meta=META)
    for _ in range(19):
        record.update(rag=Rag.RED, narrative="text", evidence=[], meta=META)
    ledger.save(record)
    gets = max(n // 20, 1)

    def run(projector: Any) -> Callable[[], int]:
        def work() -> int:
            for _ in range(gets):
                if projector is None:
                    ledger.repository.get(record.id)
                else:
                    ledger.repository.get(record.id, projector_func=projector)
            return gets

        return work

    return per_op(run(replay_events)), per_op(run(None))


def encoding(n: int) -> tuple[Callable[[], float], Callable[[], float]]:
    ours = LedgerTranscoder()
    library = JSONTranscoder()
    for transcoding in ours.types.values():
        library.register(transcoding)
    state = {
        "rag": Rag.AMBER,
        "narrative": "Progress on the front door: " * 4,
        "evidence": ["board paper 12", "audit 3"],
        "meta": META,
        "timestamp": __import__("datetime").datetime(2026, 1, 1, 12, 0),
        "originator_id": uuid4(),
        "originator_version": 3,
    }

    def marked(value: Any) -> Any:
        # The library's JSON transcoder needs str-enums marked before encoding (json would
        # write them as plain strings): what the ledger would do without its own writer.
        from enum import Enum

        if isinstance(value, Enum):
            transcoding = library.types[type(value)]
            return {"_type_": transcoding.name, "_data_": transcoding.encode(value)}
        if isinstance(value, dict):
            return {k: marked(v) for k, v in value.items()}
        if isinstance(value, list):
            return [marked(v) for v in value]
        return value

    def run_ours() -> int:
        for _ in range(n):
            ours.encode(state)
        return n

    def run_library() -> int:
        for _ in range(n):
            library.encode(marked(state))
        return n

    assert ours.encode(state) == library.encode(marked(state))
    return per_op(run_ours), per_op(run_library)


def decoding(folder: Path, n: int) -> tuple[Callable[[], float], Callable[[], float]]:
    ledger = ledger_on(folder)
    records = []
    for _ in range(max(n // 10, 1)):
        record = Action(ref="x", meta=META)
        for _ in range(9):
            record.update(rag=Rag.RED, narrative="text", evidence=["e"], meta=META)
        records.append(record)
    ledger.save(*records)
    rows = list(ledger.read_stored())
    decoder = PlainDecoder(ledger.mapper, ledger.decode)
    stored = [StoredEvent(r[1], r[2], r[3], r[4]) for r in rows]

    def run_ours() -> int:
        for row in rows:
            decoder.decode(row)
        return len(rows)

    def run_library() -> int:
        for s in stored:
            e = ledger.mapper.to_domain_event(s)
            plain_value(e.meta)
            {k: plain_value(v) for k, v in vars(e).items()}
        return len(stored)

    return per_op(run_ours), per_op(run_library)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    n, rounds = args.events, args.rounds
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"{n} operations a round, {rounds} rounds, alternating; medians per operation")
        compare("repository.get of a 20-event record", *replaying(folder, n), rounds)
        compare("encode one event's state", *encoding(n), rounds)
        compare("decode one stored event for projections", *decoding(folder, n), rounds)


if __name__ == "__main__":
    main()
