"""Web page latency: the dashboard and the timeline with ~100,000 events in the store.

The events are ~120 synthetic authorities' journeys (benchmarks/ledger_throughput.py's
`journey()`), recorded through `ledger.execute` in batches, and folded into the read models
once. Pages are then requested through the Flask test client, signed in, many times over
many authorities, and their p50/p95 printed beside two raw baselines measured in the same
run: a trivial page of the same app (the accessibility statement: sign-in check, layout,
security headers) and loading the read-model documents a dashboard reads, straight from the
store. Pages must be served from the read models: the benchmark counts log reads during the
timed requests, and there must be none (no replay).

    python benchmarks/web_pages.py [--authorities 120] [--requests 400]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from ledger_throughput import TODAY, build, bulk_import, commands

from entrypoints.bootstrap import LEDGER_BLUEPRINTS, Services
from web.accounts import DatabaseAccountStore
from web.app import create_app
from web.config import WebConfig

PASSWORD = "benchmark passphrase, long enough"
TARGET_P95_MS = 50.0
DASHBOARD_DOCUMENTS = ("authorities", "judgements", "recommendations", "actions", "timeline")


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def report(name: str, timings: list[float], target: float | None = None) -> None:
    p50_ms, p95_ms = statistics.median(timings) * 1000, p95(timings) * 1000
    verdict = ""
    if target is not None:
        verdict = f"   (target p95 < {target:.0f} ms: {'met' if p95_ms < target else 'MISSED'})"
    print(f"  {name:<34}: p50 {p50_ms:7.2f} ms, p95 {p95_ms:7.2f} ms{verdict}")


def timed(requests: int, slugs: list[str], call: Callable[[str], Any]) -> list[float]:
    timings = []
    for i in range(requests):
        slug = slugs[(i * 7) % len(slugs)]  # spread over the authorities
        started = time.perf_counter()
        call(slug)
        timings.append(time.perf_counter() - started)
    return timings


def page(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"GET {path} answered {response.status_code}")
    response.get_data()


def signed_in_client(services: Services, folder: Path) -> FlaskClient:
    accounts = DatabaseAccountStore(f"sqlite:///{folder}/accounts.db")
    accounts.add("viewer", "viewer", PASSWORD)
    config = WebConfig(
        secret_key="benchmark-secret-key-long-enough",
        session_cookie_secure=False,
        csrf_enabled=False,
    )
    app = create_app(
        config, accounts=accounts, blueprints=[f(services.journey) for f in LEDGER_BLUEPRINTS]
    )
    client = app.test_client()
    signed_in = client.post("/sign-in", data={"name": "viewer", "password": PASSWORD})
    if signed_in.status_code != 303:
        raise SystemExit("could not sign in")
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--authorities", type=int, default=120, help="~860 events each")
    parser.add_argument("--batch", type=int, default=5000, help="commands per transaction")
    parser.add_argument("--requests", type=int, default=400, help="timed requests per page")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"generating {args.authorities} authorities' journeys...")
        pending = commands(args.authorities)
        services = build(f"sqlite:///{folder}/ledger.db")
        seconds, events = bulk_import(services.ledger, pending, args.batch)
        started = time.perf_counter()
        services.read_model.catch_up()
        folded = time.perf_counter() - started
        print(
            f"recorded {events:,} events in {seconds:.1f} s; read models built in {folded:.1f} s "
            f"(today is {TODAY})"
        )

        client = signed_in_client(services, folder)
        slugs = [f"authority-{n:04d}" for n in range(args.authorities)]
        pages = {
            "dashboard": lambda slug: page(client, f"/authorities/{slug}"),
            "timeline (page 1 of ~18)": lambda slug: page(client, f"/authorities/{slug}/timeline"),
            "timeline, filtered, page 3": lambda slug: page(
                client, f"/authorities/{slug}/timeline?kind=action&page=3"
            ),
        }
        baselines = {
            "trivial page (accessibility)": lambda _slug: page(client, "/accessibility"),
            "read the dashboard's rows": lambda slug: services.read_model.documents(
                slug, DASHBOARD_DOCUMENTS, None
            ),
        }
        for call in [*pages.values(), *baselines.values()]:
            timed(20, slugs, call)  # warm up: templates compiled, caches filled

        log_reads = 0
        read_log = services.ledger.read_log

        def counting_read_log(*a: Any, **k: Any) -> Any:
            nonlocal log_reads
            log_reads += 1
            return read_log(*a, **k)

        services.ledger.read_log = counting_read_log  # type: ignore[method-assign]
        results = {name: timed(args.requests, slugs, call) for name, call in pages.items()}
        raw = {name: timed(args.requests, slugs, call) for name, call in baselines.items()}
        services.ledger.read_log = read_log  # type: ignore[method-assign]

        print(
            f"\nweb pages, {events:,} events in store, {args.requests} signed-in requests each "
            "over the authorities (Flask test client, SQLite)"
        )
        for name, timings in results.items():
            report(name, timings, TARGET_P95_MS)
        print("raw baselines, same run")
        for name, timings in raw.items():
            report(name, timings)
        dashboard_p95 = p95(results["dashboard"])
        trivial, documents = (p95(timings) for timings in raw.values())
        print(
            f"  ratio                             : dashboard p95 is "
            f"{dashboard_p95 / trivial:.1f}x the trivial page's, "
            f"{dashboard_p95 / documents:.1f}x loading its documents"
        )
        print(f"  event log reads during the timed page requests: {log_reads} (no replay)")
        services.close()
        if log_reads:
            raise SystemExit("pages read the event log: they must be served from read models")


if __name__ == "__main__":
    main()
