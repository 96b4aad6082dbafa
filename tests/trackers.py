"""Improvement-plan trackers made in the test, as councils keep them: several sheets, a title
row, headings merged over two rows and across columns, dates as date cells, as bare serials and
as UK text, a recommendation merged down its actions' rows, an action answering several
recommendations (a repeated reference, and a cell listing several).
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

import xlsxwriter

from tests.factories import AUTHORITY

R1 = (
    "Work with partners to ensure that an effective range of early help services is in place "
    "to support children and families when they first need help."
)
R2 = "Ensure that all plans for children are specific, measurable and time-bound."
R3 = "Ensure that the local authority and partners share a common understanding of neglect."
R4 = "Ensure that all care leavers receive timely and accessible support."


def ledger_lines() -> list[dict[str, Any]]:
    """The authority, its inspection and the four recommendations the trackers answer."""
    lines: list[dict[str, Any]] = [
        {
            "type": "AuthorityRegistered",
            "id": AUTHORITY,
            "name": "Testshire County Council",
            "source": "test",
        },
        {
            "type": "InspectionRecorded",
            "authority": AUTHORITY,
            "id": "sif-2018",
            "framework": "sif-2013",
            "kind": "re_inspection",
            "published": "2018-08-17",
            "grades": {
                "overall_effectiveness": "requires_improvement",
                "help_and_protection": "requires_improvement",
                "looked_after": "requires_improvement",
                "adoption": "good",
                "care_leavers": "requires_improvement",
                "leadership": "requires_improvement",
            },
            "source": "test report",
        },
    ]
    for ref, text, area in (
        ("r1", R1, "help_and_protection"),
        ("r2", R2, "help_and_protection"),
        ("r3", R3, "looked_after"),
        ("r4", R4, "care_leavers"),
    ):
        lines.append(
            {
                "type": "RecommendationIssued",
                "authority": AUTHORITY,
                "id": ref,
                "origin": "sif-2018",
                "text": text,
                "area": area,
                "source": "test report",
            }
        )
    return lines


def council_tracker(version: int = 1) -> bytes:
    """The tracker as the improvement team keeps it (version 2: two months later)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True, "text_wrap": True})
    uk_day = book.add_format({"num_format": "dd/mm/yyyy"})

    cover = book.add_worksheet("Cover")
    cover.write("A1", "Testshire Children's Services: Improvement Plan 2018-19", bold)
    cover.write("A3", "Key: Red - off track; Amber - at risk; Green - on track; Blue - complete")

    sheet = book.add_worksheet("Help and protection")
    sheet.merge_range("A1:K1", "Improvement plan: children who need help and protection", bold)
    for column, heading in zip(
        "ABCD",
        ("Ref", "Ofsted recommendation", "What we will do", "Responsible officer"),
        strict=True,
    ):
        sheet.merge_range(f"{column}3:{column}4", heading, bold)
    sheet.merge_range("E3:F3", "Due dates", bold)
    sheet.write("E4", "Original", bold)
    sheet.write("F4", "Revised", bold)
    for column, heading in zip(
        "GHIJK",
        ("Reason for revision", "Approved by", "RAG", "Progress update", "Date of update"),
        strict=True,
    ):
        sheet.merge_range(f"{column}3:{column}4", heading, bold)
    sheet.merge_range("L3:L4", "Date revised", bold)
    sheet.merge_range("A5:L5", "Recommendation 1: early help", bold)
    # Row 6-7: one recommendation (its text, merged down) answered by two actions.
    sheet.merge_range("B6:B7", R1)
    sheet.write("A6", "1.1")
    sheet.write("C6", "Open five locality early help hubs with partners")
    sheet.write("D6", "Head of Early Help")
    sheet.write_datetime("E6", _dt(date(2019, 3, 31)), uk_day)
    if version == 1:
        sheet.write("I6", "Amber")
        sheet.write("J6", "Two of five hubs open; premises agreed for two more.")
        sheet.write("K6", "01/10/2018")
    else:
        sheet.write("I6", "Green")
        sheet.write("J6", "Four of five hubs open; the fifth opens in February.")
        sheet.write("K6", "03/12/2018")
    sheet.write("A7", "1.2")
    sheet.write("C7", "Train every practitioner in the early help assessment")
    sheet.write("D7", "Principal Social Worker")
    sheet.write_number("E7", 43555)  # 31 March 2019 as a bare serial
    if version == 2:
        sheet.write("F7", "30 June 2019")
        sheet.write("G7", "The training provider withdrew; a new one starts in April.")
        sheet.write("H7", "Improvement board")
        sheet.write("L7", "03/12/2018")
    sheet.write("I7", "G")
    sheet.write("J7", "180 of 400 practitioners trained.")
    sheet.write("K7", "1 October 2018")
    # Row 8: one action answering two recommendations, listed in one cell.
    sheet.write("A8", "1.3")
    sheet.write("B8", "r1, r2")
    sheet.write("C8", "Audit plans jointly with partners every quarter")
    sheet.write("D8", "Head of Quality Assurance" if version == 1 else "Head of Safeguarding")
    sheet.write("E8", "2019-01-31")
    if version == 1:
        sheet.write("I8", "R")
        sheet.write("J8", "The first joint audit was postponed: partners' staffing.")
        sheet.write("K8", "2018-10-01")
    else:
        sheet.write("I8", "A")
        sheet.write("J8", "The first joint audit took place in November.")
        sheet.write("K8", "2018-12-03")

    care = book.add_worksheet("Children in care")
    headings = (
        "ID",
        "Area for improvement",
        "Activity",
        "Lead",
        "Target date",
        "Revised target date",
        "Reason",
        "Approved by",
        "Status",
        "Commentary",
        "Update date",
    )
    for column, heading in enumerate(headings):
        care.write(0, column, heading, bold)
    # The same action on two rows: it answers both recommendations.
    care.write_row(
        1,
        0,
        [
            "2.1",
            "r3",
            "Neglect strategy and toolkit agreed with partners",
            "Head of Children's Social Care",
        ],
    )
    care.write_datetime(1, 4, _dt(date(2018, 12, 31)), uk_day)
    care.write_row(2, 0, ["2.1", "r4"])
    care.write_row(
        3, 0, ["2.2", "r4", "A care leavers' hub in each district", "Leaving Care Service Manager"]
    )
    care.write_datetime(3, 4, _dt(date(2018, 11, 30)), uk_day)
    care.write_row(3, 8, ["Blue", "Hubs open in all three districts.", "28/11/2018"])
    if version == 1:
        care.write_row(1, 8, ["Amber", "Strategy drafted; toolkit in consultation.", "01/10/2018"])
    else:
        care.write_row(
            1, 8, ["Complete", "Strategy and toolkit agreed by the partnership.", "30/11/2018"]
        )
    book.close()
    return out.getvalue()


def broken_tracker() -> bytes:
    """A tracker with one mistake of each kind, each in a known cell."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("Plan")
    sheet.write_row(
        0,
        0,
        ["Ref", "Recommendation", "Action", "Owner", "Deadline", "RAG", "Update", "Update date"],
    )
    sheet.write_row(
        1,
        0,
        ["A1", "r1", "Hubs", "Head of Early Help", "31/02/2019", "Amber", "Started", "01/10/2018"],
    )  # E2: no 31 February
    sheet.write_row(
        2, 0, ["A2", "r9", "Training", "PSW", "31/03/2019", "Purple", "Begun", "01/10/2018"]
    )  # B3: no such recommendation; F3: no such rating
    sheet.write_row(3, 0, [None, "r2", "Audits", "Head of QA", "31/03/2019"])  # A4: no ref
    sheet.write_row(
        4,
        0,
        ["A3", "r2", "Audits", "Head of QA", "31/03/2019", "Green", "Done some", "1 Octember 2018"],
    )  # H5: not a date
    sheet.write_row(5, 0, ["A4", "r3", "Toolkit", None, "31/03/2019"])  # D6: no owner
    book.close()
    return out.getvalue()


def _dt(day: date) -> Any:
    from datetime import datetime

    return datetime(day.year, day.month, day.day)


def ods_tracker() -> bytes:
    """A small tracker saved as OpenDocument: its heading merged across two columns comes
    back with the covered cell blank (no merge information), its dates as date cells."""
    rows = [
        [
            ("Action ref", 1),
            ("Recommendation", 1),
            ("Action", 1),
            ("Lead officer", 1),
            ("Target dates", 2),
            ("Reason for extension", 1),
            ("Approved by", 1),
            ("RAG", 1),
            ("Progress", 1),
            ("As at", 1),
        ],
        [None, None, None, None, ("Original", 1), ("Revised", 1), None, None, None, None, None],
        [
            "3.1",
            "r4",
            "Pathway plans reviewed with every care leaver",
            "Leaving Care Manager",
            date(2019, 2, 28),
            date(2019, 5, 31),
            "Caseloads rose in January",
            "Director",
            "Amber",
            "Half reviewed.",
            date(2019, 1, 31),
        ],
    ]
    return _ods("Plan", rows)


def _ods(name: str, rows: list[list[Any]]) -> bytes:
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    body = []
    for row in rows:
        cells = []
        for cell in row:
            if cell is None:
                cells.append("<table:table-cell/>")
            elif isinstance(cell, tuple):
                text, span = cell
                spanned = f' table:number-columns-spanned="{span}"' if span > 1 else ""
                cells.append(
                    f'<table:table-cell office:value-type="string"{spanned}>'
                    f"<text:p>{escape(text)}</text:p></table:table-cell>"
                )
                cells += ["<table:covered-table-cell/>"] * (span - 1)
            elif isinstance(cell, date):
                cells.append(
                    f'<table:table-cell office:value-type="date" '
                    f'office:date-value="{cell.isoformat()}"><text:p>'
                    f"{cell:%d/%m/%Y}</text:p></table:table-cell>"
                )
            else:
                cells.append(
                    f'<table:table-cell office:value-type="string"><text:p>'
                    f"{escape(str(cell))}</text:p></table:table-cell>"
                )
        body.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} '
        f'office:version="1.2"><office:body><office:spreadsheet>'
        f'<table:table table:name="{escape(name)}">{"".join(body)}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
        'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


CSV_TRACKER = (
    "No.,Recommendation,Action,Owner,Completion date,R/A/G,Update,Date of update\r\n"
    "4.1,r2,Plans quality-checked by team managers,Head of Service,31/01/2019,G,"
    '"On track, 60% checked",15/10/2018\r\n'
    '4.2,"r2; r3",Plan template rewritten with partners,Head of Service,43496,A,'
    "Draft shared,15 October 2018\r\n"
)
