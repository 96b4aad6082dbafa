"""How long the weekly digests of 150 authorities take to build and render, in all four formats.

Builds a synthetic ledger (about 75 events an authority, through `ledger.execute` in one batch of
commands an authority), brings the read models up to date, then times compiling every
authority's digest for one week and rendering it as text, HTML, Slack blocks and a Teams card.
Two baselines are measured in the same run: reading the whole event log once, and rendering the
text and HTML templates of one ready-made digest as many times as there are authorities.

    .venv/bin/python benchmarks/digest_build.py [--authorities 150] [--database URL]

Target: under 10 seconds for the 150 digests. Uses a temporary SQLite file unless told otherwise.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from config.frameworks import load_frameworks
from entrypoints.bootstrap import Services, build_services
from ledger.application.parsing import command_id_of, parse_command
from ledger.application.service import PendingCommand
from notifier.changes import build_digest
from notifier.periods import DigestPeriod
from notifier.rendering import DigestRenderer, template_environment

WEEK = DigestPeriod(date(2018, 9, 10), date(2018, 9, 16))
ZONE = ZoneInfo("Europe/London")
AREAS: tuple[str, ...] = ("overall_effectiveness", "help_and_protection", "looked_after")
AREAS += ("adoption", "care_leavers", "leadership")
T = TypeVar("T")


def _day(d: date) -> str:
    return d.isoformat()


def journey(slug: str, n: int) -> list[dict[str, Any]]:
    """About 75 command lines for one authority, 15 or so of them dated in the week."""

    def line(event: str, ref: str, **fields: Any) -> dict[str, Any]:
        return {"type": event, "authority": slug, "id": ref, "source": "benchmark", **fields}

    grades = ["inadequate", "requires_improvement", "good"]
    lines = [
        {"type": "AuthorityRegistered", "id": slug, "name": f"Authority {n}", "source": "bench"},
        line(
            "InspectionRecorded",
            "sif-2015",
            framework="sif-2013",
            kind="single_inspection",
            published="2015-11-27",
            grades=dict.fromkeys(AREAS, grades[n % 2]),
        ),
    ]
    lines += [
        line("RecommendationIssued", f"rec-{i}", origin="sif-2015", text=f"Improve {i}.")
        for i in range(10)
    ]
    start = date(2016, 1, 4)
    for i in range(10):
        lines.append(
            line(
                "ActionPlanned",
                f"act-{i}",
                date=_day(start),
                title=f"Action {i} of the improvement plan",
                owner="Head of service",
                due_date=_day(WEEK.start + timedelta(days=3 * i - 9)),
                answers=[f"rec-{i}"],
            )
        )
        for k in range(3):
            rag = ["green", "amber", "red"][(i + k + n) % 3]
            updated = start + timedelta(days=200 * (k + 1))
            lines.append(
                line(
                    "ActionProgressUpdated",
                    f"act-{i}",
                    date=_day(updated),
                    rag=rag,
                    narrative=f"Update {k} on action {i}: progress & risks <reviewed>.",
                )
            )
    for ref, better in (("caseloads", False), ("rhi", True), ("cla", None)):
        lines.append(
            line(
                "IndicatorDefined",
                ref,
                name=f"Indicator {ref}",
                unit="count",
                higher_is_better=better,
            )
        )
        for month in range(4):
            end = date(2018, 5 + month, 1) - timedelta(days=1)
            lines.append(
                line(
                    "IndicatorReadingRecorded",
                    ref,
                    period_end=_day(end),
                    value=str(20 + (month * 7 + n) % 9),
                )
            )
    # The week itself.
    lines += [
        line(
            "InspectionRecorded",
            "sif-2018",
            framework="sif-2013",
            kind="re_inspection",
            published="2018-09-14",
            grades=dict.fromkeys(AREAS, grades[(n + 1) % 3]),
        ),
        line(
            "DecisionRecorded",
            "cabinet-2018-09",
            body="Cabinet",
            date="2018-09-12",
            title="Investment in frontline social work",
            summary="Twelve posts.",
            resolutions=["Approve twelve posts"],
            investment=f"{1000000 + n}.50",
        ),
        line(
            "InterventionRecorded",
            "notice-2018",
            kind="improvement_notice",
            date="2018-09-13",
            title="Improvement notice",
            by="Department for Education",
        ),
        line(
            "MonitoringVisitRecorded",
            "mv-7",
            number=7,
            first_day="2018-09-04",
            last_day="2018-09-05",
            letter_date="2018-09-11",
            progress_statement="The local authority is making steady progress.",
            findings=[{"kind": "strength", "text": "Leaders know their services."}],
        ),
        line(
            "RecommendationClosed",
            "rec-1",
            date="2018-09-13",
            evidence="Audited",
            decided_by="Improvement board",
        ),
        line(
            "Corrected",
            "sif-2015",
            record="inspection",
            reason="Link added",
            date="2018-09-15",
            fields={"report_url": "https://reports.example.org/x.pdf"},
        ),
    ]
    for i in range(5):
        lines.append(
            line(
                "ActionProgressUpdated",
                f"act-{i}",
                date="2018-09-12",
                rag="red",
                narrative="Caseloads rose again this week.",
            )
        )
        lines.append(
            line(
                "ActionDueDateRevised",
                f"act-{i + 5}",
                date="2018-09-11",
                new_due_date="2018-12-31",
                reason="Staff redeployed",
                approver="Improvement board",
            )
        )
    lines.append(line("IndicatorReadingRecorded", "rhi", period_end="2018-09-15", value="12"))
    return lines


def timed(work: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def load(services: Services, authorities: int) -> int:
    events = 0
    for n in range(authorities):
        lines = journey(f"authority-{n:03d}", n)
        commands = [PendingCommand(parse_command(x), command_id_of(x)) for x in lines]
        events += services.ledger.execute(commands, actor="benchmark")
    return events


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--authorities", type=int, default=150)
    parser.add_argument("--database", help="default: a temporary SQLite file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database or f"sqlite:///{tmp}/bench.db"
        services = build_services(url, load_frameworks(), today=lambda: date(2018, 9, 17))
        try:
            return run(services, args.authorities)
        finally:
            services.close()


def run(services: Services, authorities: int) -> int:
    setup, events = timed(lambda: load(services, authorities))
    folded, _ = timed(services.read_model.catch_up)
    print(
        f"setup: {authorities} authorities, {events} events recorded in {setup:.2f} s; "
        f"read models built in {folded:.2f} s"
    )
    slugs = [f"authority-{n:03d}" for n in range(authorities)]
    renderer = DigestRenderer(template_environment(), ZONE, "https://ledger.example.org")
    now = datetime(2018, 9, 17, 8, 0, tzinfo=UTC)
    fingerprint = lambda: str(services.ledger.fingerprint())  # noqa: E731

    def read_log() -> int:
        return sum(1 for _ in services.ledger.read_log())

    read_once, read_count = timed(read_log)
    sample = build_digest(
        services.views, slugs[0], WEEK, now=now, zone=ZONE, fingerprint=fingerprint
    )
    layout = renderer.layout(sample)

    def static_templates() -> None:
        for _ in slugs:
            renderer.text(layout)
            renderer.html(layout)

    templates, _ = timed(static_templates)

    build_seconds = 0.0
    render_seconds = 0.0
    sizes: list[int] = []

    def each() -> Iterator[None]:
        nonlocal build_seconds, render_seconds
        for slug in slugs:
            spent, digest = timed(
                lambda s=slug: build_digest(  # type: ignore[misc]
                    services.views, s, WEEK, now=now, zone=ZONE, fingerprint=fingerprint
                )
            )
            build_seconds += spent
            spent, rendered = timed(lambda d=digest: renderer.render(d))  # type: ignore[misc]
            render_seconds += spent
            assert digest.judgements, "every synthetic week has a new inspection"
            assert rendered.slack["blocks"]
            sizes.append(len(rendered.text) + len(rendered.html))
            yield None

    total, _ = timed(lambda: list(each()))
    per = total / len(slugs)
    print(f"baseline: read the whole log once ({read_count} events): {read_once:.3f} s")
    print(f"baseline: text and HTML templates of one digest x{len(slugs)}: {templates:.3f} s")
    print(
        f"digests: {len(slugs)} built and rendered (text, HTML, Slack, Teams) in {total:.2f} s "
        f"= {per * 1000:.1f} ms each (build {build_seconds:.2f} s, render {render_seconds:.2f} s)"
    )
    print(
        f"ratio: {total / read_once:.1f}x reading the log once; "
        f"{total / templates:.1f}x rendering the static templates"
    )
    print(f"average text+HTML size {sum(sizes) // len(sizes):,} characters")
    target = 10.0
    print(f"target: under {target:.0f} s for 150 digests: {'met' if total < target else 'MISSED'}")
    return 0 if total < target else 1


if __name__ == "__main__":
    sys.exit(main())
