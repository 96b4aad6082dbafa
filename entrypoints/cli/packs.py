"""`ledger pack`: the board pack for a meeting, as HTML, PDF or XLSX."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from reports.pack import board_pack
from reports.rendering import PACK_FORMATS, pack_html, pack_pdf, pack_xlsx


def pack_bytes(pack: Any, fmt: str) -> bytes:
    """The pack in `fmt` (html, pdf or xlsx)."""
    if fmt == "xlsx":
        return pack_xlsx(pack)
    html = pack_html(pack)
    return pack_pdf(html) if fmt == "pdf" else html.encode("utf-8")


def make_pack_command(parse_date: Any, parse_instant: Any, choose_authority: Any) -> click.Command:
    """The command, given the CLI's option parsers (kept in one place, `main`)."""

    @click.command(name="pack")
    @click.option("--authority", help="The authority's id (optional when there is only one).")
    @click.option("--meeting", required=True, callback=parse_date, help="The meeting's day.")
    @click.option(
        "--previous", callback=parse_date, help="The previous meeting's day: changes since then."
    )
    @click.option(
        "--known-at",
        callback=parse_instant,
        help="As the ledger knew it then (default: the end of the meeting day).",
    )
    @click.option(
        "--format", "fmt", type=click.Choice(PACK_FORMATS), default="html", show_default=True
    )
    @click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True)
    @click.pass_obj
    def pack(
        obj: Any,
        authority: str | None,
        meeting: date,
        previous: date | None,
        known_at: datetime | None,
        fmt: str,
        output: Path,
    ) -> None:
        """The board pack for a meeting: judgements, recommendations and actions, completions
        and revised due dates since the previous meeting, overdue and red actions, indicators
        that moved the wrong way; reproducible from the instant and fingerprint on its cover."""
        services = obj.existing
        slug = choose_authority(services, authority, None)
        try:
            made = board_pack(services.views, slug, meeting, previous, known_at)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--previous") from None
        output.write_bytes(pack_bytes(made, fmt))
        note = "" if made.known else "; nothing was known by then: see --known-at"
        click.echo(
            f"pack for {slug}, meeting {meeting.isoformat()}, as known at "
            f"{made.known_at.isoformat()} (fingerprint {made.fingerprint}) written to "
            f"{output}{note}"
        )

    return pack
