"""What a digest gathers from the ledger: every kind of change in a period, late entries and
corrections, and nothing told twice by consecutive digests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from entrypoints.bootstrap import Services
from notifier.changes import ShownBefore
from notifier.periods import DigestPeriod
from tests.conftest import Clock
from tests.factories import progress, record
from tests.integration.notifier.digest_journey import (
    BUSY_WEEK,
    LONDON,
    before_the_week,
    compile_digest,
    line,
    the_week,
)


def test_a_busy_week_tells_every_kind_of_change(services: Services) -> None:
    record(services.ledger, *before_the_week())
    record(services.ledger, *the_week())
    digest = compile_digest(services, BUSY_WEEK)

    (judgement,) = digest.judgements
    assert judgement.overall is not None and judgement.overall.direction == "improved"
    assert judgement.report_url == "https://reports.example.org/testshire-2018.pdf"
    (visit,) = digest.visits
    assert (visit.number, visit.progress_statement) == (
        7,
        "The local authority is making steady progress.",
    )
    assert visit.findings == {"strength": 1, "concern": 1}
    (decision,) = digest.decisions
    assert decision.investment == Decimal("1234567.89")
    (intervention,) = digest.interventions
    assert intervention.kind_label == "Improvement notice"
    assert [(r.ref, r.change) for r in digest.recommendations] == [("rec-1", "closed")]
    assert digest.recommendations[0].text == "Improve supervision."
    # Amber -> red is a change; red -> red two days later is not.
    ((rag),) = digest.rag_changes
    assert (rag.ref, rag.previous_rag, rag.rag) == ("act-caseloads", "amber", "red")
    assert rag.narrative == "Agency staff left; caseloads rose to 28."
    (revision,) = digest.revisions
    assert (revision.previous_due_date, revision.new_due_date, revision.approver) == (
        date(2018, 9, 1),
        date(2018, 10, 31),
        "Improvement board",
    )
    # As at Sunday 16 September: act-overdue (due 3 Sep) is overdue; act-soon (25 Sep) is due soon.
    assert [(a.ref, a.days_overdue) for a in digest.overdue] == [("act-overdue", 13)]
    assert [a.ref for a in digest.due_soon] == ["act-soon"]
    # Return home interviews fell (higher is better); children looked after has no direction.
    (reading,) = digest.adverse_readings
    assert (reading.ref, reading.previous_value, reading.value) == ("rhi", Decimal(71), Decimal(64))
    assert digest.other_readings == 1
    (correction,) = digest.corrections
    assert (correction.corrects, correction.fields) == ("inspection/insp-2015", ("report_url",))
    assert digest.late_entries == ()
    assert not digest.quiet


def test_an_entry_recorded_in_the_period_but_dated_before_it_is_recorded_late(
    services: Services, clock: Clock
) -> None:
    clock.today = datetime.now(LONDON).date()
    this_week = DigestPeriod.days_before(clock.today + timedelta(days=1))
    record(services.ledger, *before_the_week())
    # Recorded today, about a day in 2018: late for this week's digest.
    record(services.ledger, progress("act-caseloads", "2018-09-12", "red", "Back-filled."))
    digest = compile_digest(services, this_week)
    late = [e for e in digest.late_entries if e.seen.date == date(2018, 9, 12)]
    assert [e.title for e in late] == ["Progress on action act-caseloads: RED"]
    assert late[0].seen.late and late[0].seen.date == date(2018, 9, 12)
    (rag,) = [r for r in digest.rag_changes if r.seen.date == date(2018, 9, 12)]
    assert rag.seen.late and rag.previous_rag == "amber"
    # The week it is dated in tells it too (as an ordinary entry).
    assert [r.ref for r in compile_digest(services, BUSY_WEEK).rag_changes] == ["act-caseloads"]


def test_what_the_previous_digest_told_is_not_told_again(services: Services, clock: Clock) -> None:
    clock.today = datetime.now(LONDON).date()
    this_week = DigestPeriod.days_before(clock.today + timedelta(days=1))
    last_week = DigestPeriod(
        this_week.start - timedelta(days=7), this_week.start - timedelta(days=1)
    )
    record(services.ledger, *before_the_week())
    # Dated in last week's period, recorded now (in this week's): late for this week...
    record(
        services.ledger,
        line("IndicatorReadingRecorded", "rhi", period_end=last_week.end.isoformat(), value="50"),
    )

    def late_readings(shown_before: ShownBefore | None) -> list[date]:
        digest = compile_digest(services, this_week, shown_before=shown_before)
        return [e.seen.date for e in digest.late_entries if e.seen.date == last_week.end]

    assert late_readings(None) == [last_week.end]
    # ... unless last week's digest, compiled after it was recorded, already told it.
    assert late_readings(ShownBefore(last_week, datetime.now(UTC))) == []
    # A digest compiled before it was recorded did not tell it: it stays.
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    assert late_readings(ShownBefore(last_week, an_hour_ago)) == [last_week.end]


def test_a_week_with_nothing_dated_or_recorded_in_it_is_quiet(services: Services) -> None:
    record(services.ledger, *before_the_week())
    digest = compile_digest(services, DigestPeriod(date(2018, 3, 5), date(2018, 3, 11)))
    assert digest.quiet
    assert digest.events_in_period == 0
    # Standing reminders are still there, but nothing that happened.
    assert digest.rag_changes == () and digest.judgements == ()
