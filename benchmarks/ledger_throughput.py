"""Ledger throughput: bulk import, full rebuild, and one event recorded as the web form does it.

Each figure is printed beside a raw baseline measured in the same run on the same machine:
- bulk import vs plain sqlite3 `executemany` of rows of the same size, one transaction per batch;
- rebuild vs reading every stored row and `json.loads`-ing its state;
- one event vs one plain sqlite3 INSERT + COMMIT.
With --compare-chain it also runs import and single-event latency with the library's plain SQLite
recorder (no hash chain), to show what sealing costs.

    python benchmarks/ledger_throughput.py [--authorities 120] [--compare-chain] [--database URL]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from config.frameworks import load_frameworks
from ledger.application import JourneyLedger, PendingCommand
from ledger.bootstrap import Services, build_services
from ledger.command_parsing import command_id_of, parse_command
from ledger.storage import parse_database_url
from projections.runner import ProjectionRunner
from projections.store import SQLiteDocumentStore
from projections.views import ALL_PROJECTIONS

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


def build(url: str) -> Services:
    return build_services(url, load_frameworks(), today=lambda: TODAY)


def build_unchained(url: str) -> tuple[JourneyLedger, ProjectionRunner]:
    """The same ledger on the library's own SQLite recorder: the same tables, no seals."""
    storage = parse_database_url(url)
    env = dict(storage.env, PERSISTENCE_MODULE="eventsourcing.sqlite")
    ledger = JourneyLedger(env, load_frameworks(), lambda: TODAY)
    store = SQLiteDocumentStore(env["SQLITE_DBNAME"])
    return ledger, ProjectionRunner(ledger, store, ALL_PROJECTIONS)


def bulk_import(
    ledger: JourneyLedger, pending: list[PendingCommand], batch: int
) -> tuple[float, int]:
    started, events = time.perf_counter(), 0
    for i in range(0, len(pending), batch):
        events += ledger.execute(pending[i : i + batch], actor="benchmark")
    return time.perf_counter() - started, events


def raw_insert_baseline(path: Path, rows: int, state_size: int, batch: int) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (id TEXT, v INTEGER, topic TEXT, state BLOB, PRIMARY KEY (id, v))")
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


def raw_read_baseline(path: str) -> float:
    conn = sqlite3.connect(path)
    started = time.perf_counter()
    for (state,) in conn.execute("SELECT state FROM stored_events ORDER BY rowid"):
        json.loads(state)
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def single_event_latencies(
    ledger: JourneyLedger, runner: ProjectionRunner, samples: int
) -> list[float]:
    """Parse a form's values, record one progress update, bring the read models up to date."""
    timings = []
    for i in range(samples):
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
        ledger.execute(
            [PendingCommand(parse_command(raw), f"form-{i}-{time.time_ns()}")], actor="web"
        )
        runner.catch_up()
        timings.append(time.perf_counter() - started)
    return timings


def raw_single_insert_latencies(path: Path, samples: int) -> list[float]:
    conn = sqlite3.connect(path, isolation_level=None)
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


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--authorities", type=int, default=120, help="~860 events each")
    parser.add_argument("--batch", type=int, default=5000, help="commands per transaction")
    parser.add_argument("--samples", type=int, default=300, help="single-event samples")
    parser.add_argument("--compare-chain", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"generating {args.authorities} authorities' journeys...")
        pending = commands(args.authorities)

        services = build(f"sqlite:///{folder}/chained.db")
        seconds, events = bulk_import(services.ledger, pending, args.batch)
        state_size = int(
            statistics.mean(
                len(r.state)
                for _, r in zip(range(2000), services.ledger.stored_rows(), strict=False)
            )
        )
        raw = raw_insert_baseline(folder / "raw.db", events, state_size, args.batch)
        print(f"\nbulk import (SQLite, {args.batch} commands a transaction, hash chain on)")
        print(
            f"  ledger : {events:,} events in {seconds:.2f} s = {events / seconds:,.0f} events/s   (target >= 20,000)"
        )
        print(
            f"  raw    : {events:,} rows in {raw:.2f} s = {events / raw:,.0f} rows/s (sqlite3 executemany, {state_size} B rows)"
        )
        print(f"  ratio  : ledger takes {seconds / raw:.1f}x the raw insert time")

        started = time.perf_counter()
        services.runner.rebuild()
        rebuild = time.perf_counter() - started
        raw_read = raw_read_baseline(services.storage.env["SQLITE_DBNAME"])
        print("\nfull rebuild of every projection")
        print(
            f"  ledger : {events:,} events in {rebuild:.2f} s = {events / rebuild:,.0f} events/s   (target >= 40,000)"
        )
        print(
            f"  raw    : read + json.loads every row in {raw_read:.2f} s = {events / raw_read:,.0f} rows/s"
        )
        print(f"  ratio  : rebuild takes {rebuild / raw_read:.1f}x the raw read time")

        latencies = single_event_latencies(services.ledger, services.runner, args.samples)
        raw_single = raw_single_insert_latencies(folder / "raw.db", args.samples)
        print(
            f"\none event recorded as the web form does it (parse, record, update read models), {events:,} events in store"
        )
        print(
            f"  ledger : p50 {statistics.median(latencies) * 1000:.2f} ms, p95 {p95(latencies) * 1000:.2f} ms   (target p95 < 20 ms)"
        )
        print(
            f"  raw    : p50 {statistics.median(raw_single) * 1000:.2f} ms, p95 {p95(raw_single) * 1000:.2f} ms (one INSERT + COMMIT)"
        )
        print(f"  ratio  : p95 {p95(latencies) / p95(raw_single):.1f}x raw")
        chained_import, chained_p95 = events / seconds, p95(latencies)
        services.close()

        if args.compare_chain:
            plain, runner = build_unchained(f"sqlite:///{folder}/plain.db")
            seconds, events = bulk_import(plain, pending, args.batch)
            runner.catch_up()
            latencies = single_event_latencies(plain, runner, args.samples)
            print("\nthe same without the hash chain (the library's plain SQLite recorder)")
            print(
                f"  import : {events / seconds:,.0f} events/s; chain on is {chained_import / (events / seconds) * 100:.0f}% of that"
            )
            print(
                f"  single : p95 {p95(latencies) * 1000:.2f} ms; chain on is {chained_p95 / p95(latencies) * 100:.0f}% of that"
            )
            plain.close()


if __name__ == "__main__":
    main()
