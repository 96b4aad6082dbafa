"""Gathering what changed for an authority in a period into a `Digest`, from the read side.

An entry belongs to the period when it is dated in it (valid time), or when it was recorded in it
(transaction time) though dated earlier: the latter are "recorded late". When the previous digest
on the same channel is known, entries it already showed (dated in its period and recorded before
it was compiled) are left out, so an entry recorded on a Monday morning before the digest went out
is not told twice.

The first digest on a channel starts at its period's start: what was recorded during the period but
dated before it is the history the ledger already held (a journey loaded at set-up, years of it),
not news, so it is counted in one line instead of listed as dozens of late entries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from ledger.domain.grades import Grade
from notifier.digest import (
    ActionChange,
    ActionDue,
    AdverseReading,
    AreaMove,
    CorrectionNote,
    DeadlineNote,
    DecisionNote,
    Digest,
    DueDateRevision,
    EarlierRecords,
    InterventionNote,
    LateEntry,
    NewJudgement,
    Provenance,
    RagChange,
    RecommendationChange,
    ReminderNote,
    UngradedArea,
    VisitNote,
)
from notifier.periods import DigestPeriod
from projections.actions import DUE_SOON_DAYS
from projections.indicators import movement
from projections.timeline import INTERVENTION_LABELS
from projections.views import JourneyViews

Entry = dict[str, Any]


@dataclass(frozen=True)
class ShownBefore:
    """The previous digest on a channel: its period, and when its contents were read."""

    period: DigestPeriod
    known_at: datetime


def _day(value: str) -> date:
    return date.fromisoformat(value[:10])


def _instant(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _optional_day(value: str | None) -> date | None:
    return _day(value) if value else None


class _Gatherer:
    """One authority's timeline for one period, and the views it needs, read once each."""

    def __init__(
        self,
        views: JourneyViews,
        authority: str,
        period: DigestPeriod,
        zone: ZoneInfo,
        shown_before: ShownBefore | None,
        first: bool = False,
    ) -> None:
        self.views = views
        self.authority = authority
        self.period = period
        self.zone = zone
        self.shown_before = shown_before
        self.first = first
        self.earlier: list[date] = []
        timeline = views.timeline(authority, as_of=period.end)["entries"]
        self.all_entries: list[Entry] = timeline
        self.creations: dict[tuple[str, str], Entry] = {
            (e["kind"], e["ref"]): e
            for e in timeline
            if e["event"].endswith(("Recorded", "Issued", "Planned")) and e["kind"] != "indicator"
        }
        self.entries = [(e, seen) for e in timeline if (seen := self._belongs(e)) is not None]
        self._indicators: dict[str, dict[str, Any]] | None = None

    def _belongs(self, entry: Entry) -> Provenance | None:
        dated = _day(entry["date"])
        recorded_at = _instant(entry["recorded_at"])
        recorded_on = recorded_at.astimezone(self.zone).date()
        late = self.period.contains(recorded_on) and dated < self.period.start
        if not (self.period.contains(dated) or late):
            return None
        if late and self.first:
            self.earlier.append(dated)
            return None
        before = self.shown_before
        if before is not None and recorded_at <= before.known_at and before.period.contains(dated):
            return None
        return Provenance(dated, recorded_at, entry["recorded_by"], entry["source"], late)

    def of(self, *events: str) -> Iterable[tuple[Entry, Provenance]]:
        return ((e, seen) for e, seen in self.entries if e["event"] in events)

    def creation_facts(self, kind: str, ref: str) -> dict[str, Any]:
        found = self.creations.get((kind, ref))
        return dict(found["facts"]) if found else {}

    def action_title(self, ref: str) -> str:
        return str(self.creation_facts("action", ref).get("title") or ref)

    def indicators(self) -> dict[str, dict[str, Any]]:
        if self._indicators is None:
            view = self.views.indicators(self.authority, as_of=self.period.end)
            self._indicators = {i["ref"]: i for i in view["indicators"]}
        return self._indicators

    # -- sections ---------------------------------------------------------------------------

    def judgements(self) -> list[NewJudgement]:
        found = []
        for entry, seen in self.of("InspectionRecorded"):
            facts = entry["facts"]
            published = _day(facts["published"])
            view = self.views.judgements(self.authority, as_of=published)
            inspection = view["inspection"]
            if inspection is not None and inspection["ref"] == entry["ref"]:
                overall = _area_move(view["overall"]) if view["overall"] else None
                areas = tuple(_area_move(a) for a in view["areas"])
                has_overall = bool(view["has_overall_grade"])
            else:  # another report published the same day took precedence in the view
                overall, areas, has_overall = self._moves_without_history(facts)
            found.append(
                NewJudgement(
                    ref=entry["ref"],
                    framework=facts["framework"],
                    kind=facts["kind"],
                    published=published,
                    overall=overall,
                    has_overall_grade=has_overall,
                    areas=areas,
                    no_longer_graded=self._no_longer_graded(published, facts["grades"]),
                    report_url=facts.get("report_url"),
                    seen=seen,
                )
            )
        return found

    def _no_longer_graded(
        self, published: date, grades: dict[str, str]
    ) -> tuple[UngradedArea, ...]:
        before = self.views.judgements(self.authority, as_of=published - timedelta(days=1))
        areas = [before["overall"], *before["areas"]] if before["overall"] else before["areas"]
        return tuple(
            UngradedArea(a["area"], a["label"], a["grade_label"])
            for a in areas
            if a["area"] not in grades
        )

    def _moves_without_history(
        self, facts: dict[str, Any]
    ) -> tuple[AreaMove | None, tuple[AreaMove, ...], bool]:
        framework = self.views.frameworks.get(facts["framework"])
        moves = []
        for area in framework.areas:
            grade = facts["grades"].get(area.key)
            if grade is not None:
                label = Grade(grade).label
                sub = area.parent is not None
                moves.append(AreaMove(area.key, area.label, grade, label, None, None, None, sub))
        overall = next((m for m in moves if m.area == "overall_effectiveness"), None)
        rest = tuple(m for m in moves if m.area != "overall_effectiveness")
        return overall, rest, framework.has_overall_grade

    def visits(self) -> list[VisitNote]:
        return [
            VisitNote(
                ref=e["ref"],
                number=e["facts"].get("number"),
                first_day=_day(e["facts"]["first_day"]),
                last_day=_day(e["facts"]["last_day"]),
                letter_date=_day(e["facts"]["letter_date"]),
                progress_statement=e["facts"]["progress_statement"],
                findings=dict(Counter(f["kind"] for f in e["facts"].get("findings", []))),
                seen=seen,
            )
            for e, seen in self.of("MonitoringVisitRecorded")
        ]

    def decisions(self) -> list[DecisionNote]:
        return [
            DecisionNote(
                ref=e["ref"],
                body=e["facts"]["body"],
                date=_day(e["facts"]["date"]),
                title=e["facts"]["title"],
                summary=e["facts"]["summary"],
                resolutions=tuple(e["facts"].get("resolutions") or ()),
                investment=Decimal(e["facts"]["investment"])
                if e["facts"].get("investment") is not None
                else None,
                seen=seen,
            )
            for e, seen in self.of("DecisionRecorded")
        ]

    def interventions(self) -> list[InterventionNote]:
        return [
            InterventionNote(
                ref=e["ref"],
                kind=e["facts"]["kind"],
                kind_label=INTERVENTION_LABELS.get(e["facts"]["kind"], e["facts"]["kind"]),
                title=e["facts"]["title"],
                by=e["facts"]["by"],
                detail=e["facts"].get("detail") or "",
                seen=seen,
            )
            for e, seen in self.of("InterventionRecorded")
        ]

    def recommendations(self) -> list[RecommendationChange]:
        found = []
        events = ("RecommendationIssued", "RecommendationClosed", "RecommendationReopened")
        for e, seen in self.of(*events):
            facts = e["facts"]
            issued = self.creation_facts("recommendation", e["ref"])
            if e["event"] == "RecommendationIssued":
                origin = f"{facts.get('origin_kind', '')} {facts['origin']}".replace("_", " ")
                change, note, by = "issued", f"From {origin.strip()}", None
            elif e["event"] == "RecommendationClosed":
                change, note, by = "closed", facts["evidence"], facts["decided_by"]
            else:
                change, note, by = "reopened", facts["reason"], facts["decided_by"]
            found.append(
                RecommendationChange(
                    e["ref"], change, issued.get("text", facts.get("text", "")), note, by, seen
                )
            )
        return found

    def action_changes(self) -> list[ActionChange]:
        found = []
        for e, seen in self.of("ActionPlanned", "ActionCompleted", "ActionCancelled"):
            planned = self.creation_facts("action", e["ref"])
            change = {"ActionPlanned": "planned", "ActionCompleted": "completed"}.get(
                e["event"], "cancelled"
            )
            note = e["facts"].get("evidence") or e["facts"].get("reason") or ""
            found.append(
                ActionChange(
                    ref=e["ref"],
                    change=change,
                    title=self.action_title(e["ref"]),
                    owner=planned.get("owner", ""),
                    due_date=_optional_day(planned.get("due_date")),
                    note=note,
                    seen=seen,
                )
            )
        return found

    def rag_changes(self) -> list[RagChange]:
        history: dict[str, list[Entry]] = {}
        for e in self.all_entries:
            if e["event"] == "ActionProgressUpdated":
                history.setdefault(e["ref"], []).append(e)
        found = []
        for e, seen in self.of("ActionProgressUpdated"):
            updates = sorted(history[e["ref"]], key=lambda u: (u["date"], u["recorded_at"]))
            index = updates.index(e)
            previous = updates[index - 1]["facts"]["rag"] if index > 0 else None
            rag = e["facts"]["rag"]
            if rag == previous:
                continue
            title = self.action_title(e["ref"])
            found.append(RagChange(e["ref"], title, rag, previous, e["facts"]["narrative"], seen))
        return found

    def revisions(self) -> list[DueDateRevision]:
        found = []
        for e, seen in self.of("ActionDueDateRevised"):
            planned = self.creation_facts("action", e["ref"])
            facts = e["facts"]
            found.append(
                DueDateRevision(
                    ref=e["ref"],
                    title=self.action_title(e["ref"]),
                    previous_due_date=_day(facts["previous_due_date"]),
                    new_due_date=_day(facts["new_due_date"]),
                    original_due_date=_day(planned.get("due_date", facts["previous_due_date"])),
                    reason=facts["reason"],
                    approver=facts["approver"],
                    seen=seen,
                )
            )
        return found

    def readings(self) -> tuple[list[AdverseReading], int]:
        adverse, others = [], 0
        for e, seen in self.of("IndicatorReadingRecorded"):
            indicator = self.indicators().get(e["ref"])
            reading = _reading_against_direction(indicator, e["facts"]["period_end"], seen)
            if reading is None:
                others += 1
            else:
                adverse.append(reading)
        return adverse, others

    def corrections(self) -> list[CorrectionNote]:
        return [
            CorrectionNote(
                corrects=e["facts"]["corrects"],
                fields=tuple(sorted(e["facts"]["corrected_fields"])),
                reason=e["facts"]["reason"],
                seen=seen,
            )
            for e, seen in self.of("Corrected")
        ]

    def late_entries(self) -> list[LateEntry]:
        return [
            LateEntry(e["kind"], e["title"], seen)
            for e, seen in self.entries
            if seen.late and e["kind"] != "reminder"
        ]

    def reminders(self) -> list[ReminderNote]:
        return [ReminderNote(e["title"], e["summary"], seen) for e, seen in self.of("ReminderSent")]

    def deadlines(self) -> list[DeadlineNote]:
        view = self.views.deadlines(self.authority, as_of=self.period.end)
        return [
            DeadlineNote(
                d["title"], _day(d["due"]), d["status"], d["working_days_left"], d["record"]
            )
            for d in view["deadlines"]
            if d["current"]
        ]


def _reading_against_direction(
    indicator: dict[str, Any] | None, period_end: str, seen: Provenance
) -> AdverseReading | None:
    if indicator is None or indicator["higher_is_better"] is None:
        return None
    readings = indicator["readings"]
    index = next((i for i, r in enumerate(readings) if r["period_end"] == period_end), None)
    if not index:  # not found, or the first reading: nothing to move from
        return None
    now, before = readings[index], readings[index - 1]
    if movement(indicator["higher_is_better"], before["value"], now["value"]) != "worse":
        return None
    return AdverseReading(
        ref=indicator["ref"],
        name=indicator["name"],
        unit=indicator["unit"],
        period_end=_day(now["period_end"]),
        value=Decimal(now["value"]),
        previous_period_end=_day(before["period_end"]),
        previous_value=Decimal(before["value"]),
        target=Decimal(indicator["target"]) if indicator["target"] is not None else None,
        higher_is_better=bool(indicator["higher_is_better"]),
        seen=seen,
    )


def _area_move(area: dict[str, Any]) -> AreaMove:
    return AreaMove(
        area=area["area"],
        label=area["label"],
        grade=area["grade"],
        grade_label=area["grade_label"],
        previous_grade=area["previous_grade"],
        previous_grade_label=area["previous_grade_label"],
        direction=area["direction"],
        is_sub_judgement=area.get("parent") is not None,
    )


def _action_due(action: dict[str, Any]) -> ActionDue:
    return ActionDue(
        ref=action["ref"],
        title=action["title"],
        owner=action["owner"],
        due_date=_day(action["due_date"]),
        rag=action["rag"],
        days_overdue=action["days_overdue"],
        slipped=action["slipped"],
    )


def _by_time(items: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(sorted(items, key=lambda i: (i.seen.date, i.seen.recorded_at)))


def build_digest(
    views: JourneyViews,
    authority: str,
    period: DigestPeriod,
    *,
    now: datetime,
    zone: ZoneInfo,
    fingerprint: Callable[[], str],
    shown_before: ShownBefore | None = None,
    first: bool = False,
) -> Digest:
    """The digest of `authority` for `period`, compiled at `now`; `first` when no digest of
    it went out on the channel before (see the module's docstring).

    Overdue and due-soon actions are reckoned on the period's last day. `fingerprint` is called
    once everything else is read, so the fingerprint printed covers all the digest shows.
    Raises `UnknownAuthority` for an authority the ledger does not hold.
    """
    name = views.authority(authority)["name"]
    gathered = _Gatherer(views, authority, period, zone, shown_before, first)
    tracker = views.actions(authority, as_of=period.end)
    by_ref = {a["ref"]: a for a in tracker["actions"]}
    adverse, other_readings = gathered.readings()
    sections = {
        "judgements": _by_time(gathered.judgements()),
        "visits": _by_time(gathered.visits()),
        "decisions": _by_time(gathered.decisions()),
        "interventions": _by_time(gathered.interventions()),
        "recommendations": _by_time(gathered.recommendations()),
        "action_changes": _by_time(gathered.action_changes()),
        "rag_changes": _by_time(gathered.rag_changes()),
        "revisions": _by_time(gathered.revisions()),
        "adverse_readings": _by_time(adverse),
        "corrections": _by_time(gathered.corrections()),
        "late_entries": _by_time(gathered.late_entries()),
        "reminders": _by_time(gathered.reminders()),
    }
    return Digest(
        authority=authority,
        authority_name=name,
        period=period,
        as_of=period.end,
        due_soon_until=period.end + timedelta(days=DUE_SOON_DAYS),
        generated_at=now,
        fingerprint=fingerprint(),
        overdue=tuple(_action_due(by_ref[ref]) for ref in tracker["overdue"]),
        due_soon=tuple(_action_due(by_ref[ref]) for ref in tracker["due_soon"]),
        other_readings=other_readings,
        deadlines=tuple(gathered.deadlines()),
        events_in_period=len(gathered.entries),
        first=first,
        earlier=(
            EarlierRecords(len(gathered.earlier), min(gathered.earlier), max(gathered.earlier))
            if gathered.earlier
            else None
        ),
        **sections,
    )
