"""The digest laid out as headed sections of plain sentences, worded once for every format.

Text, HTML, Slack and Teams all render this layout, so they say the same things in the same
words; each format only escapes and arranges. Strings here are plain text (never markup).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from notifier.digest import (
    ActionDue,
    AdverseReading,
    DeadlineNote,
    Digest,
    NewJudgement,
    Provenance,
)
from notifier.periods import long_date
from projections.timeline import money

DIRECTION_WORDS = {"improved": "improved", "declined": "declined", "unchanged": "no change"}
RAG_LABELS = {"red": "Red", "amber": "Amber", "green": "Green"}
FINDING_WORDS = {
    "strength": ("strength", "strengths"),
    "improvement": ("improvement", "improvements"),
    "concern": ("concern", "concerns"),
    "decline": ("decline", "declines"),
}
KIND_WORDS = {
    "single_inspection": "Single inspection",
    "re_inspection": "Re-inspection",
    "standard": "Standard inspection",
    "short": "Short inspection",
}


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Table:
    """A small table (the judgement areas of a new report)."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Item:
    """One thing to tell: a sentence, optional detail lines, a table, a link and a note."""

    text: str
    details: tuple[str, ...] = ()
    table: Table | None = None
    link: Link | None = None
    note: str | None = None

    def lines(self) -> list[str]:
        """The item as plain lines (text, details, table rows, note, link), for budgets."""
        lines = [self.text, *self.details]
        if self.table is not None:
            lines += [" | ".join(row) for row in self.table.rows]
        if self.note:
            lines.append(self.note)
        if self.link:
            lines.append(f"{self.link.label}: {self.link.url}")
        return lines


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    items: tuple[Item, ...] = ()
    intro: str | None = None


@dataclass(frozen=True)
class DigestLayout:
    """Everything a renderer needs, worded."""

    subject: str
    title: str
    period_line: str
    quiet_line: str | None
    #: On a first digest: where it starts, and the history it does not list.
    first_line: str | None
    sections: tuple[Section, ...]
    fingerprint: str
    verify_hint: str
    verify_command: str
    compiled_line: str
    web_url: str | None

    @property
    def web_link(self) -> Link | None:
        return Link("Open this digest in the ledger", self.web_url) if self.web_url else None


def _day(value: date) -> str:
    return long_date(value)


def _late_note(seen: Provenance, zone: ZoneInfo) -> str | None:
    if not seen.late:
        return None
    recorded = seen.recorded_at.astimezone(zone).date()
    return f"Recorded late: on {_day(recorded)}, for {_day(seen.date)} (by {seen.recorded_by})."


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def value_with_unit(value: Decimal, unit: str) -> str:
    """A reading as people write it: `71%`, `12 days`, `1,853`."""
    number = f"{value:,f}" if value != value.to_integral_value() else f"{value:,.0f}"
    if unit == "percent":
        return f"{number}%"
    if unit == "days":
        return f"{number} {'day' if value == 1 else 'days'}"
    return number


def _judgement_item(j: NewJudgement, zone: ZoneInfo) -> Item:
    kind = KIND_WORDS.get(j.kind, j.kind.replace("_", " ").capitalize())
    if j.overall is not None:
        o = j.overall
        if o.previous_grade_label is None:
            verdict = f"overall effectiveness {o.grade_label}"
        elif o.direction == "unchanged":
            verdict = f"overall effectiveness stays {o.grade_label}"
        else:
            verdict = (
                f"overall effectiveness {DIRECTION_WORDS[o.direction or 'unchanged']} from "
                f"{o.previous_grade_label} to {o.grade_label}"
            )
    elif not j.has_overall_grade:
        verdict = "no overall effectiveness grade under this framework"
    else:
        verdict = "no overall effectiveness grade given"
    rows = []
    for area in ([j.overall] if j.overall else []) + list(j.areas):
        label = f"- {area.label}" if area.is_sub_judgement else area.label
        before = area.previous_grade_label or "Not graded before"
        direction = DIRECTION_WORDS.get(area.direction or "", "first graded")
        rows.append((label, before, area.grade_label, direction))
    details = tuple(
        f"No longer graded: {a.label} (was {a.previous_grade_label})." for a in j.no_longer_graded
    )
    return Item(
        text=f"{kind} report ({j.framework}) published {_day(j.published)}: {verdict}.",
        details=details,
        table=Table(f"Judgements of {j.ref}", ("Area", "Before", "Now", "Direction"), tuple(rows)),
        link=Link("Read the report", j.report_url) if j.report_url else None,
        note=_late_note(j.seen, zone),
    )


def _due_item(action: ActionDue, overdue: bool) -> Item:
    if overdue:
        lead = f"Overdue by {_plural(action.days_overdue, 'day', 'days')}"
    else:
        lead = f"Due {_day(action.due_date)}"
    facts = [f"Owner {action.owner}"]
    if overdue:
        facts.append(f"due {_day(action.due_date)}")
    if action.rag:
        facts.append(f"latest RAG {RAG_LABELS.get(action.rag, action.rag)}")
    if action.slipped:
        facts.append("its due date has been moved before")
    return Item(f"{lead}: {action.title} ({action.ref}).", details=("; ".join(facts) + ".",))


def _reading_item(r: AdverseReading, zone: ZoneInfo) -> Item:
    way = "down" if r.higher_is_better else "up"
    better = "higher is better" if r.higher_is_better else "lower is better"
    target = f"; target {value_with_unit(r.target, r.unit)}" if r.target is not None else ""
    return Item(
        f"{r.name}: {value_with_unit(r.value, r.unit)} for the period ending "
        f"{_day(r.period_end)}, {way} from {value_with_unit(r.previous_value, r.unit)} "
        f"({_day(r.previous_period_end)}).",
        details=(f"{better.capitalize()}{target}.",),
        note=_late_note(r.seen, zone),
    )


def _sections(d: Digest, zone: ZoneInfo) -> Iterable[Section]:
    if d.judgements:
        yield Section(
            "judgements",
            "New inspection judgements",
            tuple(_judgement_item(j, zone) for j in d.judgements),
        )
    if d.visits:
        items = []
        for v in d.visits:
            number = f" {v.number}" if v.number else ""
            findings = ", ".join(
                _plural(count, *FINDING_WORDS.get(kind, (kind, kind)))
                for kind, count in sorted(v.findings.items())
            )
            items.append(
                Item(
                    f"Monitoring visit{number}: letter of {_day(v.letter_date)} "
                    f"(on site {_day(v.first_day)} to {_day(v.last_day)}).",
                    details=(
                        f"Progress: “{v.progress_statement}”",
                        *([f"Findings: {findings}."] if findings else []),
                    ),
                    note=_late_note(v.seen, zone),
                )
            )
        yield Section("visits", "Monitoring visits", tuple(items))
    if d.decisions:
        yield Section(
            "decisions",
            "Decisions",
            tuple(
                Item(
                    f"{x.body}, {_day(x.date)}: {x.title}."
                    + (f" Investment: {money(str(x.investment))}." if x.investment else ""),
                    details=(x.summary, *(f"Resolved: {r}" for r in x.resolutions)),
                    note=_late_note(x.seen, zone),
                )
                for x in d.decisions
            ),
        )
    if d.interventions:
        yield Section(
            "interventions",
            "Interventions",
            tuple(
                Item(
                    f"{i.kind_label}, {_day(i.seen.date)}: {i.title} (by {i.by}).",
                    details=(i.detail,) if i.detail else (),
                    note=_late_note(i.seen, zone),
                )
                for i in d.interventions
            ),
        )
    if d.recommendations:
        items = []
        for r in d.recommendations:
            text = f"{r.change.capitalize()} {_day(r.seen.date)} ({r.ref}): {r.text}"
            if r.change == "issued":
                details: tuple[str, ...] = (f"{r.note}.",)
            else:
                what = "Evidence" if r.change == "closed" else "Reason"
                details = (f"{what}: {r.note} (decided by {r.decided_by}).",)
            items.append(Item(text, details, note=_late_note(r.seen, zone)))
        yield Section("recommendations", "Recommendations opened and closed", tuple(items))
    if d.action_changes:
        items = []
        for a in d.action_changes:
            if a.change == "planned":
                due = f"; due {_day(a.due_date)}" if a.due_date else ""
                details = (f"Owner {a.owner}{due}.",)
            else:
                details = (a.note,) if a.note else ()
            text = f"{a.change.capitalize()} {_day(a.seen.date)} ({a.ref}): {a.title}."
            items.append(Item(text, details, note=_late_note(a.seen, zone)))
        yield Section("actions", "Improvement-plan actions", tuple(items))
    if d.rag_changes:
        yield Section(
            "rag",
            "RAG changes",
            tuple(
                Item(
                    f"{r.title} ({r.ref}): now {RAG_LABELS.get(r.rag, r.rag)}, "
                    + (
                        f"was {RAG_LABELS.get(r.previous_rag, r.previous_rag)}"
                        if r.previous_rag
                        else "its first rating"
                    )
                    + f" ({_day(r.seen.date)}).",
                    details=(r.narrative,),
                    note=_late_note(r.seen, zone),
                )
                for r in d.rag_changes
            ),
        )
    if d.revisions:
        yield Section(
            "revisions",
            "Due dates revised",
            tuple(
                Item(
                    f"{r.title} ({r.ref}): due {_day(r.new_due_date)}, moved from "
                    f"{_day(r.previous_due_date)} on {_day(r.seen.date)}"
                    + (
                        f" (originally due {_day(r.original_due_date)})."
                        if r.original_due_date != r.previous_due_date
                        else "."
                    ),
                    details=(f"Reason: {r.reason}", f"Approved by {r.approver}."),
                    note=_late_note(r.seen, zone),
                )
                for r in d.revisions
            ),
        )
    heading = f"Actions overdue or due soon (as at {_day(d.as_of)})"
    due_items = tuple(_due_item(a, True) for a in d.overdue) + tuple(
        _due_item(a, False) for a in d.due_soon
    )
    if due_items:
        yield Section("due", heading, due_items)
    elif not d.quiet:
        yield Section(
            "due", heading, intro=f"No open action is overdue or due by {_day(d.due_soon_until)}."
        )
    if d.adverse_readings or (d.other_readings and not d.quiet):
        others = (
            f"{_plural(d.other_readings, 'other reading', 'other readings')} recorded "
            "did not move the wrong way."
            if d.other_readings
            else None
        )
        yield Section(
            "indicators",
            "Indicators moving the wrong way",
            tuple(_reading_item(r, zone) for r in d.adverse_readings),
            intro=others,
        )
    if d.corrections or d.late_entries:
        items = [
            Item(
                f"Correction to {c.corrects.replace('/', ' ').replace('_', ' ')}: "
                f"{', '.join(f.replace('_', ' ') for f in c.fields)} corrected.",
                details=(f"Reason: {c.reason}",),
                note=f"Recorded {_day(c.seen.recorded_at.astimezone(zone).date())} "
                f"by {c.seen.recorded_by}.",
            )
            for c in d.corrections
        ]
        items += [
            Item(
                f"Recorded late: {e.title}",
                details=(
                    f"Dated {_day(e.seen.date)}; recorded "
                    f"{_day(e.seen.recorded_at.astimezone(zone).date())} by {e.seen.recorded_by}.",
                ),
            )
            for e in d.late_entries
        ]
        yield Section("corrections", "Corrections and late entries", tuple(items))
    if d.reminders:
        yield Section(
            "reminders",
            "Reminders and escalations sent",
            tuple(
                Item(f"{_day(r.seen.date)}: {r.title}.", details=(r.summary,)) for r in d.reminders
            ),
        )
    if d.deadlines:
        yield Section(
            "deadlines",
            "Statutory deadlines",
            tuple(_deadline_item(x) for x in d.deadlines),
        )


def _deadline_item(deadline: DeadlineNote) -> Item:
    if deadline.status == "passed":
        when = _plural(-deadline.working_days_left, "working day", "working days") + " ago"
        text = f"{deadline.title}: was due {_day(deadline.due)} ({when})."
    elif deadline.status == "due_today":
        text = f"{deadline.title}: due today, {_day(deadline.due)}."
    else:
        left = _plural(deadline.working_days_left, "working day", "working days")
        text = f"{deadline.title}: due {_day(deadline.due)} ({left} left)."
    return Item(text, details=(f"The clock started with {deadline.record}.",))


def _first_line(digest: Digest) -> str | None:
    if not digest.first:
        return None
    line = (
        f"This is the first digest for {digest.authority_name} here: it starts on "
        f"{_day(digest.period.start)}."
    )
    earlier = digest.earlier
    if earlier is None:
        return line
    span = (
        _day(earlier.first_dated)
        if earlier.first_dated == earlier.last_dated
        else f"{_day(earlier.first_dated)} to {_day(earlier.last_dated)}"
    )
    return (
        f"{line} The {_plural(earlier.count, 'earlier entry', 'earlier entries')} recorded "
        f"during it but dated before it ({span}) are the history the ledger already held, so "
        "they are not listed one by one: the timeline shows them."
    )


def lay_out(digest: Digest, zone: ZoneInfo, web_url: str | None = None) -> DigestLayout:
    """Word the digest for people, in the council's time zone."""
    period = digest.period
    week = f" ({period.week_label})" if period.week_label else ""
    span = "week" if period.days == 7 else "period"
    # A first digest's earlier entries were recorded during it: only the dates make it quiet.
    during = "dated in" if digest.earlier else "dated in, or recorded during,"
    quiet = (
        f"A quiet {span}: nothing was {during} {period.label()} for {digest.authority_name}."
        if digest.quiet
        else None
    )
    compiled = digest.generated_at.astimezone(zone)
    return DigestLayout(
        subject=f"{digest.authority_name}: improvement digest, {period.label()}",
        title=f"{digest.authority_name}: improvement digest",
        period_line=f"{period.label()}{week}",
        quiet_line=quiet,
        first_line=_first_line(digest),
        sections=tuple(_sections(digest, zone)),
        fingerprint=digest.fingerprint,
        verify_hint=(
            "To check that the history this digest reports has not been altered since, run:"
        ),
        verify_command=f"ledger verify --fingerprint {digest.fingerprint}",
        compiled_line=(
            f"Compiled {_day(compiled.date())} at {compiled:%H:%M} ({zone.key}) "
            "from the improvement-journey ledger."
        ),
        web_url=web_url,
    )
