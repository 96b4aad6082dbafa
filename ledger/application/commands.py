"""Commands: what a client asks the ledger to record, as plain validated data.

One command class per event of the domain page; the import file's `"type"` is the name of the
event it records. `authority` is the authority's slug, `id` the client's stable id of the record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ledger.domain.grades import (
    ComparisonSeries,
    FindingKind,
    Grade,
    IndicatorUnit,
    InterventionKind,
    Rag,
)


@dataclass(frozen=True)
class Finding:
    """One finding of a monitoring visit's letter."""

    kind: FindingKind
    text: str


@dataclass(frozen=True)
class Command:
    """Fields every command has besides its own."""

    authority: str
    id: str
    source: str


@dataclass(frozen=True)
class RegisterAuthority:
    id: str
    name: str
    source: str
    code: str | None = None
    region: str | None = None

    @property
    def authority(self) -> str:
        return self.id


@dataclass(frozen=True)
class ReorganiseAuthority:
    """The authority `authority` ceased to exist on `date`; `successors` took its area."""

    authority: str
    date: dt.date
    successors: list[str]
    source: str


@dataclass(frozen=True)
class RecordInspection(Command):
    framework: str
    kind: str
    published: dt.date
    grades: dict[str, Grade]
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    report_url: str | None = None


@dataclass(frozen=True)
class IssueRecommendation(Command):
    origin: str
    text: str
    area: str | None = None


@dataclass(frozen=True)
class CloseRecommendation(Command):
    date: dt.date
    evidence: str
    decided_by: str
    expected_version: int | None = None


@dataclass(frozen=True)
class ReopenRecommendation(Command):
    date: dt.date
    reason: str
    decided_by: str
    expected_version: int | None = None


@dataclass(frozen=True)
class RecordMonitoringVisit(Command):
    first_day: dt.date
    last_day: dt.date
    letter_date: dt.date
    progress_statement: str
    number: int | None = None
    areas_covered: list[str] = field(default_factory=list)
    inspectors: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class RecordDecision(Command):
    body: str
    date: dt.date
    title: str
    summary: str = ""
    resolutions: list[str] = field(default_factory=list)
    investment: Decimal | None = None


@dataclass(frozen=True)
class RecordIntervention(Command):
    kind: InterventionKind
    date: dt.date
    title: str
    by: str
    detail: str = ""
    lifts: str | None = None


@dataclass(frozen=True)
class PlanAction(Command):
    date: dt.date
    title: str
    owner: str
    due_date: dt.date
    answers: list[str]
    #: The person (of the same authority) it is assigned to: recorded as `ActionAssigned`.
    person: str | None = None


@dataclass(frozen=True)
class AssignAction(Command):
    """Make the person `person` the owner of action `id` (free-text owners stay as planned)."""

    person: str
    date: dt.date | None = None
    expected_version: int | None = None


@dataclass(frozen=True)
class UpdateActionProgress(Command):
    date: dt.date
    rag: Rag
    narrative: str
    evidence: list[str] = field(default_factory=list)
    expected_version: int | None = None


@dataclass(frozen=True)
class ReviseActionDueDate(Command):
    date: dt.date
    new_due_date: dt.date
    reason: str
    approver: str
    expected_version: int | None = None


@dataclass(frozen=True)
class CompleteAction(Command):
    date: dt.date
    evidence: str
    expected_version: int | None = None


@dataclass(frozen=True)
class CancelAction(Command):
    date: dt.date
    reason: str
    expected_version: int | None = None


@dataclass(frozen=True)
class DefineIndicator(Command):
    name: str
    unit: IndicatorUnit
    higher_is_better: bool | None = None
    target: Decimal | None = None


@dataclass(frozen=True)
class RecordIndicatorReading(Command):
    period_end: dt.date
    value: Decimal
    note: str = ""


@dataclass(frozen=True)
class RecordIndicatorComparison(Command):
    """England's, the region's or the statistical neighbours' figure for indicator `id`."""

    series: ComparisonSeries
    period_end: dt.date
    value: Decimal


@dataclass(frozen=True)
class AddPerson(Command):
    """Someone who owns actions or is told about them; `id` is their stable id."""

    name: str
    email: str
    title: str | None = None
    manager: str | None = None
    roles: list[str] = field(default_factory=list)
    account: str | None = None
    digest: bool = False
    date: dt.date | None = None


@dataclass(frozen=True)
class UpdatePerson(Command):
    """Change some of a person's details: `changes` maps field names of `AddPerson` (name,
    email, title, manager, roles, account, digest) to their new values (null clears one)."""

    changes: dict[str, Any]
    date: dt.date | None = None
    expected_version: int | None = None


@dataclass(frozen=True)
class RecordPersonLeft(Command):
    """The person left (reminders to them stop; their actions stay theirs until reassigned)."""

    date: dt.date | None = None
    reason: str = ""
    expected_version: int | None = None


@dataclass(frozen=True)
class Correct(Command):
    """Correct fields of an earlier record; `record` is its kind (e.g. `inspection`)."""

    record: str
    fields: dict[str, Any]
    reason: str
    date: dt.date | None = None
    expected_version: int | None = None


# The import file's "type" for each command: the name of the event it records.
COMMAND_TYPES: dict[str, type[Any]] = {
    "AuthorityRegistered": RegisterAuthority,
    "AuthorityReorganised": ReorganiseAuthority,
    "InspectionRecorded": RecordInspection,
    "RecommendationIssued": IssueRecommendation,
    "RecommendationClosed": CloseRecommendation,
    "RecommendationReopened": ReopenRecommendation,
    "MonitoringVisitRecorded": RecordMonitoringVisit,
    "DecisionRecorded": RecordDecision,
    "InterventionRecorded": RecordIntervention,
    "ActionPlanned": PlanAction,
    "ActionProgressUpdated": UpdateActionProgress,
    "ActionDueDateRevised": ReviseActionDueDate,
    "ActionCompleted": CompleteAction,
    "ActionCancelled": CancelAction,
    "ActionAssigned": AssignAction,
    "PersonAdded": AddPerson,
    "PersonUpdated": UpdatePerson,
    "PersonLeft": RecordPersonLeft,
    "IndicatorDefined": DefineIndicator,
    "IndicatorReadingRecorded": RecordIndicatorReading,
    "IndicatorComparisonRecorded": RecordIndicatorComparison,
    "Corrected": Correct,
}
COMMAND_NAMES = {cls: name for name, cls in COMMAND_TYPES.items()}

# The command that creates each kind of record: a correction's fields are parsed by its types.
CREATING_COMMANDS: dict[str, type[Any]] = {
    "authority": RegisterAuthority,
    "inspection": RecordInspection,
    "recommendation": IssueRecommendation,
    "monitoring_visit": RecordMonitoringVisit,
    "decision": RecordDecision,
    "intervention": RecordIntervention,
    "action": PlanAction,
    "indicator": DefineIndicator,
    "person": AddPerson,
}
