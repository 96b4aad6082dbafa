"""How long a large improvement-plan tracker takes to import, and a board pack to make.

Builds an XLSX tracker of N actions (two sheets, a recommendation merged down each group of
five actions, UK text dates, an update on every row) for an authority with 20
recommendations, then times, each as the median of several rounds on fresh ledgers:

- reading the workbook with python-calamine alone (the raw baseline of reading it);
- recording the same events as ready-made commands through `JourneyLedger.execute` in one
  batch (the raw baseline of recording them);
- the import's dry run (read, recognise, diff against the ledger, check every command);
- the import itself (the dry run, then one transaction of every event);
- importing the same tracker again (nothing new to record).

Then, on the imported ledger, the board pack at a meeting, as known now: the query API's
answers alone (the raw baseline of the pack), the pack's HTML, its PDF and its XLSX.

    .venv/bin/python benchmarks/plan_and_pack.py [--actions 500] [--rounds 3]
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import xlsxwriter
from python_calamine import CalamineWorkbook

from config.frameworks import load_frameworks
from entrypoints.bootstrap import Services, build_services
from ledger.application.imports.plans import import_plan
from ledger.application.parsing import command_id_of, parse_command
from ledger.application.service import PendingCommand
from reports.pack import board_pack
from reports.rendering import pack_html, pack_pdf, pack_xlsx

SLUG = "benchshire"
RECOMMENDATIONS = 20
MEETING = date(2019, 6, 13)


def ledger_lines() -> list[dict[str, Any]]:
    areas = (
        "overall_effectiveness",
        "help_and_protection",
        "looked_after",
        "adoption",
        "care_leavers",
        "leadership",
    )
    lines: list[dict[str, Any]] = [
        {"type": "AuthorityRegistered", "id": SLUG, "name": "Benchshire Council", "source": "b"},
        {
            "type": "InspectionRecorded",
            "authority": SLUG,
            "id": "sif-2018",
            "framework": "sif-2013",
            "kind": "re_inspection",
            "published": "2018-08-17",
            "grades": dict.fromkeys(areas, "requires_improvement"),
            "source": "b",
        },
    ]
    for n in range(1, RECOMMENDATIONS + 1):
        lines.append(
            {
                "type": "RecommendationIssued",
                "authority": SLUG,
                "id": f"r{n}",
                "origin": "sif-2018",
                "text": f"Recommendation number {n} of the report.",
                "area": areas[1 + n % 5],
                "source": "b",
            }
        )
    return lines


def tracker(actions: int) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    headings = [
        "Ref",
        "Recommendation",
        "What we will do",
        "Lead",
        "Target date",
        "RAG",
        "Progress update",
        "Date of update",
    ]
    sheets = [book.add_worksheet("Plan part 1"), book.add_worksheet("Plan part 2")]
    rows = [1, 1]
    for sheet in sheets:
        sheet.write_row(0, 0, headings)
    start = date(2018, 9, 1)
    for n in range(actions):
        which = n % 2
        sheet, row = sheets[which], rows[which]
        rows[which] += 1
        if n % 10 < 2:  # each recommendation's first action on each sheet: merged down five rows
            sheet.merge_range(row, 1, row + 4, 1, f"r{(n // 10) % RECOMMENDATIONS + 1}")
        due = start + timedelta(days=90 + n % 200)
        sheet.write_row(row, 0, [f"{n // 100 + 1}.{n % 100 + 1}"])
        sheet.write_row(
            row,
            2,
            [
                f"Action {n} of the plan",
                f"Officer {n % 17}",
                f"{due:%d/%m/%Y}",
                "RAG"[n % 3] if n % 3 != 2 else "Green",
                f"Progress on action {n}: on track with partners.",
                f"{start + timedelta(days=30 + n % 60):%d/%m/%Y}",
            ],
        )
    book.close()
    return out.getvalue()


def same_commands(actions: int) -> list[PendingCommand]:
    """The events the tracker's import records, as commands made beforehand."""
    start = date(2018, 9, 1)
    lines: list[dict[str, Any]] = []
    for n in range(actions):
        ref = f"{n // 100 + 1}.{n % 100 + 1}"
        base = {"authority": SLUG, "id": ref, "source": "bench"}
        lines.append(
            {
                "type": "ActionPlanned",
                **base,
                "date": "2018-08-17",
                "title": f"Action {n} of the plan",
                "owner": f"Officer {n % 17}",
                "due_date": (start + timedelta(days=90 + n % 200)).isoformat(),
                "answers": [f"r{(n // 10) % RECOMMENDATIONS + 1}"],
            }
        )
        lines.append(
            {
                "type": "ActionProgressUpdated",
                **base,
                "date": (start + timedelta(days=30 + n % 60)).isoformat(),
                "rag": ["red", "amber", "green"][n % 3],
                "narrative": f"Progress on action {n}: on track with partners.",
            }
        )
    return [PendingCommand(parse_command(line), command_id_of(line)) for line in lines]


def fresh(folder: str, n: int) -> Services:
    services = build_services(f"sqlite:///{folder}/bench-{n}.db", load_frameworks())
    services.ledger.execute(
        [PendingCommand(parse_command(line), command_id_of(line)) for line in ledger_lines()],
        "bench",
    )
    return services


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    data = tracker(args.actions)
    figures: dict[str, list[float]] = {
        k: []
        for k in (
            "read (calamine alone)",
            "execute (commands)",
            "import: dry run",
            "import: recorded",
            "import: again",
        )
    }
    events = 0
    with tempfile.TemporaryDirectory() as folder:
        services = None
        for n in range(args.rounds):

            def read() -> Any:
                book = CalamineWorkbook.from_filelike(io.BytesIO(data))
                return [book.get_sheet_by_name(s).to_python() for s in book.sheet_names]

            figures["read (calamine alone)"].append(timed(read)[0])
            baseline = fresh(folder, 1000 + n)
            commands = same_commands(args.actions)
            figures["execute (commands)"].append(
                timed(lambda b=baseline, c=commands: b.ledger.execute(c, "bench"))[0]
            )
            baseline.close()
            services = fresh(folder, n)
            ledger = services.ledger
            figures["import: dry run"].append(
                timed(
                    lambda ledger=ledger: import_plan(
                        ledger, "t.xlsx", data, SLUG, "bench", dry_run=True
                    )
                )[0]
            )
            seconds, result = timed(
                lambda ledger=ledger: import_plan(ledger, "t.xlsx", data, SLUG, "bench")
            )
            figures["import: recorded"].append(seconds)
            events = result.new_events
            figures["import: again"].append(
                timed(lambda ledger=ledger: import_plan(ledger, "t.xlsx", data, SLUG, "bench"))[0]
            )
        assert services is not None
        views = services.views
        now = datetime.now(UTC)
        pack_figures: dict[str, list[float]] = {
            k: [] for k in ("queries alone", "pack: HTML", "pack: PDF", "pack: XLSX")
        }
        for _ in range(args.rounds):

            def queries() -> None:
                views.judgements(SLUG, MEETING, now)
                views.recommendations(SLUG, "open", MEETING, now)
                views.actions(SLUG, MEETING, now)
                views.indicators(SLUG, MEETING, now)

            pack_figures["queries alone"].append(timed(queries)[0])
            seconds, html = timed(lambda: pack_html(board_pack(views, SLUG, MEETING, known_at=now)))
            pack_figures["pack: HTML"].append(seconds)
            pack_figures["pack: PDF"].append(timed(lambda h=html: pack_pdf(h))[0])
            pack_figures["pack: XLSX"].append(
                timed(lambda: pack_xlsx(board_pack(views, SLUG, MEETING, known_at=now)))[0]
            )

    print(
        f"tracker: {args.actions} actions, {len(data)} bytes; {events} events recorded; "
        f"medians of {args.rounds} rounds"
    )
    read = statistics.median(figures["read (calamine alone)"])
    execute = statistics.median(figures["execute (commands)"])
    for name, values in figures.items():
        median = statistics.median(values)
        print(
            f"  {name:<24} {median * 1000:9.1f} ms  {median / read:6.1f}x the raw read, "
            f"{median / execute:5.2f}x executing the commands"
        )
    base = statistics.median(pack_figures["queries alone"])
    print(f"board pack at {MEETING}, as known now ({len(html)} bytes of HTML)")
    for name, values in pack_figures.items():
        median = statistics.median(values)
        print(f"  {name:<24} {median * 1000:9.1f} ms  {median / base:6.1f}x the queries alone")


if __name__ == "__main__":
    main()
