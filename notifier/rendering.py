"""Rendering a digest for every channel: Jinja2 text and HTML, Slack blocks, a Teams card.

The Jinja environment comes from a factory (nothing is built at import time) and autoescapes the
HTML template only: the text template must not turn "&" into "&amp;".
"""

from __future__ import annotations

import textwrap
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from notifier.digest import Digest
from notifier.layout import DigestLayout, Table, lay_out
from notifier.message import RenderedDigest
from notifier.slack_message import slack_message
from notifier.teams_card import teams_message

TEXT_WIDTH = 78
FORMATS = ("text", "html", "slack", "teams")


def wrap(text: str, width: int = TEXT_WIDTH, first: str = "", rest: str = "") -> str:
    """Wrap a paragraph for plain text, with prefixes for the first and the following lines."""
    return textwrap.fill(
        text,
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )


def text_table(table: Table, indent: str = "", width: int = TEXT_WIDTH) -> str:
    """A table as plain text: one wrapped line a row (`label: before → now (direction)`).

    Columns would not fit in a 78-character email line, so each row reads as a sentence.
    """
    lines = [indent + table.caption + ":"]
    for label, *cells in table.rows:
        before, now, *rest = (*cells, "", "")
        direction = f" ({rest[0]})" if rest and rest[0] else ""
        lines.append(
            wrap(
                f"{label.lstrip('- ')}: {before} → {now}{direction}",
                width,
                indent + "- ",
                indent + "  ",
            )
        )
    return "\n".join(lines)


def template_environment() -> Environment:
    """The digest templates, with HTML autoescaped and undefined names an error."""
    env = Environment(
        loader=PackageLoader("notifier", "templates"),
        autoescape=select_autoescape(
            enabled_extensions=("html", "html.j2"), default_for_string=False
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["wrap"] = wrap
    env.filters["text_table"] = text_table
    return env


def digest_url(base_url: str | None, path: str, digest: Digest) -> str | None:
    """The web page of the digest's period, e.g. `https://ledger.example/…?from=…&to=…`."""
    if not base_url:
        return None
    formatted = path.format(
        authority=quote(digest.authority, safe=""),
        start=digest.period.start.isoformat(),
        end=digest.period.end.isoformat(),
        query=urlencode(
            {"from": digest.period.start.isoformat(), "to": digest.period.end.isoformat()}
        ),
    )
    return base_url.rstrip("/") + "/" + formatted.lstrip("/")


class DigestRenderer:
    """Renders digests in the council's time zone, linking to the web app at `web_url_of`."""

    def __init__(
        self,
        environment: Environment,
        zone: ZoneInfo,
        base_url: str | None = None,
        path: str = "/authorities/{authority}/timeline?{query}",
    ) -> None:
        self.environment = environment
        self.zone = zone
        self.base_url = base_url
        self.path = path

    def layout(self, digest: Digest) -> DigestLayout:
        return lay_out(digest, self.zone, digest_url(self.base_url, self.path, digest))

    def text(self, layout: DigestLayout) -> str:
        return self.environment.get_template("digest.txt.j2").render(layout=layout)

    def html(self, layout: DigestLayout) -> str:
        return self.environment.get_template("digest.html.j2").render(layout=layout)

    def render(self, digest: Digest) -> RenderedDigest:
        """Every format at once, ready for any transport."""
        layout = self.layout(digest)
        return RenderedDigest(
            subject=layout.subject,
            text=self.text(layout),
            html=self.html(layout),
            slack=slack_message(layout),
            teams=teams_message(layout),
        )
