"""Plain text and HTML: the same facts in both, HTML escaped, text not, a quiet week in one line."""

from __future__ import annotations

from html.parser import HTMLParser

from jinja2 import Environment

from notifier.rendering import template_environment, text_table, wrap
from tests.unit.notifier.digest_samples import make_renderer, quiet_digest, week_digest


class Collector(HTMLParser):
    """The tags, text and attributes of an HTML document, for checks without a browser."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "a":
            self.links += [v or "" for k, v in attrs if k == "href"]

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.text.append(" ".join(data.split()))


def test_the_text_digest_tells_every_section_in_plain_words() -> None:
    text = make_renderer().render(week_digest()).text
    lines = text.splitlines()
    assert lines[0] == "Exampleshire County Council: improvement digest"
    assert lines[2] == "13 to 19 August 2018 (2018-W33)"
    long_lines = [line for line in lines if len(line) > 78]
    assert all("http" in line or "42:abab" in line for line in long_lines), long_lines
    flat = " ".join(text.split())
    assert (
        "overall effectiveness improved from Inadequate to Requires improvement to be good" in flat
    )
    assert "- Adoption performance: Requires improvement to be good → Good (improved)" in flat
    assert "No longer graded: Review of the LSCB (was Good)." in flat
    assert "“The local authority is making steady progress.”" in flat
    assert "Findings: 1 concern, 2 strengths." in flat
    assert "Investment: £5,000,000.00." in flat
    assert "Approved <b>new</b> posts & training." in flat  # text is not HTML-escaped
    assert "Reduce caseloads (act-1): now Red, was Amber" in flat
    assert "Audit plans (act-2): due 31 October 2018, moved from 1 September 2018" in flat
    assert "(originally due 31 July 2018)" in flat
    assert "Reason: Audit team redeployed Approved by Improvement board." in flat
    assert "Overdue by 18 days: Publish the sufficiency strategy (act-3)." in flat
    assert "Due 24 August 2018: Train managers (act-4)." in flat
    assert (
        "Return home interviews offered: 64% for the period ending 31 July 2018, down from 71%"
        in flat
    )
    assert "2 other readings recorded did not move the wrong way." in flat
    assert "Correction to inspection sif-2015: grades corrected." in flat
    assert "Recorded late: Progress on action act-5: GREEN" in flat
    assert "Dated 3 June 2018; recorded 15 August 2018 by officer@example.org." in flat
    assert "Ledger fingerprint: 42:abab" in flat
    assert "ledger verify --fingerprint 42:abab" in flat
    assert "Compiled 20 August 2018 at 09:00 (Europe/London)" in flat


def test_the_html_digest_is_escaped_accessible_and_tells_the_same_facts() -> None:
    html = make_renderer().render(week_digest()).html
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en-GB">' in html
    assert "Approved &lt;b&gt;new&lt;/b&gt; posts &amp; training." in html
    assert "<b>new</b>" not in html
    parsed = Collector()
    parsed.feed(html)
    assert parsed.tags.count("h1") == 1
    assert parsed.tags.count("h2") == 10
    assert "caption" in parsed.tags and "th" in parsed.tags
    text = " ".join(parsed.text)
    assert "Re-inspection report (sif-2013) published 17 August 2018" in text
    assert "Investment: £5,000,000.00." in text
    assert "Overdue by 18 days: Publish the sufficiency strategy (act-3)." in text
    assert "https://reports.example.org/sif-2018.pdf" in parsed.links
    assert (
        "https://ledger.example.org/authorities/exampleshire/timeline?from=2018-08-13&to=2018-08-19"
        in parsed.links
    )


def test_a_quiet_week_says_so_in_one_line() -> None:
    rendered = make_renderer().render(quiet_digest())
    paragraphs = [" ".join(p.split()) for p in rendered.text.split("\n\n")]
    quiet = (
        "A quiet week: nothing was dated in, or recorded during, 13 to 19 August 2018 for "
        "Exampleshire County Council."
    )
    assert quiet in paragraphs
    assert "---" not in rendered.text  # no section headings at all
    assert quiet in " ".join(rendered.html.split())
    assert "<h2" not in rendered.html
    assert (
        rendered.subject == "Exampleshire County Council: improvement digest, 13 to 19 August 2018"
    )


def test_the_environment_autoescapes_html_templates_only() -> None:
    env: Environment = template_environment()
    assert env.autoescape("digest.html.j2") is True  # type: ignore[operator]
    assert env.autoescape("digest.txt.j2") is False  # type: ignore[operator]


def test_wrap_and_table_helpers() -> None:
    assert wrap("one two three", width=8, first="* ", rest="  ") == "* one\n  two\n  three"
    table = make_renderer().layout(week_digest()).sections[0].items[0].table
    assert table is not None
    rendered = text_table(table, indent="  ")
    assert rendered.splitlines()[0] == "  Judgements of sif-2018:"
    assert rendered.splitlines()[1:3] == [
        "  - Overall effectiveness: Inadequate → Requires improvement to be good",
        "    (improved)",
    ]
