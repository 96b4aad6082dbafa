"""The board pack, made from a ledger with a tracker imported into it, on SQLite and PostgreSQL:
its sections, its three formats, and that a pack made again at the same instant is the same
file whatever was recorded since."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from entrypoints.bootstrap import Services
from ledger.application.imports.plans import import_plan
from reports.pack import board_pack
from reports.rendering import pack_html, pack_pdf, pack_xlsx
from tests import trackers
from tests.factories import AUTHORITY, load_demo, record

MEETING = date(2018, 12, 10)
PREVIOUS = date(2018, 11, 1)


def _indicator_lines() -> list[dict[str, object]]:
    return [
        {
            "type": "IndicatorDefined",
            "authority": AUTHORITY,
            "id": "rhi",
            "name": "Return home interviews offered",
            "unit": "percent",
            "higher_is_better": True,
            "target": "90",
            "source": "performance report",
        },
        {
            "type": "IndicatorReadingRecorded",
            "authority": AUTHORITY,
            "id": "rhi",
            "period_end": "2018-09-30",
            "value": "71",
            "source": "performance report",
        },
        {
            "type": "IndicatorReadingRecorded",
            "authority": AUTHORITY,
            "id": "rhi",
            "period_end": "2018-11-30",
            "value": "64",
            "source": "performance report",
        },
    ]


@pytest.fixture
def tracked(services: Services) -> Services:
    record(services.ledger, *trackers.ledger_lines(), *_indicator_lines())
    import_plan(services.ledger, "tracker.xlsx", trackers.council_tracker(1), AUTHORITY, "officer")
    import_plan(
        services.ledger, "tracker-v2.xlsx", trackers.council_tracker(2), AUTHORITY, "officer"
    )
    return services


def _now() -> datetime:
    return datetime.now(UTC)


def test_the_pack_has_every_section_as_known_at_an_instant(tracked: Services) -> None:
    pack = board_pack(tracked.views, AUTHORITY, MEETING, PREVIOUS, known_at=_now())
    assert pack.known and pack.authority_name == "Testshire County Council"
    assert pack.fingerprint == str(tracked.ledger.fingerprint())
    overall = pack.judgements["overall"]  # type: ignore[index]
    assert overall["grade"] == "requires_improvement"
    assert [g.label for g in pack.areas] == [
        "Children who need help and protection",
        "Children looked after and achieving permanence",
        "Experiences and progress of care leavers",
    ]
    assert sorted(a["ref"] for a in pack.completed) == ["2.1", "2.2"]
    assert [
        (r.action["ref"], r.original_due_date, r.new_due_date, r.approver) for r in pack.revisions
    ] == [("1.2", "2019-03-31", "2019-06-30", "Improvement board")]
    assert [w.indicator["ref"] for w in pack.wrong_way] == ["rhi"]
    assert pack.wrong_way[0].since_previous
    html = pack_html(pack)
    for heading in (
        "A. Judgements in force",
        "B. Recommendations and their actions",
        "C. Actions completed since 1 November 2018",
        "D. Due dates revised since 1 November 2018",
        "E. Overdue and red actions",
        "F. Indicators that moved the wrong way",
    ):
        assert f">{heading}</h2>" in html
    assert "<svg" in html and "Return home interviews offered: readings over time" in html
    assert pack.fingerprint in html


def test_a_later_meeting_lists_overdue_and_red_actions_with_days_overdue(tracked: Services) -> None:
    pack = board_pack(tracked.views, AUTHORITY, date(2019, 3, 1), known_at=_now())
    assert [(a["ref"], a["days_overdue"]) for a in pack.attention] == [("1.3", 29)]
    assert "29" in pack_html(pack)


def test_made_again_later_at_the_same_instant_the_pack_is_the_same(tracked: Services) -> None:
    instant = _now()
    first = board_pack(tracked.views, AUTHORITY, MEETING, PREVIOUS, known_at=instant)
    html, xlsx = pack_html(first), pack_xlsx(first)
    # A late entry, dated before the meeting, recorded after the instant.
    record(
        tracked.ledger,
        {
            "type": "ActionProgressUpdated",
            "authority": AUTHORITY,
            "id": "1.1",
            "date": "2018-12-05",
            "rag": "red",
            "narrative": "The fifth hub's lease fell through.",
            "source": "late board paper",
        },
    )
    again = board_pack(tracked.views, AUTHORITY, MEETING, PREVIOUS, known_at=instant)
    assert pack_html(again) == html
    assert pack_xlsx(again) == xlsx
    later = board_pack(tracked.views, AUTHORITY, MEETING, PREVIOUS, known_at=_now())
    later_html = pack_html(later)
    assert later_html != html
    assert "The fifth hub&#39;s lease fell through." in later_html
    assert [a["ref"] for a in later.attention] == ["1.1"]
    assert later.fingerprint != first.fingerprint


def test_the_pdf_is_tagged_numbered_and_repeats_table_headings(services: Services) -> None:
    lines = trackers.ledger_lines()
    for n in range(1, 61):
        lines.append(
            {
                "type": "ActionPlanned",
                "authority": AUTHORITY,
                "id": f"A{n:02d}",
                "date": "2018-09-01",
                "title": f"Action number {n} of the plan",
                "owner": "Head of Service",
                "due_date": "2019-03-31",
                "answers": ["r1"],
                "source": "test plan",
            }
        )
    record(services.ledger, *lines)
    pack = board_pack(services.views, AUTHORITY, MEETING, known_at=_now())
    pdf = pack_pdf(pack_html(pack))
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    assert catalog["/Lang"] == "en-GB"
    pages = [page.extract_text() for page in reader.pages]
    total = len(pages)
    assert total >= 4
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text
    # Section B's table of 60 actions runs over pages; its headings start each of them.
    with_actions = [t for t in pages if "Action number" in t]
    assert len(with_actions) >= 2
    assert all(re.search(r"Action\s+Owner\s+Due\s+RAG\s+Latest", t) for t in with_actions)
    assert pack_pdf(pack_html(pack)) == pdf  # the same pack, the same bytes


def test_the_xlsx_pack_has_one_sheet_a_table(tracked: Services) -> None:
    pack = board_pack(tracked.views, AUTHORITY, MEETING, PREVIOUS, known_at=_now())
    book = CalamineWorkbook.from_filelike(io.BytesIO(pack_xlsx(pack)))
    assert book.sheet_names == [
        "Cover",
        "A Judgements",
        "B Recommendations",
        "C Completed",
        "D Due dates revised",
        "E Overdue and red",
        "F Indicators",
    ]
    cover = book.get_sheet_by_name("Cover").to_python()
    assert ["Ledger fingerprint", pack.fingerprint] in cover
    completed = book.get_sheet_by_name("C Completed").to_python()
    assert sorted(row[0] for row in completed[1:]) == ["2.1", "2.2"]


def test_the_demo_recorded_after_the_fact_knows_nothing_at_its_meeting(services: Services) -> None:
    load_demo(services.ledger)
    pack = board_pack(services.views, "lancashire", date(2018, 11, 8))
    assert not pack.known
    html = pack_html(pack)
    assert "Nothing was known by then" in html and "--known-at" in html
    assert "8 November 2018 at 11:59:59pm (Europe/London)" in html
    assert "0:" + "0" * 64 in html
    known = board_pack(services.views, "lancashire", date(2018, 11, 8), known_at=_now())
    assert known.known and known.authority_name == "Lancashire County Council"
    assert "Requires improvement to be good" in pack_html(known)
