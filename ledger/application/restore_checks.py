"""Checking an export's events against the ledger's own rules before a restore writes any.

An export whose chain is consistent with itself may still be forged: whoever made it can
recompute every digest. So each event is replayed through the very handlers that record
commands: it is turned back into the command that would have recorded it, the handler checks
that command against the records as the events before it left them, and the event the handler
would have written must be the one in the export, field for field (its recording instant
aside). Only the ledger's own event topics are read; no module an export names is imported.

The handlers hold every rule of the domain (grades against the framework, dates in order,
references to records that exist, one reading a period, no update to a closed action...). The
input limits on length and wording (`ledger.application.limits`) are not applied to history:
they hold what is recorded from now on, not what was recorded before them; characters that no
store can hold are refused all the same.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from ledger.application.handlers import HANDLERS, Batch, Context
from ledger.application.parsing import CommandParseError, parse_command
from ledger.domain.digests import DigestDelivery
from ledger.domain.errors import InvalidCommand, LedgerError
from ledger.domain.inspections import Inspection
from ledger.domain.meta import EventMeta
from ledger.domain.records import LedgerAggregate
from ledger.domain.reminders import ReminderDelivery
from ledger.domain.visits import MonitoringVisit
from ledger.evidence.bundles import BadExport

if TYPE_CHECKING:
    from ledger.application.service import JourneyLedger

# An event may be recorded the day after its effective date in UTC (the council's day is ahead
# of UTC in summer) but never be true later than that.
_RECORDING_SLACK = timedelta(days=1)
_ENVELOPE = frozenset({"originator_id", "originator_version", "timestamp"})
# Events whose effective date is the recording day itself (the handler's "today").
_DATED_TODAY = frozenset({"AuthorityRegistered", "IndicatorDefined"})
# The date of an origin a recommendation takes as its own issue date.
_ORIGIN_DATES = ("published", "letter_date")


class NotTheLedgersEvent(LedgerError):
    """An exported event the ledger's rules would not have recorded; the message says why."""


def check_restored_events(ledger: JourneyLedger, stored: Sequence[StoredEvent]) -> None:
    """Raise `BadExport` naming the first of `stored` (after the events already in the store)
    that the ledger's own rules would not have recorded.

    The events are replayed in the order they were recorded (their instants), not the order
    they are stored in: a transaction stores its events record by record, while its commands
    ran one after another, each seeing the records as the commands before it left them (a
    person who left later in the same import was still there when an action was assigned).
    """
    replay = _Replay(ledger)
    decoded = []
    for index, event in enumerate(stored):
        try:
            decoded.append((ledger.decode(event), index))  # refuses a topic not the ledger's
        except (LedgerError, ValueError, TypeError, KeyError, AttributeError) as problem:
            raise _refused(index, problem) from None
    for event, index in sorted(decoded, key=lambda pair: (pair[0].timestamp, pair[1])):
        try:
            replay.check(event)
        except (LedgerError, ValueError, TypeError, KeyError, AttributeError) as problem:
            raise _refused(index, problem) from None


def _refused(index: int, problem: Exception) -> BadExport:
    return BadExport(
        f"event {index + 1} of those to restore does not follow the ledger's rules "
        f"({_message(problem)}); nothing was restored"
    )


def _message(problem: Exception) -> str:
    text = getattr(problem, "message", None) or str(problem) or type(problem).__name__
    field = getattr(problem, "field", None)
    text = f"{field}: {text}" if field else text
    return text if len(text) <= 200 else text[:199] + "…"


class _Replay:
    def __init__(self, ledger: JourneyLedger) -> None:
        self._ledger = ledger
        self._batch = Batch(ledger.load)
        # Every date each inspection or visit was published or dated on, over its history.
        self._origin_dates: dict[UUID, set[Any]] = {}

    def check(self, event: Any) -> None:
        meta: EventMeta = event.meta
        if not isinstance(meta, EventMeta):
            raise NotTheLedgersEvent("it carries no metadata")
        if meta.effective_date > event.timestamp.date() + _RECORDING_SLACK:
            raise NotTheLedgersEvent(
                f"it says it was true on {meta.effective_date}, after it was recorded"
            )
        name = type(event).__name__
        record = self._batch.find(UUID(str(event.originator_id)))
        if name.startswith("Reminder"):
            self._bookkeeping(record, event)
            return
        if isinstance(record, DigestDelivery) or name.startswith("Digest"):
            produced = self._digest_event(record, event, name)
        else:
            produced = self._through_handler(record, event, name, meta)
        if name == "RecommendationIssued" and self._issued_on_an_origin_date(produced, event):
            return
        _same(produced, event)
        self._remember_origin_dates(UUID(str(event.originator_id)))

    def _remember_origin_dates(self, aggregate_id: UUID) -> None:
        record = self._batch.find(aggregate_id)
        for name in _ORIGIN_DATES:
            if hasattr(record, name):
                self._origin_dates.setdefault(aggregate_id, set()).add(getattr(record, name))

    def _issued_on_an_origin_date(self, produced: Any, restored: Any) -> bool:
        """A recommendation is issued on its origin's publication (or letter) date as it stood
        then. A transaction's events are stored record by record, not in the order its commands
        ran, so a correction of that date later in the same batch can come before the
        recommendation in the log: any date the origin held is the one it was issued on."""
        if (
            restored.meta == produced.meta
            or restored.meta.effective_date == produced.meta.effective_date
        ):
            return False
        origin = self._batch.get(Inspection, restored.meta.authority, restored.origin) or (
            self._batch.get(MonitoringVisit, restored.meta.authority, restored.origin)
        )
        if origin is None:
            return False
        held = self._origin_dates.get(origin.id) or self._stored_origin_dates(origin)
        if restored.meta.effective_date not in held:
            return False
        same_meta = replace(produced.meta, effective_date=restored.meta.effective_date)
        _same(_with_meta(produced, same_meta), restored)
        return True

    def _stored_origin_dates(self, origin: LedgerAggregate) -> set[Any]:
        """The dates an origin already in the store held, from its stored events."""
        held: set[Any] = set()
        for stored in self._ledger.events.get(origin.id):
            for name in _ORIGIN_DATES:
                value = getattr(stored, name, None) or getattr(stored, "corrected_fields", {}).get(
                    name
                )
                if value is not None:
                    held.add(value)
        self._origin_dates[origin.id] = held
        return held

    def _through_handler(
        self, record: LedgerAggregate | None, event: Any, name: str, meta: EventMeta
    ) -> Any:
        to_raw = _COMMANDS.get(name)
        if to_raw is None:
            raise NotTheLedgersEvent(f"no command records a {name}")
        created = hasattr(event, "originator_topic")
        if created == (record is not None):
            raise NotTheLedgersEvent(
                "it creates a record that exists already"
                if created
                else "its record was never made"
            )
        # A text left empty is the command's default, which an import line would leave out.
        raw = {"type": name, **{k: v for k, v in to_raw(event, record).items() if v != ""}}
        if name != "AuthorityRegistered":
            raw["authority"] = meta.authority
        raw["source"] = meta.source
        try:
            command = parse_command(raw, checked=False)
        except CommandParseError as error:
            first = error.errors[0]
            raise InvalidCommand(first.message, first.field) from None
        # "Today" as the recording process saw it: the effective date itself for the events
        # dated by it, else no earlier than the day the event was recorded (in any time zone).
        today = (
            meta.effective_date
            if name in _DATED_TODAY
            else max(meta.effective_date, event.timestamp.date() + _RECORDING_SLACK)
        )
        ctx = Context(self._ledger.frameworks, meta.recorded_by, meta.command_id, today)
        aggregate_id = UUID(str(event.originator_id))
        before = self._batch.pending(aggregate_id)
        HANDLERS[type(command)](self._batch, command, ctx)
        return self._one_new_event(aggregate_id, before)

    def _one_new_event(self, aggregate_id: UUID, before: int) -> Any:
        pending = self._batch.pending_events(aggregate_id)
        if len(pending) != before + 1:
            raise NotTheLedgersEvent(
                "the ledger would not have recorded it: it repeats a command already recorded, "
                "or belongs to another record"
            )
        return pending[-1]

    def _bookkeeping(self, record: LedgerAggregate | None, event: Any) -> None:
        """A reminder's claims and outcomes change no record of the journey: each must follow
        its record's last version (the library checks the id and the version as it applies
        the event) and be of a reminder record."""
        created = hasattr(event, "originator_topic")
        if created == (record is not None):
            raise NotTheLedgersEvent(
                "it claims a reminder claimed already"
                if created
                else "its reminder was never claimed"
            )
        if record is not None and not isinstance(record, ReminderDelivery):
            raise NotTheLedgersEvent("it is a reminder's event on a record that is no reminder")
        applied = event.mutate(record)
        self._batch.add(applied)

    def _digest_event(self, record: LedgerAggregate | None, event: Any, name: str) -> Any:
        meta = event.meta
        if name == "DigestDeliveryStarted":
            if record is not None:
                raise NotTheLedgersEvent("it claims a delivery claimed already")
            started = DigestDelivery.start(
                event.channel, event.period_start, event.period_end, meta
            )
            self._batch.add(started)
            return self._one_new_event(UUID(str(event.originator_id)), 0)
        if not isinstance(record, DigestDelivery):
            raise NotTheLedgersEvent("its delivery was never claimed")
        before = self._batch.pending(record.id)
        if name == "DigestDeliveryRetried":
            if record.sent_attempt is not None or record.attempt not in record.outcomes:
                raise NotTheLedgersEvent("it retries a delivery that was sent or is in flight")
            record._retried(  # the claim's own event: its checks are the line above
                channel=record.channel,
                period_start=record.period_start,
                period_end=record.period_end,
                attempt=record.attempt + 1,
                meta=meta,
            )
        elif name == "DigestSent":
            record.record_sent(
                event.attempt,
                event.fingerprint,
                event.known_at,
                event.detail,
                event.transport_attempts,
                meta,
            )
        elif name == "DigestDeliveryFailed":
            record.record_failure(
                event.attempt, event.error, event.permanent, event.transport_attempts, meta
            )
        else:
            raise NotTheLedgersEvent(f"no delivery records a {name}")
        return self._one_new_event(record.id, before)


def _with_meta(event: Any, meta: EventMeta) -> Any:
    """A copy of `event` with other metadata (for comparing everything else)."""
    copied = copy.copy(event)
    object.__setattr__(copied, "meta", meta)
    return copied


def _same(produced: Any, restored: Any) -> None:
    """Raise unless `produced` (what the ledger would write) is `restored`, its instant aside."""
    if type(produced) is not type(restored):
        raise NotTheLedgersEvent(
            f"the ledger would have recorded a {type(produced).__name__}, "
            f"not a {type(restored).__name__}"
        )
    if (produced.originator_id, produced.originator_version) != (
        UUID(str(restored.originator_id)),
        restored.originator_version,
    ):
        raise NotTheLedgersEvent(
            "its record or version is not the one the ledger would have written "
            f"(version {restored.originator_version}, expected {produced.originator_version})"
        )
    ours = {k: v for k, v in vars(produced).items() if k not in _ENVELOPE}
    theirs = {k: v for k, v in vars(restored).items() if k not in _ENVELOPE}
    if ours != theirs:
        different = sorted(k for k in ours.keys() | theirs.keys() if ours.get(k) != theirs.get(k))
        raise NotTheLedgersEvent(
            f"its {', '.join(different)} differ from what the ledger would have recorded"
        )


# -- each event as the command that records it ----------------------------------------------

ToRaw = Callable[[Any, Any], dict[str, Any]]


def _on_record(*names: str, date: bool = True) -> ToRaw:
    def raw(event: Any, record: Any) -> dict[str, Any]:
        values = {name: getattr(event, name) for name in names}
        values["id"] = record.ref
        if date:
            values["date"] = event.meta.effective_date
        return values

    return raw


def _created(*names: str, date: bool = False) -> ToRaw:
    def raw(event: Any, _record: Any) -> dict[str, Any]:
        values = {name: getattr(event, name) for name in names}
        values["id"] = event.ref
        if date:
            values["date"] = event.meta.effective_date
        return values

    return raw


def _authority(event: Any, _record: Any) -> dict[str, Any]:
    return {"id": event.slug, "name": event.name, "code": event.code, "region": event.region}


def _visit(event: Any, _record: Any) -> dict[str, Any]:
    names = ("number", "first_day", "last_day", "letter_date", "areas_covered", "inspectors")
    values = {name: getattr(event, name) for name in names}
    values.update(id=event.ref, progress_statement=event.progress_statement)
    values["findings"] = [dict(f) for f in event.findings]
    return values


def _correction(event: Any, record: Any) -> dict[str, Any]:
    fields = dict(event.corrected_fields)
    if "findings" in fields:
        fields["findings"] = [dict(f) for f in fields["findings"]]
    return {
        "id": record.ref,
        "record": record.KIND,
        "fields": fields,
        "reason": event.reason,
        "date": event.meta.effective_date,
    }


def _reading(event: Any, record: Any) -> dict[str, Any]:
    return {
        "id": record.ref,
        "period_end": event.period_end,
        "value": event.value,
        "note": event.note,
    }


def _reorganised(event: Any, _record: Any) -> dict[str, Any]:
    return {"date": event.meta.effective_date, "successors": list(event.successors)}


def _comparison(event: Any, record: Any) -> dict[str, Any]:
    return {
        "id": record.ref,
        "series": event.series,
        "period_end": event.period_end,
        "value": event.value,
    }


def _person(event: Any, _record: Any) -> dict[str, Any]:
    names = ("name", "email", "title", "manager", "roles", "account", "digest")
    values = {name: getattr(event, name) for name in names}
    values.update(id=event.ref, date=event.meta.effective_date)
    return values


_COMMANDS: dict[str, ToRaw] = {
    "AuthorityRegistered": _authority,
    "ActionAssigned": _on_record("person"),
    "PersonAdded": _person,
    "PersonUpdated": _on_record("changes"),
    "PersonLeft": _on_record("reason"),
    "AuthorityReorganised": _reorganised,
    "IndicatorComparisonRecorded": _comparison,
    "InspectionRecorded": _created(
        "framework", "kind", "published", "grades", "first_day", "last_day", "report_url"
    ),
    "RecommendationIssued": _created("origin", "text", "area"),
    "RecommendationClosed": _on_record("evidence", "decided_by"),
    "RecommendationReopened": _on_record("reason", "decided_by"),
    "MonitoringVisitRecorded": _visit,
    "DecisionRecorded": _created("body", "date", "title", "summary", "resolutions", "investment"),
    "InterventionRecorded": _created("kind", "date", "title", "by", "detail", "lifts"),
    "ActionPlanned": _created("title", "owner", "due_date", "answers", date=True),
    "ActionProgressUpdated": _on_record("rag", "narrative", "evidence"),
    "ActionDueDateRevised": _on_record("new_due_date", "reason", "approver"),
    "ActionCompleted": _on_record("evidence"),
    "ActionCancelled": _on_record("reason"),
    "IndicatorDefined": _created("name", "unit", "higher_is_better", "target"),
    "IndicatorReadingRecorded": _reading,
    "Corrected": _correction,
}
