"""Command handlers: each checks a command against the records it touches and raises one event.

Handlers work on a `Batch` of loaded records so a whole import file is checked against the state it
builds up line by line, and saved (or not) as one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from typing import Any, NamedTuple, TypeVar
from uuid import UUID

from ledger.application.commands import (
    AddPerson,
    AssignAction,
    CancelAction,
    CloseRecommendation,
    CompleteAction,
    Correct,
    DefineIndicator,
    IssueRecommendation,
    PlanAction,
    RecordDecision,
    RecordIndicatorComparison,
    RecordIndicatorReading,
    RecordInspection,
    RecordIntervention,
    RecordMonitoringVisit,
    RecordPersonLeft,
    RegisterAuthority,
    ReopenRecommendation,
    ReorganiseAuthority,
    ReviseActionDueDate,
    UpdateActionProgress,
    UpdatePerson,
)
from ledger.domain.actions import Action
from ledger.domain.authorities import Authority
from ledger.domain.decisions import Decision, check_investment
from ledger.domain.errors import (
    ConcurrentUpdateConflict,
    InvalidCommand,
    RecordAlreadyExists,
    UnknownRecord,
)
from ledger.domain.frameworks import FrameworkCatalogue
from ledger.domain.indicators import Indicator
from ledger.domain.inspections import Inspection
from ledger.domain.interventions import Intervention
from ledger.domain.kinds import RECORD_CLASSES
from ledger.domain.meta import EventMeta
from ledger.domain.people import Person, check_email, check_manager_chain, check_roles
from ledger.domain.recommendations import Recommendation
from ledger.domain.records import LedgerAggregate, record_id
from ledger.domain.visits import MonitoringVisit, check_visit

A = TypeVar("A", bound=LedgerAggregate)


class Batch:
    """The records one batch of commands reads and changes, each loaded once."""

    def __init__(self, load: Callable[[UUID], LedgerAggregate | None]) -> None:
        self._load = load
        self._records: dict[UUID, LedgerAggregate | None] = {}

    def get(self, cls: type[A], authority: str, ref: str) -> A | None:
        aggregate_id = record_id(cls.KIND, authority, ref)
        if aggregate_id not in self._records:
            self._records[aggregate_id] = self._load(aggregate_id)
        found = self._records[aggregate_id]
        if found is not None and not isinstance(found, cls):
            raise UnknownRecord(f"{ref!r} is not a {cls.KIND.replace('_', ' ')}")
        return found

    def require(self, cls: type[A], authority: str, ref: str, field: str = "id") -> A:
        found = self.get(cls, authority, ref)
        if found is None:
            raise UnknownRecord(
                f"no {cls.KIND.replace('_', ' ')} {ref!r} is recorded for {authority!r}", field
            )
        return found

    def add(self, record: LedgerAggregate) -> None:
        self._records[record.id] = record

    def find(self, aggregate_id: UUID) -> LedgerAggregate | None:
        """The record with this id, whatever its kind, or None."""
        if aggregate_id not in self._records:
            self._records[aggregate_id] = self._load(aggregate_id)
        return self._records[aggregate_id]

    def pending_events(self, aggregate_id: UUID) -> list[Any]:
        """The events this batch has raised on the record with this id (none if no record)."""
        record = self._records.get(aggregate_id)
        return list(record.pending_events) if record is not None else []

    def pending(self, aggregate_id: UUID) -> int:
        """How many events this batch has raised on the record with this id."""
        record = self._records.get(aggregate_id)
        return len(record.pending_events) if record is not None else 0

    def changed(self) -> list[LedgerAggregate]:
        return [r for r in self._records.values() if r is not None and r.pending_events]


class CountingBatch(Batch):
    """A batch that can say how many events the last command added, looking only at the
    records that command touched (so counting every command of a batch stays linear)."""

    def __init__(self, load: Callable[[UUID], LedgerAggregate | None]) -> None:
        super().__init__(load)
        self._touched: set[UUID] = set()
        self._pending: dict[UUID, int] = {}

    def get(self, cls: type[A], authority: str, ref: str) -> A | None:
        self._touched.add(record_id(cls.KIND, authority, ref))
        return super().get(cls, authority, ref)

    def add(self, record: LedgerAggregate) -> None:
        self._touched.add(record.id)
        super().add(record)

    def new_events(self) -> int:
        """How many events were added since the last call."""
        added = 0
        for aggregate_id in self._touched:
            record = self._records.get(aggregate_id)
            now = len(record.pending_events) if record is not None else 0
            added += now - self._pending.get(aggregate_id, 0)
            self._pending[aggregate_id] = now
        self._touched.clear()
        return added


class Context(NamedTuple):
    """What a handler knows besides the command: set by the system, never by the client.

    (Immutable like a frozen dataclass, and made for every command: a tuple is cheaper to make.)
    """

    frameworks: FrameworkCatalogue
    actor: str
    command_id: str
    today: date

    def meta(self, command: Any, effective_date: date, field: str = "date") -> EventMeta:
        """The event's metadata; `field` names the command field the effective date came from."""
        if effective_date > self.today:
            raise InvalidCommand(
                f"{effective_date.isoformat()} is in the future; the ledger records what happened",
                field=field,
            )
        return EventMeta(
            authority=command.authority,
            effective_date=effective_date,
            source=command.source,
            recorded_by=self.actor,
            command_id=self.command_id,
        )


def _already_created(record: LedgerAggregate | None, ctx: Context, what: str) -> bool:
    """True if this very command created `record` before; raises if another command did."""
    if record is None:
        return False
    if record.has_applied(ctx.command_id):
        return True
    raise RecordAlreadyExists(
        f"{what} is already recorded with different details; record a correction to change it",
        field="id",
    )


def _check_expected_version(record: LedgerAggregate, expected: int | None) -> None:
    if expected is not None and record.version != expected:
        raise ConcurrentUpdateConflict(
            f"{record.KIND.replace('_', ' ')} {getattr(record, 'ref', '')!r} was changed by "
            f"someone else since you opened it (version {record.version}, you saw {expected}); "
            "nothing of yours was saved: reload it and try again"
        )


def _authority(batch: Batch, command: Any) -> Authority:
    return batch.require(Authority, command.authority, command.authority, field="authority")


def register_authority(batch: Batch, c: RegisterAuthority, ctx: Context) -> None:
    if _already_created(batch.get(Authority, c.id, c.id), ctx, f"authority {c.id!r}"):
        return
    batch.add(
        Authority(slug=c.id, name=c.name, code=c.code, region=c.region, meta=ctx.meta(c, ctx.today))
    )


def reorganise_authority(batch: Batch, c: ReorganiseAuthority, ctx: Context) -> None:
    authority = _authority(batch, c)
    if authority.has_applied(ctx.command_id):
        return
    if not c.successors:
        raise InvalidCommand("name the authorities that took its area", field="successors")
    for successor in c.successors:
        batch.require(Authority, successor, successor, field="successors")
    authority.reorganise(list(c.successors), ctx.meta(c, c.date))


def record_inspection(batch: Batch, c: RecordInspection, ctx: Context) -> None:
    _authority(batch, c)
    existing = batch.get(Inspection, c.authority, c.id)
    if _already_created(existing, ctx, f"inspection {c.id!r}"):
        return
    framework = ctx.frameworks.get(c.framework)
    # A date in the future is the first thing wrong with it, whatever its framework.
    meta = ctx.meta(c, c.published, field="published")
    Inspection.check(framework, c.kind, c.first_day, c.last_day, c.published, c.grades)
    batch.add(
        Inspection(
            ref=c.id,
            framework=c.framework,
            kind=c.kind,
            first_day=c.first_day,
            last_day=c.last_day,
            published=c.published,
            grades=dict(c.grades),
            report_url=c.report_url,
            meta=meta,
        )
    )


def issue_recommendation(batch: Batch, c: IssueRecommendation, ctx: Context) -> None:
    _authority(batch, c)
    if _already_created(
        batch.get(Recommendation, c.authority, c.id), ctx, f"recommendation {c.id!r}"
    ):
        return
    inspection = batch.get(Inspection, c.authority, c.origin)
    visit = None if inspection else batch.get(MonitoringVisit, c.authority, c.origin)
    if inspection is not None:
        issued, origin_kind = inspection.published, Inspection.KIND
        if c.area is not None:
            ctx.frameworks.get(inspection.framework).area(c.area)
    elif visit is not None:
        issued, origin_kind = visit.letter_date, MonitoringVisit.KIND
    else:
        raise UnknownRecord(
            f"no inspection or monitoring visit {c.origin!r} is recorded for {c.authority!r}",
            field="origin",
        )
    batch.add(
        Recommendation(
            ref=c.id,
            origin=c.origin,
            origin_kind=origin_kind,
            text=c.text,
            area=c.area,
            meta=ctx.meta(c, issued),
        )
    )


def close_recommendation(batch: Batch, c: CloseRecommendation, ctx: Context) -> None:
    recommendation = batch.require(Recommendation, c.authority, c.id)
    if recommendation.has_applied(ctx.command_id):
        return
    _check_expected_version(recommendation, c.expected_version)
    recommendation.close(c.date, c.evidence, c.decided_by, ctx.meta(c, c.date))


def reopen_recommendation(batch: Batch, c: ReopenRecommendation, ctx: Context) -> None:
    recommendation = batch.require(Recommendation, c.authority, c.id)
    if recommendation.has_applied(ctx.command_id):
        return
    _check_expected_version(recommendation, c.expected_version)
    recommendation.reopen(c.reason, c.decided_by, ctx.meta(c, c.date))


def record_monitoring_visit(batch: Batch, c: RecordMonitoringVisit, ctx: Context) -> None:
    _authority(batch, c)
    if _already_created(batch.get(MonitoringVisit, c.authority, c.id), ctx, f"visit {c.id!r}"):
        return
    check_visit(c.number, c.first_day, c.last_day, c.letter_date)
    batch.add(
        MonitoringVisit(
            ref=c.id,
            number=c.number,
            first_day=c.first_day,
            last_day=c.last_day,
            letter_date=c.letter_date,
            areas_covered=list(c.areas_covered),
            inspectors=list(c.inspectors),
            progress_statement=c.progress_statement,
            findings=[{"kind": f.kind, "text": f.text} for f in c.findings],
            meta=ctx.meta(c, c.letter_date, field="letter_date"),
        )
    )


def record_decision(batch: Batch, c: RecordDecision, ctx: Context) -> None:
    _authority(batch, c)
    if _already_created(batch.get(Decision, c.authority, c.id), ctx, f"decision {c.id!r}"):
        return
    check_investment(c.investment)
    batch.add(
        Decision(
            ref=c.id,
            body=c.body,
            date=c.date,
            title=c.title,
            summary=c.summary,
            resolutions=list(c.resolutions),
            investment=c.investment,
            meta=ctx.meta(c, c.date),
        )
    )


def record_intervention(batch: Batch, c: RecordIntervention, ctx: Context) -> None:
    _authority(batch, c)
    if _already_created(batch.get(Intervention, c.authority, c.id), ctx, f"intervention {c.id!r}"):
        return
    if c.lifts is not None:
        batch.require(Intervention, c.authority, c.lifts, field="lifts")
    batch.add(
        Intervention(
            ref=c.id,
            kind=c.kind,
            date=c.date,
            title=c.title,
            by=c.by,
            detail=c.detail,
            lifts=c.lifts,
            meta=ctx.meta(c, c.date),
        )
    )


def _check_answers(batch: Batch, authority: str, answers: list[str]) -> None:
    if not answers:
        raise InvalidCommand("an action answers at least one recommendation", field="answers")
    for i, ref in enumerate(answers):
        batch.require(Recommendation, authority, ref, field=f"answers[{i}]")


def plan_action(batch: Batch, c: PlanAction, ctx: Context) -> None:
    _authority(batch, c)
    if _already_created(batch.get(Action, c.authority, c.id), ctx, f"action {c.id!r}"):
        return
    _check_answers(batch, c.authority, c.answers)
    if c.due_date < c.date:
        raise InvalidCommand("an action cannot be due before it was planned", field="due_date")
    action = Action(
        ref=c.id,
        title=c.title,
        owner=c.owner,
        due_date=c.due_date,
        answers=list(c.answers),
        meta=ctx.meta(c, c.date),
    )
    if c.person is not None:
        _active_person(batch, c.authority, c.person, "person")
        action.assign(c.person, ctx.meta(c, c.date))
    batch.add(action)


def _active_person(batch: Batch, authority: str, ref: str, field: str) -> Person:
    person = batch.require(Person, authority, ref, field=field)
    if not person.active:
        raise InvalidCommand(f"{person.name} ({ref}) has left", field)
    return person


def assign_action(batch: Batch, c: AssignAction, ctx: Context) -> None:
    if action := _open_action(batch, c, ctx):
        _active_person(batch, c.authority, c.person, "person")
        action.assign(c.person, ctx.meta(c, c.date or ctx.today))


def _open_action(batch: Batch, c: Any, ctx: Context) -> Action | None:
    action = batch.require(Action, c.authority, c.id)
    if action.has_applied(ctx.command_id):
        return None
    _check_expected_version(action, c.expected_version)
    return action


def update_action_progress(batch: Batch, c: UpdateActionProgress, ctx: Context) -> None:
    if action := _open_action(batch, c, ctx):
        action.update_progress(c.rag, c.narrative, list(c.evidence), ctx.meta(c, c.date))


def revise_action_due_date(batch: Batch, c: ReviseActionDueDate, ctx: Context) -> None:
    if action := _open_action(batch, c, ctx):
        action.revise_due_date(c.new_due_date, c.reason, c.approver, ctx.meta(c, c.date))


def complete_action(batch: Batch, c: CompleteAction, ctx: Context) -> None:
    if action := _open_action(batch, c, ctx):
        action.complete(c.evidence, ctx.meta(c, c.date))


def cancel_action(batch: Batch, c: CancelAction, ctx: Context) -> None:
    if action := _open_action(batch, c, ctx):
        action.cancel(c.reason, ctx.meta(c, c.date))


def _check_manager(batch: Batch, authority: str, ref: str, manager: str | None) -> None:
    if manager is None:
        return
    if manager == ref:
        raise InvalidCommand("a person cannot be their own manager", "manager")
    _active_person(batch, authority, manager, "manager")

    def manager_of(person: str) -> str | None:
        found = batch.get(Person, authority, person)
        return found.manager if found is not None else None

    check_manager_chain(ref, manager, manager_of)


def add_person(batch: Batch, c: AddPerson, ctx: Context) -> None:
    _authority(batch, c)
    if _already_created(batch.get(Person, c.authority, c.id), ctx, f"person {c.id!r}"):
        return
    check_email(c.email)
    check_roles(c.roles)
    _check_manager(batch, c.authority, c.id, c.manager)
    batch.add(
        Person(
            ref=c.id,
            name=c.name,
            email=c.email,
            title=c.title,
            manager=c.manager,
            roles=list(c.roles),
            account=c.account.lower() if c.account else None,
            digest=c.digest,
            meta=ctx.meta(c, c.date or ctx.today),
        )
    )


def update_person(batch: Batch, c: UpdatePerson, ctx: Context) -> None:
    person = batch.require(Person, c.authority, c.id)
    if person.has_applied(ctx.command_id):
        return
    _check_expected_version(person, c.expected_version)
    changes = dict(c.changes)
    for required in ("name", "email", "digest"):
        if required in changes and changes[required] is None:
            raise InvalidCommand(f"a person's {required} cannot be cleared", f"changes.{required}")
    if "email" in changes:
        check_email(changes["email"], "changes.email")
    if "roles" in changes:
        check_roles(changes["roles"], "changes.roles")
    if changes.get("account"):
        changes["account"] = changes["account"].lower()
    if "manager" in changes:
        _check_manager(batch, c.authority, c.id, changes["manager"])
    person.update(changes, ctx.meta(c, c.date or ctx.today))


def record_person_left(batch: Batch, c: RecordPersonLeft, ctx: Context) -> None:
    person = batch.require(Person, c.authority, c.id)
    if person.has_applied(ctx.command_id):
        return
    _check_expected_version(person, c.expected_version)
    person.leave(c.reason, ctx.meta(c, c.date or ctx.today))


def define_indicator(batch: Batch, c: DefineIndicator, ctx: Context) -> None:
    _authority(batch, c)
    if _already_created(batch.get(Indicator, c.authority, c.id), ctx, f"indicator {c.id!r}"):
        return
    Indicator.check_target(c.target, c.unit)
    batch.add(
        Indicator(
            ref=c.id,
            name=c.name,
            unit=c.unit,
            higher_is_better=c.higher_is_better,
            target=c.target,
            meta=ctx.meta(c, ctx.today),
        )
    )


def record_indicator_reading(batch: Batch, c: RecordIndicatorReading, ctx: Context) -> None:
    indicator = batch.require(Indicator, c.authority, c.id)
    if indicator.has_applied(ctx.command_id):
        return
    indicator.record_reading(
        c.period_end, c.value, c.note, ctx.meta(c, c.period_end, field="period_end")
    )


def record_indicator_comparison(batch: Batch, c: RecordIndicatorComparison, ctx: Context) -> None:
    indicator = batch.require(Indicator, c.authority, c.id)
    if indicator.has_applied(ctx.command_id):
        return
    indicator.record_comparison(
        c.series, c.period_end, c.value, ctx.meta(c, c.period_end, field="period_end")
    )


def correct(batch: Batch, c: Correct, ctx: Context) -> None:
    cls = RECORD_CLASSES[c.record]
    record = batch.require(cls, c.authority, c.id)
    if record.has_applied(ctx.command_id):
        return
    _check_expected_version(record, c.expected_version)
    if isinstance(record, Inspection):
        framework = ctx.frameworks.get(record.framework)
        record.check_correction_against(framework, c.fields)
    else:
        record.check_correction(c.fields)
        _check_corrected_values(batch, record, c, ctx)
    corrected = dict(c.fields)
    if "findings" in corrected:
        corrected["findings"] = [asdict(f) for f in corrected["findings"]]
    record.correct(
        corrects=f"{record.KIND}/{c.id}",
        corrected_fields=corrected,
        reason=c.reason,
        meta=ctx.meta(c, c.date or ctx.today),
    )


def _check_corrected_values(
    batch: Batch, record: LedgerAggregate, c: Correct, ctx: Context
) -> None:
    fields = c.fields
    if isinstance(record, Person) and "email" in fields:
        check_email(fields["email"], "fields.email")
    if isinstance(record, Decision) and "investment" in fields:
        check_investment(fields["investment"])
    if isinstance(record, Action) and "answers" in fields:
        _check_answers(batch, c.authority, fields["answers"])
    if isinstance(record, MonitoringVisit):
        values = ("number", "first_day", "last_day", "letter_date")
        check_visit(*(fields.get(name, getattr(record, name)) for name in values))
    if isinstance(record, Recommendation) and fields.get("area") is not None:
        inspection = batch.get(Inspection, c.authority, record.origin)
        if inspection is not None:
            ctx.frameworks.get(inspection.framework).area(fields["area"])


HANDLERS: dict[type[Any], Callable[[Batch, Any, Context], None]] = {
    RegisterAuthority: register_authority,
    ReorganiseAuthority: reorganise_authority,
    RecordInspection: record_inspection,
    IssueRecommendation: issue_recommendation,
    CloseRecommendation: close_recommendation,
    ReopenRecommendation: reopen_recommendation,
    RecordMonitoringVisit: record_monitoring_visit,
    RecordDecision: record_decision,
    RecordIntervention: record_intervention,
    PlanAction: plan_action,
    UpdateActionProgress: update_action_progress,
    ReviseActionDueDate: revise_action_due_date,
    CompleteAction: complete_action,
    CancelAction: cancel_action,
    AssignAction: assign_action,
    AddPerson: add_person,
    UpdatePerson: update_person,
    RecordPersonLeft: record_person_left,
    DefineIndicator: define_indicator,
    RecordIndicatorReading: record_indicator_reading,
    RecordIndicatorComparison: record_indicator_comparison,
    Correct: correct,
}
