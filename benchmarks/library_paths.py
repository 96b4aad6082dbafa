"""The ledger's re-implementations of eventsourcing internals, each timed alone against the
library's own path, in one run.

Each row times one thing both ways on the same data, alternating rounds, and prints the median
per operation and the ratio (ledger / library: below 1 the copy is faster).

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

from eventsourcing.domain import Aggregate
from eventsourcing.domain import event as library_event
from eventsourcing.persistence import JSONTranscoder, StoredEvent

from config.frameworks import load_frameworks
from ledger.application import JourneyLedger, _replay_events
from ledger.event_methods import event as fast_event
from ledger.grades import Rag
from ledger.meta import EventMeta
from ledger.transcodings import LedgerTranscoder
from projections.plain_events import PlainDecoder, plain_value

META = EventMeta("a", date(2018, 1, 1), "bench", "bench", "c")


class FastAction(Aggregate):
    @fast_event("Planned")
    def __init__(self, ref: str, meta: EventMeta) -> None:
        self.ref = ref
        self.rag: Rag | None = None

    @fast_event("ProgressUpdated")
    def update(self, rag: Rag, narrative: str, evidence: list[str], meta: EventMeta) -> None:
        self.rag = rag


class LibraryAction(Aggregate):
    @library_event("Planned")
    def __init__(self, ref: str, meta: EventMeta) -> None:
        self.ref = ref
        self.rag: Rag | None = None

    @library_event("ProgressUpdated")
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


def event_methods(n: int) -> tuple[Callable[[], float], Callable[[], float]]:
    def run(cls: Any) -> Callable[[], int]:
        def work() -> int:
            record = cls(ref="x", meta=META)
            for _ in range(n):
                record.update(rag=Rag.RED, narrative="text", evidence=[], meta=META)
            return n

        return work

    return per_op(run(FastAction)), per_op(run(LibraryAction))


def ledger_on(folder: Path) -> JourneyLedger:
    return JourneyLedger(
        {
            "PERSISTENCE_MODULE": "ledger.sealed_sqlite:SealedSQLiteFactory",
            "SQLITE_DBNAME": str(folder / f"{uuid4().hex}.db"),
        },
        load_frameworks(),
        lambda: date(2026, 11, 23),
    )


def saving(folder: Path, n: int) -> tuple[Callable[[], float], Callable[[], float]]:
    def run(save: Callable[[JourneyLedger, list[Any]], None]) -> Callable[[], float]:
        def work() -> float:
            ledger = ledger_on(folder)
            records = []
            for _ in range(n // 10):
                record = FastAction(ref="x", meta=META)
                for _ in range(9):
                    record.update(rag=Rag.RED, narrative="text", evidence=[], meta=META)
                records.append(record)
            start = time.perf_counter()
            save(ledger, records)
            elapsed = time.perf_counter() - start
            ledger.close()
            return elapsed / n

        return work

    return (
        run(lambda ledger, records: ledger._save_records(records)),
        run(lambda ledger, records: ledger.save(*records)),
    )


def replaying(folder: Path, n: int) -> tuple[Callable[[], float], Callable[[], float]]:
    ledger = ledger_on(folder)
    record = FastAction(ref="x", meta=META)
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

    return per_op(run(_replay_events)), per_op(run(None))


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
        record = FastAction(ref="x", meta=META)
        for _ in range(9):
            record.update(rag=Rag.RED, narrative="text", evidence=["e"], meta=META)
        records.append(record)
    ledger.save(*records)
    rows = list(ledger.read_stored())
    decoder = PlainDecoder(ledger)
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


def inserting(folder: Path, n: int) -> tuple[Callable[[], float], Callable[[], float]]:
    """Bulk insert of stored events: the ledger's one executemany vs the library's row by row."""
    from eventsourcing.sqlite import SQLiteApplicationRecorder

    ledger = ledger_on(folder)
    record = FastAction(ref="x", meta=META)
    for _ in range(n - 1):
        record.update(rag=Rag.RED, narrative="text", evidence=[], meta=META)
    stored = [ledger.mapper.to_stored_event(e) for e in record.collect_events()]
    ledger.close()

    def run(library: bool) -> Callable[[], float]:
        def work() -> float:
            target = ledger_on(folder)
            recorder = target.recorder
            datastore = recorder.datastore  # type: ignore[attr-defined]
            start = time.perf_counter()
            with datastore.transaction(commit=True) as c:
                if library:
                    SQLiteApplicationRecorder._insert_events(recorder, c, stored)  # type: ignore[arg-type]
                    recorder._seal(c, list(range(1, len(stored) + 1)), stored)  # type: ignore[attr-defined]
                else:
                    recorder._insert_events(c, stored)  # type: ignore[attr-defined]
            elapsed = time.perf_counter() - start
            target.close()
            return elapsed / len(stored)

        return work

    return run(False), run(True)


def connecting(folder: Path, n: int) -> tuple[Callable[[], float], Callable[[], float]]:
    """One small transaction (an insert and a commit) on the ledger's pool and the library's."""
    from eventsourcing.sqlite import SQLiteConnectionPool

    from ledger.sealed_sqlite import LedgerSQLiteConnectionPool

    path = folder / "pool.db"
    import sqlite3

    sqlite3.connect(path).execute("CREATE TABLE IF NOT EXISTS t (a INTEGER, b TEXT)").close()
    transactions = max(n // 20, 1)

    def run(pool_class: Any) -> Callable[[], float]:
        def work() -> float:
            pool = pool_class(db_name=str(path), lock_timeout=30)
            start = time.perf_counter()
            for i in range(transactions):
                conn = pool.get_connection()
                try:
                    cursor = conn.cursor()
                    cursor.execute("BEGIN")
                    cursor.execute("INSERT INTO t VALUES (?, ?)", (i, "x"))
                    cursor.execute("SELECT max(a) FROM t")
                    cursor.execute("COMMIT")
                finally:
                    pool.put_connection(conn)
            elapsed = time.perf_counter() - start
            pool.close()
            return elapsed / transactions

        return work

    return run(LedgerSQLiteConnectionPool), run(SQLiteConnectionPool)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    n, rounds = args.events, args.rounds
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"{n} operations a round, {rounds} rounds, alternating; medians per operation")
        compare("@event method call (trigger + apply)", *event_methods(n), rounds)
        compare("save: collect + encode + insert, per event", *saving(folder, n), rounds)
        compare("repository.get of a 20-event record", *replaying(folder, n), rounds)
        compare("encode one event's state", *encoding(n), rounds)
        compare("decode one stored event for projections", *decoding(folder, n), rounds)
        compare("bulk insert + seal, per event (SQLite)", *inserting(folder, n), rounds)
        compare("one small transaction on the pool (SQLite)", *connecting(folder, n), rounds)


if __name__ == "__main__":
    main()
