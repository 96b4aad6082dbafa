"""Improvement-plan actions: planned, progressed, re-dated, completed or cancelled."""

from __future__ import annotations

from datetime import date

from eventsourcing.domain import event

from ledger.domain.errors import ActionAlreadyClosed, InvalidCommand
from ledger.domain.grades import Rag
from ledger.domain.meta import EventMeta
from ledger.domain.records import LedgerAggregate


class Action(LedgerAggregate):
    """An action of the improvement plan, answering one or more recommendations.

    Its original due date is never lost: a revision is a new event with a reason and an approver.
    """

    KIND = "action"
    CORRECTABLE = frozenset({"title", "owner", "answers"})

    @event("ActionPlanned")
    def __init__(
        self,
        ref: str,
        title: str,
        owner: str,
        due_date: date,
        answers: list[str],
        meta: EventMeta,
    ):
        self.ref = ref
        self.title = title
        self.owner = owner
        self.due_date = due_date
        self.original_due_date = due_date
        self.answers = answers
        self.planned = meta.effective_date
        self.rag: Rag | None = None
        self.closed_as: str | None = None
        #: The person (a `Person` ref of the same authority) the action is assigned to, if any;
        #: `owner` stays as the plan named it.
        self.assignee: str | None = None

    def _check_open(self, on: date) -> None:
        if self.closed_as is not None:
            raise ActionAlreadyClosed(
                f"action {self.ref!r} is {self.closed_as}; it takes no more updates"
            )
        if on < self.planned:
            raise InvalidCommand(f"action {self.ref!r} was planned after {on.isoformat()}", "date")

    def update_progress(
        self, rag: Rag, narrative: str, evidence: list[str], meta: EventMeta
    ) -> None:
        """Report progress with a red/amber/green rating and a narrative."""
        self._check_open(meta.effective_date)
        self._progress_updated(rag=rag, narrative=narrative, evidence=evidence, meta=meta)

    @event("ActionProgressUpdated")
    def _progress_updated(
        self, rag: Rag, narrative: str, evidence: list[str], meta: EventMeta
    ) -> None:
        self.rag = rag

    def revise_due_date(
        self, new_due_date: date, reason: str, approver: str, meta: EventMeta
    ) -> None:
        """Move the due date, saying why and who approved it."""
        self._check_open(meta.effective_date)
        if new_due_date == self.due_date:
            raise InvalidCommand(f"action {self.ref!r} is already due then", "new_due_date")
        if new_due_date < self.planned:
            raise InvalidCommand(
                f"a new due date cannot be before the action was planned "
                f"({self.planned.isoformat()})",
                "new_due_date",
            )
        self._due_date_revised(
            previous_due_date=self.due_date,
            new_due_date=new_due_date,
            reason=reason,
            approver=approver,
            meta=meta,
        )

    @event("ActionDueDateRevised")
    def _due_date_revised(
        self,
        previous_due_date: date,
        new_due_date: date,
        reason: str,
        approver: str,
        meta: EventMeta,
    ) -> None:
        self.due_date = new_due_date

    def assign(self, person: str, meta: EventMeta) -> None:
        """Make `person` (a person of the same authority, checked by the caller) its owner."""
        self._check_open(meta.effective_date)
        if person == self.assignee:
            raise InvalidCommand(f"action {self.ref!r} is already assigned to {person!r}", "person")
        self._assigned(person=person, previous=self.assignee, meta=meta)

    @event("ActionAssigned")
    def _assigned(self, person: str, previous: str | None, meta: EventMeta) -> None:
        self.assignee = person

    def complete(self, evidence: str, meta: EventMeta) -> None:
        """Mark the action done, on the evidence given."""
        self._check_open(meta.effective_date)
        self._completed(evidence=evidence, meta=meta)

    @event("ActionCompleted")
    def _completed(self, evidence: str, meta: EventMeta) -> None:
        self.closed_as = "complete"

    def cancel(self, reason: str, meta: EventMeta) -> None:
        """Withdraw the action, saying why."""
        self._check_open(meta.effective_date)
        self._cancelled(reason=reason, meta=meta)

    @event("ActionCancelled")
    def _cancelled(self, reason: str, meta: EventMeta) -> None:
        self.closed_as = "cancelled"
