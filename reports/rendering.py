"""The board pack as HTML (one self-contained file), as PDF (WeasyPrint, from the same HTML and
its print stylesheet: tagged for PDF/UA, page numbers, table headings repeated on each page,
charts as SVG) and as XLSX (one sheet a table)."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from importlib.resources import files

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from reports.pack import BoardPack
from reports.tables import Table, Value
from reports.wording import DIRECTION_LABELS, RAG_LABELS, local_instant, long_date, number
from reports.workbooks import xlsx_bytes

PACK_FORMATS = ("html", "pdf", "xlsx")
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def template_environment() -> Environment:
    """The pack's templates (built when asked for: nothing at import time)."""
    return Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def pack_html(pack: BoardPack, environment: Environment | None = None) -> str:
    """The pack as one HTML file, its stylesheet inside it."""
    env = environment or template_environment()
    # The pack's own stylesheet, not user input: inside <style>, escaping would break it.
    css = Markup(files("reports").joinpath("templates/pack.css").read_text(encoding="utf-8"))
    since = long_date(pack.previous) if pack.previous else "the plan began"
    return env.get_template("pack.html.j2").render(
        pack=pack,
        css=css,
        since=since,
        known_at=local_instant(pack.known_at, pack.zone),
        # A later instant to suggest: the pack's own, a year on (never the wall clock).
        example_known_at=(pack.known_at + timedelta(days=365)).date().isoformat(),
        count_recommendations=sum(len(g.recommendations) for g in pack.areas),
        long_date=long_date,
        number=number,
        rag_label=lambda key: RAG_LABELS.get(key, key),
        direction_label=lambda key: (
            DIRECTION_LABELS.get(key, "No earlier judgement") if key else "No earlier judgement"
        ),
    )


def pack_pdf(html: str) -> bytes:
    """The pack's HTML as a tagged PDF (PDF/UA-1). The same HTML gives the same bytes."""
    from weasyprint import HTML  # loads Pango: only when a PDF is asked for

    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    document = HTML(string=html, base_url=None)
    return bytes(
        document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=identifier, pdf_tags=True)
    )


def pack_tables(pack: BoardPack) -> list[Table]:
    """The pack's sections as tables: the cover, then one a section."""
    cover: list[tuple[Value, ...]] = [
        ("Authority", pack.authority_name),
        ("Authority id", pack.authority),
        ("Meeting", pack.meeting),
        ("Previous meeting", pack.previous),
        ("As known at", local_instant(pack.known_at, pack.zone)),
        ("Known at (ISO 8601)", pack.known_at.isoformat()),
        ("Ledger fingerprint", pack.fingerprint),
    ]
    if not pack.known:
        cover.append(
            (
                "Note",
                "Nothing about this authority had been recorded by then: make the pack "
                "with --known-at a later instant.",
            )
        )
        return [Table("Cover", ("", ""), tuple(cover))]
    tables = [Table("Cover", ("", ""), tuple(cover))]
    j = pack.judgements or {}
    areas = ([j["overall"]] if j.get("overall") else []) + list(j.get("areas", []))
    tables.append(
        Table(
            "A Judgements",
            ("Area", "Judgement", "Since", "Previously", "Direction of travel"),
            tuple(
                (
                    a["label"],
                    a["grade_label"],
                    _day(a["since"]),
                    a["previous_grade_label"],
                    a["direction"],
                )
                for a in areas
            ),
        )
    )
    rows: list[tuple[Value, ...]] = []
    for group in pack.areas:
        for rec in group.recommendations:
            for a in rec["actions"] or [None]:
                latest = (a or {}).get("latest_update") or {}
                rows.append(
                    (
                        group.label,
                        rec["ref"],
                        rec["text"],
                        a["ref"] if a else None,
                        a["title"] if a else None,
                        a["owner"] if a else None,
                        _day(a["due_date"]) if a else None,
                        (RAG_LABELS.get(a["rag"] or "") if a["status"] == "open" else a["status"])
                        if a
                        else None,
                        _day(latest.get("date")),
                        latest.get("narrative"),
                    )
                )
    tables.append(
        Table(
            "B Recommendations",
            (
                "Area",
                "Recommendation",
                "Text",
                "Action",
                "Title",
                "Owner",
                "Due",
                "RAG",
                "Latest update on",
                "Latest update",
            ),
            tuple(rows),
        )
    )
    tables.append(
        Table(
            "C Completed",
            ("Action", "Title", "Owner", "Completed", "Evidence"),
            tuple(
                (a["ref"], a["title"], a["owner"], _day(a["closed"]["date"]), a["closed"]["note"])
                for a in pack.completed
            ),
        )
    )
    tables.append(
        Table(
            "D Due dates revised",
            (
                "Action",
                "Title",
                "Revised",
                "Originally due",
                "Was due",
                "Now due",
                "Reason",
                "Approved by",
            ),
            tuple(
                (
                    r.action["ref"],
                    r.action["title"],
                    _day(r.date),
                    _day(r.original_due_date),
                    _day(r.previous_due_date),
                    _day(r.new_due_date),
                    r.reason,
                    r.approver,
                )
                for r in pack.revisions
            ),
        )
    )
    tables.append(
        Table(
            "E Overdue and red",
            ("Action", "Title", "Owner", "Due", "Days overdue", "RAG"),
            tuple(
                (
                    a["ref"],
                    a["title"],
                    a["owner"],
                    _day(a["due_date"]),
                    a["days_overdue"] if a["overdue"] else None,
                    RAG_LABELS.get(a["rag"] or ""),
                )
                for a in pack.attention
            ),
        )
    )
    tables.append(
        Table(
            "F Indicators",
            ("Indicator", "Period ending", "Value", "Note"),
            tuple(
                (w.indicator["name"], _day(r["period_end"]), _decimal(r["value"]), r.get("note"))
                for w in pack.wrong_way
                for r in w.indicator["readings"]
            ),
        )
    )
    return tables


def pack_xlsx(pack: BoardPack) -> bytes:
    """The pack as a workbook, one sheet a table; the same pack gives the same bytes."""
    return xlsx_bytes(pack_tables(pack), pack.known_at)


def _day(value: str | None) -> Value:
    from datetime import date

    return date.fromisoformat(value[:10]) if value else None


def _decimal(value: str) -> Value:
    from decimal import Decimal

    return Decimal(value)
