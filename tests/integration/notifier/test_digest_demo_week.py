"""The demo journey's digest for 13-19 August 2018: the re-inspection and what followed it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from entrypoints.bootstrap import Services
from notifier.changes import build_digest
from notifier.digest import Digest
from notifier.periods import DigestPeriod, parse_period
from notifier.rendering import DigestRenderer, template_environment
from tests.factories import load_demo
from tests.integration.notifier.digest_journey import LONDON


def test_the_re_inspection_week_digest_tells_the_new_judgements(services: Services) -> None:
    load_demo(services.ledger)
    digest = build_digest(
        services.views,
        "lancashire",
        parse_period("2018-W33"),
        now=datetime(2018, 8, 20, 8, 0, tzinfo=UTC),
        zone=LONDON,
        fingerprint=lambda: str(services.ledger.fingerprint()),
    )
    assert not digest.quiet
    (judgement,) = digest.judgements
    assert (judgement.ref, judgement.published.isoformat()) == ("sif-2018", "2018-08-17")
    assert judgement.overall is not None
    assert (judgement.overall.previous_grade, judgement.overall.grade) == (
        "inadequate",
        "requires_improvement",
    )
    moves = {a.area: (a.previous_grade, a.grade, a.direction) for a in judgement.areas}
    assert moves == {
        "help_and_protection": ("inadequate", "requires_improvement", "improved"),
        "looked_after": ("requires_improvement", "requires_improvement", "unchanged"),
        "adoption": ("requires_improvement", "good", "improved"),
        "care_leavers": ("inadequate", "requires_improvement", "improved"),
        "leadership": ("inadequate", "requires_improvement", "improved"),
    }
    assert [u.area for u in judgement.no_longer_graded] == ["lscb"]
    assert [r.ref for r in digest.recommendations] == [
        "sif-2018-early-help",
        "sif-2018-smart-plans",
        "sif-2018-neglect",
        "sif-2018-care-leavers",
    ]
    assert [a.ref for a in digest.action_changes] == ["improvement-plan-2018"]
    assert digest.overdue == () and digest.due_soon == ()  # the plan is due 30 November
    assert digest.fingerprint == str(services.ledger.fingerprint())
    assert digest.fingerprint.startswith("22:")

    rendered = DigestRenderer(template_environment(), LONDON, "https://ledger.example.org").render(
        digest
    )
    text = " ".join(rendered.text.split())
    assert rendered.subject == "Lancashire County Council: improvement digest, 13 to 19 August 2018"
    assert (
        "Re-inspection report (sif-2013) published 17 August 2018: overall effectiveness "
        "improved from Inadequate to Requires improvement to be good." in text
    )
    assert "- Adoption performance: Requires improvement to be good → Good (improved)" in text
    assert (
        "- Children looked after and achieving permanence: Requires improvement to be good → "
        "Requires improvement to be good (no change)" in text
    )
    assert "No longer graded: Review of the Local Safeguarding Children Board (was Good)." in text
    assert "Issued 17 August 2018 (sif-2018-early-help): Work with partners" in text
    assert "No open action is overdue or due by 2 September 2018." in text
    assert f"ledger verify --fingerprint {digest.fingerprint}" in text
    html = " ".join(rendered.html.split())
    assert (
        "overall effectiveness improved from Inadequate to Requires improvement to be good" in html
    )
    assert '<th scope="row"' in html and "Adoption performance" in html
    assert "Lancashire County Council children&#39;s services" in html  # escaped, not raw


def test_a_week_of_the_demo_with_nothing_in_it_is_quiet(services: Services) -> None:
    load_demo(services.ledger)
    digest = build_digest(
        services.views,
        "lancashire",
        parse_period("2018-W35"),
        now=datetime(2018, 9, 3, 8, 0, tzinfo=UTC),
        zone=LONDON,
        fingerprint=lambda: str(services.ledger.fingerprint()),
    )
    assert digest.quiet
    text = DigestRenderer(template_environment(), LONDON).render(digest).text
    assert (
        " ".join(text.split()).count("A quiet week: nothing was dated in, or recorded during") == 1
    )


def test_the_first_digest_after_loading_the_demo_says_where_it_starts_and_lists_no_backlog(
    services: Services,
) -> None:
    load_demo(services.ledger)  # recorded now: years of history, all "late" this week
    today = datetime.now(LONDON).date()
    week = DigestPeriod(today - timedelta(days=6), today)
    entries = services.views.timeline("lancashire")["entries"]

    def digest(first: bool) -> Digest:
        return build_digest(
            services.views,
            "lancashire",
            week,
            now=datetime.now(UTC),
            zone=LONDON,
            fingerprint=lambda: str(services.ledger.fingerprint()),
            first=first,
        )

    later = digest(first=False)
    assert len(later.late_entries) == len(entries) > 15  # what a later digest would list
    first = digest(first=True)
    assert first.late_entries == () and first.judgements == () and first.decisions == ()
    assert first.earlier is not None
    assert first.earlier.count == len(entries)
    dates = sorted(date.fromisoformat(e["date"]) for e in entries)
    assert (first.earlier.first_dated, first.earlier.last_dated) == (dates[0], dates[-1])
    assert dates[0] == date(2015, 8, 31)  # the first indicator reading
    assert first.quiet
    text = " ".join(DigestRenderer(template_environment(), LONDON).render(first).text.split())
    assert (
        f"This is the first digest for Lancashire County Council here: it starts on "
        f"{week.start.day} {week.start:%B %Y}. The {len(entries)} earlier entries recorded "
        "during it but dated before it (31 August 2015 to 17 August 2018) are the history the "
        "ledger already held" in text
    )
    assert "Recorded late" not in text
    assert "nothing was dated in " in text and "recorded during, " not in text
