"""The read-side products (`reports`) as the web app asks for them (`web.exports.makers`):
wired here, at the composition root, since neither package imports the other."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from projections.views import JourneyViews
from reports import tables
from reports.pack import board_pack
from reports.rendering import MEDIA_TYPES, pack_html, pack_pdf, pack_xlsx
from reports.workbooks import xlsx_bytes
from web.exports.makers import MadeFile


class ReportMaker:
    """Makes tables and board packs from the query API."""

    def __init__(self, views: JourneyViews) -> None:
        self.views = views

    def table(self, name: str, view: dict[str, Any], fmt: str) -> MadeFile:
        table = tables.TABLES[name](view)
        if fmt == "csv":
            return MadeFile(tables.csv_bytes(table), tables.MEDIA_TYPES["csv"])
        return MadeFile(xlsx_bytes([table], table_instant(view)), tables.MEDIA_TYPES["xlsx"])

    def pack(
        self,
        authority: str,
        meeting: date,
        previous: date | None,
        known_at: datetime | None,
        fmt: str,
    ) -> MadeFile:
        made = board_pack(self.views, authority, meeting, previous, known_at)
        if fmt == "xlsx":
            data = pack_xlsx(made)
        else:
            html = pack_html(made)
            data = pack_pdf(html) if fmt == "pdf" else html.encode("utf-8")
        return MadeFile(data, MEDIA_TYPES[fmt], made.known, made.known_at, made.fingerprint)


def table_instant(view: dict[str, Any]) -> datetime:
    """The instant a table describes, as its file's creation time (so the same answer gives
    the same bytes): the known-at instant, else the start of its as-of day."""
    from datetime import UTC, time

    if view.get("known_at"):
        return datetime.fromisoformat(view["known_at"])
    return datetime.combine(date.fromisoformat(view["as_of"]), time.min, UTC)
