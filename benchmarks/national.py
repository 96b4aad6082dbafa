"""The national benchmark: 150 authorities x 10 years (about a million events), each figure beside
a raw baseline measured in the same run.

Stages grow one store to --sizes events (default 10,000, 100,000 and the whole national file).
The first authority (the "probe") is imported whole in the first stage, so its history is the
same at every size: its queries time the read side at a fixed answer while the log grows.

At each size:
- import of the stage's lines through `ledger import` in a process of its own (parsing
  included; peak memory of that process), beside raw `executemany` of rows of the same size;
- one event recorded as the web form records it (parse, check, record, rows written), p95,
  beside one raw INSERT + COMMIT;
- the probe's actions, judgements and timeline queried plain, as of a day, and as known at an
  instant (p50, p95), beside a raw read of its rows;
- the dashboard and the audit-mode dashboard through the web app (signed in), p95, beside a
  trivial page of the same app;
- incremental verification after one new event, beside a raw read + sha256 of one row.
At the largest size also: `ledger rebuild` and full `ledger verify` in processes of their own
(peak memory), beside a raw read + json.loads and a raw read + sha256 of every row; the 150
authorities' digests for one week; and, on PostgreSQL, 12 recorders in processes of their own
at once (p95, errors, nothing lost).

    python benchmarks/national.py [--authorities 150] [--sizes 10000,100000,0] [--database URL]
                                  [--keep DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import secrets
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from national_journeys import journey, slug

from config.loading import load_configuration
from entrypoints.bootstrap import Services, build_web_app, services_from
from ledger.application.parsing import command_id_of, parse_command
from ledger.application.service import PendingCommand
from notifier.changes import build_digest
from notifier.periods import DigestPeriod
from web.accounts import Role

ROOT = Path(__file__).resolve().parent.parent
PROBE = 0
WEEK = DigestPeriod(date(2024, 6, 10), date(2024, 6, 16))
PASSWORD = "national-benchmark-password"
Row = dict[str, Any]


# -- timing -------------------------------------------------------------------------------------


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def timed(work: Callable[[], Any], repeats: int) -> list[float]:
    found = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        found.append(time.perf_counter() - start)
    return found


def report(what: str, ours: list[float], raw: list[float] | None, raw_what: str = "") -> None:
    line = f"  {what:<44} p50 {ms(p(ours, 0.5)):>11}  p95 {ms(p(ours, 0.95)):>11}"
    if raw:
        ratio = p(ours, 0.95) / max(p(raw, 0.95), 1e-9)
        line += f"   raw {raw_what} p95 {ms(p(raw, 0.95))} ({ratio:.1f}x)"
    print(line, flush=True)


# -- the stores ---------------------------------------------------------------------------------


class Store:
    """A fresh store for the run: an SQLite file, or a new PostgreSQL schema."""

    def __init__(self, database: str | None, folder: Path) -> None:
        self.folder = folder
        self.kind = "postgresql" if database else "sqlite"
        if database:
            self.schema = f"bench_{uuid.uuid4().hex[:10]}"
            self.server = database
            with psycopg.connect(database, autocommit=True) as conn:
                conn.execute(f'CREATE SCHEMA "{self.schema}"')
            self.url = f"{database}{'&' if '?' in database else '?'}schema={self.schema}"
        else:
            self.url = f"sqlite:///{folder}/national.db"

    def drop(self) -> None:
        if self.kind == "postgresql":
            with psycopg.connect(self.server, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{self.schema}" CASCADE')


def ledger_command(store: Store, *args: str) -> tuple[float, int]:
    """Run `ledger ARGS` on the store in a process of its own: wall seconds, and that process's
    peak resident memory in KiB (from wait4)."""
    with tempfile.TemporaryFile("w+") as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "entrypoints", "--database", store.url, *args],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env={**os.environ, "LEDGER_ACTOR": "benchmark"},
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"ledger {' '.join(args)} failed: {errors.read()[-2000:]}")
    return elapsed, usage.ru_maxrss


def national_lines(authorities: int) -> Iterator[str]:
    for n in range(authorities):
        for line in journey(n):
            yield json.dumps(line) + "\n"


# -- raw baselines ------------------------------------------------------------------------------


def raw_insert_rate(folder: Path, rows: int, size: int) -> float:
    path = folder / f"raw-{uuid.uuid4().hex}.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, v INTEGER, topic TEXT, state BLOB)"
    )
    payload = secrets.token_bytes(size)
    start = time.perf_counter()
    for first in range(0, rows, 5000):
        batch = [
            (uuid.uuid4().hex, i, "topic", payload) for i in range(first, min(rows, first + 5000))
        ]
        conn.executemany("INSERT INTO t (a, v, topic, state) VALUES (?, ?, ?, ?)", batch)
        conn.commit()
    elapsed = time.perf_counter() - start
    conn.close()
    path.unlink()
    return rows / elapsed


def raw_single_inserts(folder: Path, count: int) -> list[float]:
    path = folder / f"raw-{uuid.uuid4().hex}.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, state BLOB)")
    payload = secrets.token_bytes(400)

    def one() -> None:
        conn.execute("BEGIN")
        conn.execute("INSERT INTO t (state) VALUES (?)", (payload,))
        conn.execute("COMMIT")

    found = timed(one, count)
    conn.close()
    path.unlink()
    return found


def raw_read(services: Services, decode: bool, digest: bool) -> tuple[float, int]:
    """Seconds to read every stored row (and json.loads or sha256 each): the raw baselines of
    rebuild and full verification."""
    count = 0
    start = time.perf_counter()
    for _, _, _, _, state in services.ledger.read_stored(0, batch_size=10_000):
        if decode:
            json.loads(state)
        if digest:
            hashlib.sha256(state).digest()
        count += 1
    return time.perf_counter() - start, count


# -- single events and queries ------------------------------------------------------------------


BENCH_ACTION = {
    "type": "ActionPlanned",
    "authority": slug(PROBE),
    "id": "benchmark-action",
    "date": "2026-11-01",
    "title": "An action the benchmark updates",
    "owner": "Benchmark",
    "due_date": "2027-12-31",
    "answers": ["ilacs-2023-rec-0"],
    "source": "benchmark",
}


def plan_bench_actions(services: Services, authorities: int) -> None:
    """An open action per authority for the benchmark's updates (recording it again is a no-op)."""
    lines = [{**BENCH_ACTION, "authority": slug(n)} for n in range(authorities)]
    services.ledger.execute(
        [PendingCommand(parse_command(r), command_id_of(r)) for r in lines], "bench"
    )


def record_one(services: Services, i: int) -> None:
    raw = {
        "type": "ActionProgressUpdated",
        "authority": slug(PROBE),
        "id": "benchmark-action",
        "date": "2026-11-30",
        "rag": ("red", "amber", "green")[i % 3],
        "narrative": f"Benchmark update {i} {uuid.uuid4().hex}",
        "source": "benchmark",
    }
    services.ledger.execute([PendingCommand(parse_command(raw), command_id_of(raw))], "bench")


def query_latencies(services: Services, known_at: datetime, repeats: int) -> None:
    views, a = services.views, slug(PROBE)
    as_of = date(2019, 1, 1)
    for name, call in (
        ("actions", lambda **kw: views.actions(a, **kw)),
        ("judgements", lambda **kw: views.judgements(a, **kw)),
        ("timeline", lambda **kw: views.timeline(a, **kw)),
    ):
        plain = timed(lambda call=call: call(), repeats)
        dated = timed(lambda call=call: call(as_of=as_of), repeats)
        known = timed(lambda call=call: call(known_at=known_at), repeats)
        report(f"{name}: plain", plain, None)
        report(f"{name}: as of {as_of}", dated, None)
        report(f"{name}: as known at", known, plain, "plain")


def raw_rows_read(services: Services, repeats: int) -> list[float]:
    model = services.read_model
    query = model.dialect.sql("SELECT body FROM {rows} WHERE authority = ? AND recorded_to IS NULL")
    return timed(
        lambda: [json.loads(b) for (b,) in model.database.read(query, (slug(PROBE),))], repeats
    )


def signed_in_client(services: Services, configuration: Any) -> Any:
    app = build_web_app(configuration.settings, services)
    if not any(account.name == "bench" for account in services.accounts.list()):
        services.accounts.add("bench", Role.ADMIN, PASSWORD)
    client = app.test_client()
    page = client.get("/sign-in")
    token = _csrf(page.get_data(as_text=True))
    response = client.post(
        "/sign-in", data={"name": "bench", "password": PASSWORD, "csrf_token": token}
    )
    if response.status_code not in (302, 303):
        raise SystemExit(f"benchmark sign-in failed: {response.status_code}")
    return client


def _csrf(html: str) -> str:
    marker = 'name="csrf_token" type="hidden" value="'
    if marker not in html:
        return ""
    return html.split(marker, 1)[1].split('"', 1)[0]


def page_latencies(client: Any, known_at: datetime, repeats: int) -> None:
    a = slug(PROBE)
    known = known_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    trivial = timed(lambda: client.get("/accessibility"), repeats)
    dashboard = timed(lambda: _ok(client.get(f"/authorities/{a}")), repeats)
    audit = timed(lambda: _ok(client.get(f"/authorities/{a}?known_at={known}")), repeats)
    report("dashboard", dashboard, trivial, "trivial page")
    report("dashboard, audit mode (as known at)", audit, trivial, "trivial page")
    audit_page = timed(lambda: _ok(client.get("/audit")), max(repeats // 4, 5))
    report("audit page (fingerprint, verification)", audit_page, trivial, "trivial page")


def _ok(response: Any) -> None:
    if response.status_code != 200:
        raise SystemExit(f"{response.request.path}: HTTP {response.status_code}")


# -- concurrent recorders (PostgreSQL) ----------------------------------------------------------


def _recorder(url: str, worker: int, count: int, results: Any) -> None:
    configuration = load_configuration()
    services = services_from(configuration.settings, configuration.frameworks, url)
    latencies, errors = [], 0
    for i in range(count):
        raw = {
            "type": "ActionProgressUpdated",
            "authority": slug(1 + worker),
            "id": "benchmark-action",
            "date": "2026-11-30",
            "rag": "amber",
            "narrative": f"Recorder {worker} update {i}",
            "source": "benchmark",
        }
        start = time.perf_counter()
        try:
            services.ledger.execute(
                [PendingCommand(parse_command(raw), command_id_of(raw))], f"recorder-{worker}"
            )
        except Exception:  # noqa: BLE001 - counted and reported
            errors += 1
        latencies.append(time.perf_counter() - start)
    services.close()
    results.put((latencies, errors))


def concurrent_recorders(store: Store, services: Services, recorders: int, each: int) -> None:
    before = services.ledger.last_position()
    results: Any = multiprocessing.Queue()
    processes = [
        multiprocessing.Process(target=_recorder, args=(store.url, w, each, results))
        for w in range(recorders)
    ]
    for process in processes:
        process.start()
    gathered = [results.get() for _ in processes]
    for process in processes:
        process.join()
    latencies = [value for found, _ in gathered for value in found]
    errors = sum(e for _, e in gathered)
    recorded = services.ledger.last_position() - before
    services.views.catch_up()
    lag = services.read_model.lag()
    report(f"{recorders} recorders at once, one event each call", latencies, None)
    print(
        f"    events recorded {recorded} of {recorders * each}, errors {errors}, "
        f"read models behind by {lag}, verify: {services.ledger.verify().intact}",
        flush=True,
    )


# -- the run ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--authorities", type=int, default=150)
    parser.add_argument("--sizes", default="10000,100000,0", help="event counts; 0: everything")
    parser.add_argument("--database", help="postgresql://... (a new schema in it); default SQLite")
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument("--keep", type=Path, help="keep the store and the import file here")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="national-"))
    folder.mkdir(parents=True, exist_ok=True)
    store = Store(args.database, folder)
    configuration = load_configuration()
    try:
        run(args, store, folder, configuration)
    finally:
        if not args.keep:
            store.drop()


def run(args: argparse.Namespace, store: Store, folder: Path, configuration: Any) -> None:
    lines_file = folder / "national.jsonl"
    with lines_file.open("w") as out:
        total = sum(out.write(line) > 0 for line in national_lines(args.authorities))
    sizes = [int(s) or total for s in args.sizes.split(",")]
    print(
        f"national benchmark on {store.kind}: {args.authorities} authorities, {total:,} lines "
        f"({lines_file.stat().st_size / 1e6:.0f} MB); stages at {', '.join(f'{s:,}' for s in sizes)} "
        "events",
        flush=True,
    )
    subprocess.run(
        [sys.executable, "-m", "entrypoints", "--database", store.url, "init"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    done = 0
    with lines_file.open() as source:
        for size in sizes:
            stage = folder / f"stage-{size}.jsonl"
            count = 0
            with stage.open("w") as out:
                while done + count < size:
                    line = source.readline()
                    if not line:
                        break
                    out.write(line)
                    count += 1
            print(f"\n== {done + count:,} events", flush=True)
            if count:
                seconds, peak = ledger_command(store, "import", str(stage))
                raw = raw_insert_rate(folder, count, 450) if store.kind == "sqlite" else None
                print(
                    f"  import {count:,} lines (parsing included): {count / seconds:,.0f} events/s, "
                    f"peak {peak / 1024:.0f} MB"
                    + (
                        f"   raw executemany {raw:,.0f} rows/s ({raw / (count / seconds):.1f}x)"
                        if raw
                        else ""
                    ),
                    flush=True,
                )
            done += count
            stage.unlink()
            measure(args, store, folder, configuration, final=size == sizes[-1])


def measure(
    args: argparse.Namespace, store: Store, folder: Path, configuration: Any, *, final: bool
) -> None:
    services = services_from(configuration.settings, configuration.frameworks, store.url)
    try:
        present = len(services.views.authorities())
        plan_bench_actions(services, min(present, 13))
        known_at = datetime.now(UTC)
        time.sleep(0.01)
        counter = iter(range(10**9))
        single = timed(lambda: record_one(services, next(counter)), args.repeats)
        raw_single = raw_single_inserts(folder, args.repeats) if store.kind == "sqlite" else None
        report("one event recorded (form's path)", single, raw_single, "INSERT+COMMIT")
        raw_rows = raw_rows_read(services, args.repeats)
        report("raw read of the probe's current rows", raw_rows, None)
        query_latencies(services, known_at, args.repeats)
        client = signed_in_client(services, configuration)
        page_latencies(client, known_at, args.repeats)
        record_one(services, 10**9)
        incremental = timed(lambda: services.ledger.verify(), 5)
        one_row = timed(lambda: hashlib.sha256(b"x" * 450).digest(), 5)
        report("verify after one new event (incremental)", incremental, one_row, "sha256 of a row")
        if final:
            final_figures(store, services)
    finally:
        services.close()


def final_figures(store: Store, services: Services) -> None:
    raw_decode, rows = raw_read(services, decode=True, digest=False)
    seconds, peak = ledger_command(store, "rebuild")
    print(
        f"  rebuild {rows:,} events: {rows / seconds:,.0f} events/s, peak {peak / 1024:.0f} MB"
        f"   raw read + json.loads {rows / raw_decode:,.0f} rows/s "
        f"(rebuild = {raw_decode / seconds:.2f}x the raw rate)",
        flush=True,
    )
    raw_digest, _ = raw_read(services, decode=False, digest=True)
    seconds, peak = ledger_command(store, "verify")
    print(
        f"  verify --full: {seconds:.1f} s, peak {peak / 1024:.0f} MB"
        f"   raw read + sha256 {raw_digest:.1f} s ({seconds / raw_digest:.1f}x)",
        flush=True,
    )
    start = time.perf_counter()
    authorities = [str(a["slug"]) for a in services.views.authorities()]
    for authority in authorities:
        build_digest(
            services.views,
            authority,
            WEEK,
            now=datetime(2024, 6, 17, 9, tzinfo=UTC),
            zone=services.timezone,
            fingerprint=lambda: str(services.ledger.fingerprint()),
        )
    print(
        f"  {len(authorities)} digests of one week: {time.perf_counter() - start:.1f} s",
        flush=True,
    )
    if store.kind == "postgresql":
        concurrent_recorders(store, services, 12, 25)


if __name__ == "__main__":
    main()
