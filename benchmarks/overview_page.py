"""The national overview's latency: every authority in England from Ofsted's 2024 edition.

The edition (153 current authorities, 156 registered, 219 inspections) is imported with
`ledger import-ofsted`'s own code into a fresh ledger, with the demo journey beside it. The
overview page (all of England, and one region), its JSON and its CSV are then requested through
the Flask test client, signed in, and their p50/p95 printed beside raw baselines measured in the
same run: a trivial page of the same app (the accessibility statement: sign-in check, layout,
security headers) and the query alone (`JourneyViews.overview`). The page must be served from
the read models: log reads during the timed requests are counted, and there must be none.

    python benchmarks/overview_page.py [--requests 300] [--edition FILE] [--database URL]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from web_pages import p95, page, report, signed_in_client

from config.frameworks import load_frameworks
from config.reorganisations import load_reorganisations
from entrypoints.bootstrap import build_services
from entrypoints.demo import DEMO_JOURNEY
from ledger.application.importing import import_commands
from ledger.application.imports.ofsted import import_ofsted

TARGET_P95_MS = 100.0
EDITION = "ofsted-la-inspection-outcomes-2024.ods"


def find_edition() -> Path | None:
    for folder in Path(__file__).resolve().parents[1:]:
        candidate = folder / "shared" / "data" / EDITION
        if candidate.exists():
            return candidate
    return None


def timed(requests: int, call: Callable[[], Any]) -> list[float]:
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="timed requests per page")
    parser.add_argument("--edition", type=Path, default=find_edition())
    parser.add_argument("--database", help="a database URL (default: a new SQLite file)")
    args = parser.parse_args()
    if args.edition is None:
        parser.error(f"{EDITION} is not in shared/data/ beside the checkout: give --edition")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        services = build_services(
            args.database or f"sqlite:///{folder}/ledger.db", load_frameworks()
        )
        with DEMO_JOURNEY.open(encoding="utf-8") as lines:
            import_commands(services.ledger, lines, actor="demo-loader")
        started = time.perf_counter()
        result = import_ofsted(services.ledger, args.edition, load_reorganisations(), "bench")
        imported = time.perf_counter() - started
        services.read_model.catch_up()
        print(f"{result.summary()}\nimported in {imported * 1000:.0f} ms")
        views = services.views
        count = len(views.overview()["authorities"])

        client = signed_in_client(services, folder)
        pages = {
            f"overview page, England ({count})": lambda: page(client, "/overview"),
            "overview page, London": lambda: page(client, "/overview?region=london"),
            "overview JSON (/api/overview)": lambda: page(client, "/api/overview"),
            "overview CSV": lambda: page(client, "/overview.csv"),
        }
        baselines = {
            "trivial page (accessibility)": lambda: page(client, "/accessibility"),
            "the query alone (views.overview)": lambda: views.overview(),
        }
        for call in [*pages.values(), *baselines.values()]:
            timed(20, call)  # warm up: templates compiled, caches filled

        log_reads = 0
        read_log, plain_events = services.ledger.read_log, services.ledger.plain_events

        def counting(original: Callable[..., Any]) -> Callable[..., Any]:
            def call(*a: Any, **k: Any) -> Any:
                nonlocal log_reads
                log_reads += 1
                return original(*a, **k)

            return call

        services.ledger.read_log = counting(read_log)  # type: ignore[method-assign]
        services.ledger.plain_events = counting(plain_events)  # type: ignore[method-assign]
        # Alternate the pages and the baselines round by round, so both see the same machine.
        results: dict[str, list[float]] = {name: [] for name in [*pages, *baselines]}
        rounds = 10
        for _ in range(rounds):
            for name, call in [*pages.items(), *baselines.items()]:
                results[name] += timed(args.requests // rounds, call)
        services.ledger.read_log = read_log  # type: ignore[method-assign]
        services.ledger.plain_events = plain_events  # type: ignore[method-assign]

        print(
            f"\noverview, {count} authorities, {args.requests} signed-in requests each "
            f"(Flask test client, {services.storage.kind})"
        )
        for name in pages:
            report(name, results[name], TARGET_P95_MS)
        print("raw baselines, same run")
        for name in baselines:
            report(name, results[name])
        england = results[next(iter(pages))]
        trivial = results["trivial page (accessibility)"]
        query = results["the query alone (views.overview)"]
        print(
            f"  ratio                             : England's page p50 is "
            f"{statistics.median(england) / statistics.median(trivial):.1f}x the trivial "
            f"page's, p95 {p95(england) / p95(trivial):.1f}x; the query is "
            f"{statistics.median(query) / statistics.median(england):.0%} of the page (p50)"
        )
        print(f"  event log reads during the timed requests: {log_reads} (no replay)")
        services.close()
        if log_reads:
            raise SystemExit("the overview read the event log: it must come from read models")
        if p95(england) * 1000 >= TARGET_P95_MS:
            raise SystemExit(f"the overview's p95 missed its target of {TARGET_P95_MS:.0f} ms")


if __name__ == "__main__":
    main()
