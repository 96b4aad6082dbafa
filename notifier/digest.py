"""The weekly digest as a typed value: what changed for one authority in one period.

Building it (`notifier.changes`) and rendering it (`notifier.layout`, `notifier.rendering`) are
separate; nothing here knows about Slack, Teams, HTML or where the facts came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from notifier.periods import DigestPeriod


@dataclass(frozen=True)
class Provenance:
    """When an item was true, when and by whom it was recorded, and its source document.

    `late` is set when it was recorded in the period but is dated before it.
    """

    date: date
    recorded_at: datetime
    recorded_by: str
    source: str
    late: bool = False


@dataclass(frozen=True)
class AreaMove:
    """One judgement area of a new inspection, with the grade it replaced."""

    area: str
    label: str
    grade: str
    grade_label: str
    previous_grade: str | None
    previous_grade_label: str | None
    direction: str | None  # improved | declined | unchanged | None (first graded)
    is_sub_judgement: bool = False


@dataclass(frozen=True)
class UngradedArea:
    """An area the previous report graded and the new one does not (e.g. the LSCB review)."""

    area: str
    label: str
    previous_grade_label: str


@dataclass(frozen=True)
class NewJudgement:
    """A newly published inspection and how each area moved."""

    ref: str
    framework: str
    kind: str
    published: date
    overall: AreaMove | None
    has_overall_grade: bool
    areas: tuple[AreaMove, ...]
    no_longer_graded: tuple[UngradedArea, ...]
    report_url: str | None
    seen: Provenance


@dataclass(frozen=True)
class VisitNote:
    """A monitoring visit's letter: its progress statement and the balance of its findings."""

    ref: str
    number: int | None
    first_day: date
    last_day: date
    letter_date: date
    progress_statement: str
    findings: dict[str, int]  # finding kind -> how many
    seen: Provenance


@dataclass(frozen=True)
class DecisionNote:
    """A decision, with its investment as exact money."""

    ref: str
    body: str
    date: date
    title: str
    summary: str
    resolutions: tuple[str, ...]
    investment: Decimal | None
    seen: Provenance


@dataclass(frozen=True)
class InterventionNote:
    """An improvement notice, direction, board, commissioner, or the lifting of one."""

    ref: str
    kind: str
    kind_label: str
    title: str
    by: str
    detail: str
    seen: Provenance


@dataclass(frozen=True)
class RecommendationChange:
    """A recommendation issued, closed or reopened."""

    ref: str
    change: str  # issued | closed | reopened
    text: str
    note: str  # the evidence for closing, the reason for reopening, or the origin when issued
    decided_by: str | None
    seen: Provenance


@dataclass(frozen=True)
class ActionChange:
    """An action planned, completed or cancelled."""

    ref: str
    change: str  # planned | completed | cancelled
    title: str
    owner: str
    due_date: date | None
    note: str
    seen: Provenance


@dataclass(frozen=True)
class RagChange:
    """A progress update that changed an action's RAG rating."""

    ref: str
    title: str
    rag: str
    previous_rag: str | None
    narrative: str
    seen: Provenance


@dataclass(frozen=True)
class DueDateRevision:
    """An action's due date moved, with why and by whose approval."""

    ref: str
    title: str
    previous_due_date: date
    new_due_date: date
    original_due_date: date
    reason: str
    approver: str
    seen: Provenance


@dataclass(frozen=True)
class ActionDue:
    """An open action that is overdue, or due soon, on the digest's reference day."""

    ref: str
    title: str
    owner: str
    due_date: date
    rag: str | None
    days_overdue: int
    slipped: bool


@dataclass(frozen=True)
class AdverseReading:
    """An indicator reading that moved against the indicator's better direction."""

    ref: str
    name: str
    unit: str
    period_end: date
    value: Decimal
    previous_period_end: date
    previous_value: Decimal
    target: Decimal | None
    higher_is_better: bool
    seen: Provenance


@dataclass(frozen=True)
class CorrectionNote:
    """A correction recorded: what it corrects, which fields, and why."""

    corrects: str
    fields: tuple[str, ...]
    reason: str
    seen: Provenance


@dataclass(frozen=True)
class LateEntry:
    """Something recorded in the period but dated before it."""

    kind: str
    title: str
    seen: Provenance


@dataclass(frozen=True)
class ReminderNote:
    """A reminder or escalation the ledger sent in the period."""

    title: str
    summary: str
    seen: Provenance


@dataclass(frozen=True)
class DeadlineNote:
    """A statutory deadline running (or lately passed) on the digest's reference day."""

    title: str
    due: date
    status: str  # upcoming | due_today | passed
    working_days_left: int
    record: str


@dataclass(frozen=True)
class EarlierRecords:
    """What a first digest leaves out: the history the ledger already held when digests began
    (recorded during the period, dated before it), told as one line rather than item by item."""

    count: int
    first_dated: date
    last_dated: date


@dataclass(frozen=True)
class Digest:
    """Everything one authority's digest says about one period."""

    authority: str
    authority_name: str
    period: DigestPeriod
    as_of: date  # the day overdue and due-soon actions are reckoned on
    due_soon_until: date
    generated_at: datetime
    fingerprint: str
    judgements: tuple[NewJudgement, ...] = ()
    visits: tuple[VisitNote, ...] = ()
    decisions: tuple[DecisionNote, ...] = ()
    interventions: tuple[InterventionNote, ...] = ()
    recommendations: tuple[RecommendationChange, ...] = ()
    action_changes: tuple[ActionChange, ...] = ()
    rag_changes: tuple[RagChange, ...] = ()
    revisions: tuple[DueDateRevision, ...] = ()
    overdue: tuple[ActionDue, ...] = ()
    due_soon: tuple[ActionDue, ...] = ()
    adverse_readings: tuple[AdverseReading, ...] = ()
    other_readings: int = 0
    corrections: tuple[CorrectionNote, ...] = ()
    late_entries: tuple[LateEntry, ...] = ()
    reminders: tuple[ReminderNote, ...] = ()
    deadlines: tuple[DeadlineNote, ...] = ()
    events_in_period: int = 0
    #: The first digest of this authority on its channel: it starts at the period's start.
    first: bool = False
    earlier: EarlierRecords | None = None

    @property
    def quiet(self) -> bool:
        """Nothing was dated in, or recorded during, the period."""
        return self.events_in_period == 0
