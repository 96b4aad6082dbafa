"""Ledger throughput: bulk import, full rebuild, and one event recorded as the web form does it.

Each figure is printed beside a raw baseline measured in the same run on the same machine:
- bulk import vs plain `executemany` of rows of the same size, one transaction per batch;
- rebuild vs reading every stored row and `json.loads`-ing its state;
- one event vs one plain INSERT + COMMIT.
With --compare-chain it also compares the hash chain's cost: bulk imports into fresh stores with the
chain on, on the library's plain recorder (what the ledger would be without its own recorder), and
on the ledger's recorder with sealing switched off (what the seals themselves cost), alternating,
--rounds times each (medians), then single-event latency on each, one event on each in turn (all
without read models, which the library's plain recorder cannot write beside its events). The
ledger refuses both unsealed variants whatever its settings say; they are measured through
`ChainlessLedgerForMeasuring`, a subclass made here that takes out that refusal and nothing else.

SQLite by default; `--database postgresql://user@host:port/db` runs the same on PostgreSQL, in
fresh schemas (`bench_...`) created in that database and dropped afterwards. The targets are
SQLite's.

    python benchmarks/ledger_throughput.py [--authorities 120] [--compare-chain [--rounds 3]]
                                          [--database URL]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
from eventsourcing.application import Application
from eventsourcing.persistence import ApplicationRecorder, StoredEvent
from eventsourcing.sqlite import SQLiteCursor
from eventsourcing.utils import Environment, EnvType

from config.frameworks import load_frameworks
from entrypoints.bootstrap import Services, build_services
from ledger.application.parsing import command_id_of, parse_command
from ledger.application.service import JourneyLedger, PendingCommand
from ledger.persistence.database_urls import parse_database_url
from ledger.persistence.library_settings import SEALED_SQLITE_FACTORY, library_settings
from ledger.persistence.sealed_postgres import SealedPostgresFactory, SealedPostgresRecorder
from ledger.persistence.sealed_sqlite import SealedSQLiteFactory, SealedSQLiteRecorder
from projections.read_model import ReadModel

AREAS = [
    "overall_effectiveness",
    "help_and_protection",
    "looked_after",
    "adoption",
    "care_leavers",
    "leadership",
]
GRADES = ["inadequate", "requires_improvement", "good"]
TODAY = date(2026, 11, 23)


def journey(n: int) -> Iterator[dict[str, Any]]:
    """One synthetic authority's journey: ~860 events."""
    a = f"authority-{n:04d}"
    yield {"type": "AuthorityRegistered", "id": a, "name": f"Council {n}", "source": "synthetic"}
    start = date(2015, 1, 1) + timedelta(days=n % 300)
    for i in range(3):
        yield {
            "type": "InspectionRecorded",
            "authority": a,
            "id": f"insp-{i}",
            "framework": "sif-2013",
            "kind": "single_inspection",
            "published": (start + timedelta(days=700 * i)).isoformat(),
            "grades": {area: GRADES[(n + i + j) % 3] for j, area in enumerate(AREAS)},
            "source": "synthetic",
        }
        for r in range(8):
            yield {
                "type": "RecommendationIssued",
                "authority": a,
                "id": f"rec-{i}-{r}",
                "origin": f"insp-{i}",
                "text": f"Recommendation {r} of inspection {i}: improve the quality of practice.",
                "source": "synthetic",
            }
    for k in range(60):
        planned = start + timedelta(days=30 + k * 20)
        ref = f"act-{k}"
        yield {
            "type": "ActionPlanned",
            "authority": a,
            "id": ref,
            "date": planned.isoformat(),
            "title": f"Action {k}",
            "owner": "Head of service",
            "due_date": (planned + timedelta(days=180)).isoformat(),
            "answers": [f"rec-{min(k // 20, 2)}-{k % 8}"],
            "source": "synthetic",
        }
        for u in range(10):
            yield {
                "type": "ActionProgressUpdated",
                "authority": a,
                "id": ref,
                "date": (planned + timedelta(days=15 * (u + 1))).isoformat(),
                "rag": ["red", "amber", "green"][(k + u) % 3],
                "narrative": f"Update {u}: progress reported to the improvement board.",
                "source": "synthetic",
            }
        if k % 5 == 0:
            yield {
                "type": "ActionDueDateRevised",
                "authority": a,
                "id": ref,
                "date": (planned + timedelta(days=170)).isoformat(),
                "new_due_date": (planned + timedelta(days=300)).isoformat(),
                "reason": "Recruitment",
                "approver": "Improvement board",
                "source": "synthetic",
            }
    for m in range(4):
        yield {
            "type": "IndicatorDefined",
            "authority": a,
            "id": f"ind-{m}",
            "name": f"Indicator {m}",
            "unit": "percent",
            "higher_is_better": True,
            "source": "synthetic",
        }
        for q in range(40):
            yield {
                "type": "IndicatorReadingRecorded",
                "authority": a,
                "id": f"ind-{m}",
                "period_end": (start + timedelta(days=30 * q)).isoformat(),
                "value": str(50 + (q * 7 + m) % 40),
                "source": "synthetic",
            }


def commands(authorities: int) -> list[PendingCommand]:
    return [
        PendingCommand(parse_command(raw), command_id_of(raw))
        for n in range(authorities)
        for raw in journey(n)
    ]


class ChainlessLedgerForMeasuring(JourneyLedger):
    """The ledger's application with its refusal of unsealed persistence taken out, so the
    chain's cost can be measured. Only here: the ledger itself refuses every such setting."""

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        given = dict(env or {})
        module = given.pop("PERSISTENCE_MODULE")
        checked = library_settings({**given, "PERSISTENCE_MODULE": SEALED_SQLITE_FACTORY})
        return Environment(name, {**checked, "PERSISTENCE_MODULE": module, "CREATE_TABLE": "y"})

    def construct_recorder(self) -> ApplicationRecorder:
        return Application.construct_recorder(self)

    # The library's own recorder has neither shared read snapshots nor `rows_after`.
    def snapshot(self) -> AbstractContextManager[None]:
        snapshot = getattr(self.recorder, "snapshot", None)
        return snapshot() if snapshot is not None else nullcontext()

    def read_stored(self, after: int = 0, batch_size: int = 2000) -> Iterator[Any]:
        if hasattr(self.recorder, "rows_after"):
            yield from super().read_stored(after, batch_size)
            return
        while found := self.recorder.select_notifications(
            start=after, limit=batch_size, inclusive_of_start=False
        ):
            for n in found:
                yield (n.id, n.originator_id, n.originator_version, n.topic, n.state)
            after = found[-1].id


class UnsealedSQLiteRecorder(SealedSQLiteRecorder):
    """The ledger's SQLite recorder with sealing switched off: what the seals cost, measured."""

    def _seal(
        self, c: SQLiteCursor, positions: Sequence[int], stored_events: Sequence[StoredEvent]
    ) -> None:
        pass


class UnsealedSQLiteFactory(SealedSQLiteFactory):
    application_recorder_class = UnsealedSQLiteRecorder


class UnsealedPostgresRecorder(SealedPostgresRecorder):
    """The ledger's PostgreSQL recorder with sealing switched off."""

    def _seal(
        self, curs: Any, positions: Sequence[int], stored_events: Sequence[StoredEvent]
    ) -> None:
        pass


class UnsealedPostgresFactory(SealedPostgresFactory):
    application_recorder_class = UnsealedPostgresRecorder


# Persistence modules without the hash chain, compared with --compare-chain.
UNCHAINED = {
    "sqlite": [
        ("the library's plain SQLite recorder", "eventsourcing.sqlite"),
        ("the ledger's recorder, sealing switched off", f"{__name__}:UnsealedSQLiteFactory"),
    ],
    "postgresql": [
        ("the library's plain PostgreSQL recorder", "eventsourcing.postgres"),
        ("the ledger's recorder, sealing switched off", f"{__name__}:UnsealedPostgresFactory"),
    ],
}


class SQLiteBackend:
    """Ledgers in SQLite files in a temporary folder, and raw sqlite3 baselines."""

    kind = "sqlite"
    name = "SQLite"
    client = "sqlite3"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def url(self, label: str) -> str:
        return f"sqlite:///{self.folder}/{label}.db"

    def raw_insert(self, rows: int, state_size: int, batch: int) -> float:
        conn = sqlite3.connect(self.folder / "raw.db", isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(
            "CREATE TABLE t (id TEXT, v INTEGER, topic TEXT, state BLOB, PRIMARY KEY (id, v))"
        )
        payload = b"x" * state_size
        started = time.perf_counter()
        for i in range(0, rows, batch):
            conn.execute("BEGIN")
            conn.executemany(
                "INSERT INTO t VALUES (?, ?, ?, ?)",
                ((f"{j:032x}", 1, "ledger.x:X.Y", payload) for j in range(i, min(rows, i + batch))),
            )
            conn.execute("COMMIT")
        elapsed = time.perf_counter() - started
        conn.close()
        return elapsed

    def raw_read(self, services: Services) -> float:
        conn = sqlite3.connect(services.storage.env["SQLITE_DBNAME"])
        started = time.perf_counter()
        for (state,) in conn.execute("SELECT state FROM stored_events ORDER BY rowid"):
            json.loads(state)
        elapsed = time.perf_counter() - started
        conn.close()
        return elapsed

    def raw_single(self, samples: int) -> list[float]:
        conn = sqlite3.connect(self.folder / "raw.db", isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE IF NOT EXISTS one (id INTEGER PRIMARY KEY, state BLOB)")
        timings = []
        for _ in range(samples):
            started = time.perf_counter()
            conn.execute("BEGIN")
            conn.execute("INSERT INTO one (state) VALUES (?)", (b"x" * 400,))
            conn.execute("COMMIT")
            timings.append(time.perf_counter() - started)
        conn.close()
        return timings

    def close(self) -> None:
        pass


class PostgresBackend:
    """Ledgers in fresh schemas of one PostgreSQL database (dropped at the end), and raw psycopg
    baselines in a schema of their own."""

    kind = "postgresql"
    name = "PostgreSQL"
    client = "psycopg"

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.base = url.split("?")[0]
        self.conninfo: dict[str, Any] = {
            "host": parts.hostname or "127.0.0.1",
            "port": parts.port or 5432,
            "user": parts.username or "postgres",
            "password": parts.password or "",
            "dbname": parts.path.lstrip("/"),
        }
        self.run = uuid.uuid4().hex[:8]
        self.schemas: list[str] = []
        self.raw_schema = self._schema("raw")

    def _schema(self, label: str) -> str:
        schema = f"bench_{self.run}_{label}"
        with psycopg.connect(**self.conninfo, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        self.schemas.append(schema)
        return schema

    def url(self, label: str) -> str:
        return f"{self.base}?schema={self._schema(label)}"

    def raw_insert(self, rows: int, state_size: int, batch: int) -> float:
        payload = b"x" * state_size
        with psycopg.connect(**self.conninfo) as conn:
            conn.execute(
                f'CREATE TABLE "{self.raw_schema}".t '
                "(id text, v integer, topic text, state bytea, PRIMARY KEY (id, v))"
            )
            conn.commit()
            started = time.perf_counter()
            for i in range(0, rows, batch):
                with conn.cursor() as cur:
                    cur.executemany(
                        f'INSERT INTO "{self.raw_schema}".t VALUES (%s, %s, %s, %s)',
                        [
                            (f"{j:032x}", 1, "ledger.x:X.Y", payload)
                            for j in range(i, min(rows, i + batch))
                        ],
                    )
                conn.commit()
            return time.perf_counter() - started

    def raw_read(self, services: Services) -> float:
        with psycopg.connect(**self.conninfo) as conn:
            started = time.perf_counter()
            table = services.ledger.recorder.events_table_name
            rows = conn.execute(
                f'SELECT state FROM "{services.storage.schema}"."{table}" ORDER BY notification_id'
            )
            for (state,) in rows:
                json.loads(state)
            return time.perf_counter() - started

    def raw_single(self, samples: int) -> list[float]:
        timings = []
        with psycopg.connect(**self.conninfo) as conn:
            conn.execute(
                f'CREATE TABLE "{self.raw_schema}".one (id bigserial PRIMARY KEY, state bytea)'
            )
            conn.commit()
            for _ in range(samples):
                started = time.perf_counter()
                conn.execute(
                    f'INSERT INTO "{self.raw_schema}".one (state) VALUES (%s)', (b"x" * 400,)
                )
                conn.commit()
                timings.append(time.perf_counter() - started)
        return timings

    def close(self) -> None:
        with psycopg.connect(**self.conninfo, autocommit=True) as conn:
            for schema in self.schemas:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


Backend = SQLiteBackend | PostgresBackend


def build(url: str) -> Services:
    return build_services(url, load_frameworks(), today=lambda: TODAY)


def build_ledger(backend: Backend, label: str, persistence_module: str | None) -> JourneyLedger:
    """A ledger in a fresh store, on another persistence module if given (the same tables),
    without read models: the library's plain recorder could not write their rows in its
    transactions, so the chain's cost is compared on the events alone."""
    storage = parse_database_url(backend.url(label))
    env = dict(storage.env)
    if persistence_module is None:
        ledger = JourneyLedger(env, load_frameworks(), lambda: TODAY)
        ledger.create_schema()
    else:
        env["PERSISTENCE_MODULE"] = persistence_module
        ledger = ChainlessLedgerForMeasuring(env, load_frameworks(), lambda: TODAY)
    return ledger


def bulk_import(
    ledger: JourneyLedger, pending: list[PendingCommand], batch: int
) -> tuple[float, int]:
    started, events = time.perf_counter(), 0
    for i in range(0, len(pending), batch):
        events += ledger.execute(pending[i : i + batch], actor="benchmark")
    return time.perf_counter() - started, events


def single_event_latencies(
    ledger: JourneyLedger, read_model: ReadModel | None, samples: int
) -> list[float]:
    return [record_one(ledger, read_model, i) for i in range(samples)]


def record_one(ledger: JourneyLedger, read_model: ReadModel | None, i: int) -> float:
    """Parse a form's values, record one progress update (its read models' rows written in the
    same transaction), and check the read models are live, as a query does."""
    raw = {
        "type": "ActionProgressUpdated",
        "authority": "authority-0000",
        "id": f"act-{i % 60}",
        "date": "2026-11-20",
        "rag": "amber",
        "narrative": f"Web form update {i}",
        "source": "web form",
    }
    started = time.perf_counter()
    # A form's submission id is its idempotency key, as the web app will use it.
    ledger.execute([PendingCommand(parse_command(raw), f"form-{i}-{time.time_ns()}")], actor="web")
    if read_model is not None:
        read_model.catch_up()
    return time.perf_counter() - started


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def target(backend: Backend, text: str) -> str:
    return f"   (target {text})" if backend.kind == "sqlite" else ""


def run(backend: Backend, args: argparse.Namespace) -> None:
    print(f"generating {args.authorities} authorities' journeys...")
    pending = commands(args.authorities)

    services = build(backend.url("chained"))
    seconds, events = bulk_import(services.ledger, pending, args.batch)
    state_size = int(
        statistics.mean(
            len(r.state) for _, r in zip(range(2000), services.ledger.stored_rows(), strict=False)
        )
    )
    raw = backend.raw_insert(events, state_size, args.batch)
    print(f"\nbulk import ({backend.name}, {args.batch} commands a transaction, hash chain on)")
    print(
        f"  ledger : {events:,} events in {seconds:.2f} s = {events / seconds:,.0f} events/s{target(backend, '>= 20,000')}"
    )
    print(
        f"  raw    : {events:,} rows in {raw:.2f} s = {events / raw:,.0f} rows/s ({backend.client} executemany, {state_size} B rows)"
    )
    print(f"  ratio  : ledger takes {seconds / raw:.1f}x the raw insert time")

    started = time.perf_counter()
    services.read_model.rebuild()
    rebuild = time.perf_counter() - started
    raw_read = backend.raw_read(services)
    print("\nfull rebuild of every projection")
    print(
        f"  ledger : {events:,} events in {rebuild:.2f} s = {events / rebuild:,.0f} events/s{target(backend, '>= 40,000')}"
    )
    print(
        f"  raw    : read + json.loads every row in {raw_read:.2f} s = {events / raw_read:,.0f} rows/s"
    )
    print(f"  ratio  : rebuild takes {rebuild / raw_read:.1f}x the raw read time")

    latencies = single_event_latencies(services.ledger, services.read_model, args.samples)
    raw_single = backend.raw_single(args.samples)
    print(
        f"\none event recorded as the web form does it (parse, record, update read models), {events:,} events in store"
    )
    print(
        f"  ledger : p50 {statistics.median(latencies) * 1000:.2f} ms, p95 {p95(latencies) * 1000:.2f} ms{target(backend, 'p95 < 20 ms')}"
    )
    print(
        f"  raw    : p50 {statistics.median(raw_single) * 1000:.2f} ms, p95 {p95(raw_single) * 1000:.2f} ms (one INSERT + COMMIT)"
    )
    print(f"  ratio  : p95 {p95(latencies) / p95(raw_single):.1f}x raw")
    services.close()

    if args.compare_chain:
        compare_chain(backend, pending, args)


def compare_chain(
    backend: Backend, pending: list[PendingCommand], args: argparse.Namespace
) -> None:
    """Bulk import into fresh stores with the chain on and without it, alternating, `--rounds`
    times, and compare medians: on a busy machine one run of each can differ by more than the
    chain costs, and whichever runs first or last would otherwise decide the comparison. Then
    single-event latency on the first round's stores (all the same size), taking turns too."""
    variants: list[tuple[str, str | None]] = [
        ("hash chain on (the ledger's recorder)", None),
        *UNCHAINED[backend.kind],
    ]
    rates: dict[str, list[float]] = {what: [] for what, _ in variants}
    kept: dict[str, JourneyLedger] = {}
    for round_number in range(args.rounds):
        for number, (what, module) in enumerate(variants):
            ledger = build_ledger(backend, f"compare{round_number}_{number}", module)
            seconds, events = bulk_import(ledger, pending, args.batch)
            rates[what].append(events / seconds)
            if round_number == 0:
                kept[what] = ledger
            else:
                ledger.close()
    # One event on each store in turn, so a busy moment falls on all of them alike.
    timings: dict[str, list[float]] = {what: [] for what in kept}
    for i in range(args.samples):
        for what, ledger in kept.items():
            timings[what].append(record_one(ledger, None, i))
    latencies = {what: p95(values) for what, values in timings.items()}
    for ledger in kept.values():
        ledger.close()

    chained = variants[0][0]
    chained_rate = statistics.median(rates[chained])
    print(
        f"\nthe hash chain's cost ({backend.name}): {args.rounds} imports of {len(pending):,} "
        "commands into fresh stores for each, alternating; medians"
    )
    for what, _ in variants:
        print(f"  {what}")
        print(
            f"    import : median {statistics.median(rates[what]):,.0f} events/s "
            f"(runs: {', '.join(f'{r:,.0f}' for r in rates[what])})"
        )
        print(f"    single : p95 {latencies[what] * 1000:.2f} ms")
        if what != chained:
            print(
                f"    chain on is {chained_rate / statistics.median(rates[what]) * 100:.0f}% of "
                f"this import rate and {latencies[chained] / latencies[what] * 100:.0f}% of "
                "this p95 latency"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--authorities", type=int, default=120, help="~860 events each")
    parser.add_argument("--batch", type=int, default=5000, help="commands per transaction")
    parser.add_argument("--samples", type=int, default=300, help="single-event samples")
    parser.add_argument("--compare-chain", action="store_true")
    parser.add_argument(
        "--rounds", type=int, default=3, help="imports of each kind with --compare-chain"
    )
    parser.add_argument(
        "--database",
        default="sqlite",
        help="'sqlite' (default: files in a temporary folder) or a postgresql:// URL",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        backend: Backend = (
            SQLiteBackend(Path(tmp))
            if args.database == "sqlite"
            else PostgresBackend(args.database)
        )
        try:
            run(backend, args)
        finally:
            backend.close()


if __name__ == "__main__":
    main()
