"""The accounts audit trail: a sealed application of its own beside the journey.

Why a chain of its own rather than events in the journey's: the trail holds people's names and
when they signed in, which has no place in the journey's exports and bundles (shared with
boards and auditors), and signing in would otherwise move the journey's fingerprint many times
a day. It is exactly as verifiable: the same sealed recorders write it (its own events table,
its own seal table, the same append-only triggers) and `verify_history` checks it the same way;
`ledger verify` reports both chains.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, Mapper, Transcoder
from eventsourcing.utils import get_topic

from ledger.application.sealed_application import SealedApplication
from ledger.domain.accounts import AccountAudit, SignIns, account_id, sign_ins_id
from ledger.domain.errors import LedgerError
from ledger.evidence.chain import Fingerprint, Verification, verify_history
from ledger.persistence.topics import LedgerMapper, UnknownTopic
from ledger.persistence.transcodings import LedgerTranscoder

#: The accounts trail's events table in SQLite (PostgreSQL names it from the application).
SQLITE_EVENTS_TABLE = "accounts_events"
_AUDIT_CLASSES = (AccountAudit, SignIns)


@functools.cache
def _trail_topics() -> tuple[frozenset[str], frozenset[str]]:
    records = frozenset(get_topic(cls) for cls in _AUDIT_CLASSES)
    events = frozenset(
        get_topic(value)
        for cls in _AUDIT_CLASSES
        for value in vars(cls).values()
        if isinstance(value, type) and issubclass(value, Aggregate.Event)
    )
    return records, events


class AccountsMapper(LedgerMapper):
    """Reads only the trail's own events (no module a stored row names is imported)."""

    def known_records(self) -> dict[str, type]:
        return {get_topic(cls): cls for cls in _AUDIT_CLASSES}

    def check(self, topic: str) -> None:
        if topic not in _trail_topics()[1]:
            raise UnknownTopic(f"an account event is stored under {topic[:60]!r}, not one of ours")


@dataclass(frozen=True)
class TrailState:
    """An account as the trail says it should be."""

    role: str
    credential: str
    removed: bool
    disabled: bool = False


@dataclass(frozen=True)
class TrailEntry:
    """One event of the trail, as the admins' page lists it."""

    position: int
    recorded_at: datetime
    event: str
    name: str
    by: str
    detail: str


class AccountsAudit(SealedApplication):
    """Records what is done to accounts, and what they should therefore be."""

    name = "accounts"

    def __init__(self, env: Mapping[str, str]) -> None:
        super().__init__(env=dict(env))
        self._states: dict[str, TrailState] = {}
        # Whose record each id is (the later events of a record do not repeat the name).
        self._names: dict[UUID, str] = {}
        self._position = 0
        self._lock = threading.Lock()

    def construct_transcoder(self) -> Transcoder:
        return LedgerTranscoder()

    def construct_mapper(self) -> Mapper[UUID]:
        return self.factory.mapper(
            transcoder=self.construct_transcoder(), mapper_class=AccountsMapper
        )

    # -- recording ----------------------------------------------------------------------------

    def created(self, name: str, role: str, credential: str, by: str) -> None:
        self._save(AccountAudit(name=name, role=role, credential=credential, by=by))

    def adopted(self, name: str, role: str, credential: str, by: str) -> None:
        """An account that was there before the trail, taken into it as found."""
        self._save(AccountAudit.adopted(name=name, role=role, credential=credential, by=by))

    def role_changed(self, name: str, role: str, by: str) -> None:
        audit = self._account(name)
        audit.change_role(role, by)
        self._save(audit)

    def password_reset(self, name: str, credential: str, by: str) -> None:
        audit = self._account(name)
        audit.reset_password(credential, by)
        self._save(audit)

    def disabled(self, name: str, disabled: bool, by: str) -> None:
        audit = self._account(name)
        audit.set_disabled(disabled, by)
        self._save(audit)

    def removed(self, name: str, by: str) -> None:
        audit = self._account(name)
        audit.remove(by)
        self._save(audit)

    def signed_in(self, name: str, method: str, day: date) -> None:
        """Record a sign-in (in the day's record of that account's sign-ins)."""
        for _ in range(3):
            record: SignIns
            try:
                record = self.repository.get(sign_ins_id(name, day))
            except AggregateNotFoundError:
                record = SignIns(name=name, day=day)
            record.signed_in(method)
            try:
                self.save(record)
                return
            except IntegrityError:
                continue  # two sign-ins at once: read the record again

    def _account(self, name: str) -> AccountAudit:
        found: AccountAudit
        try:
            found = self.repository.get(account_id(name))
        except AggregateNotFoundError:
            raise LedgerError(f"the account {name!r} is not in the audit trail") from None
        assert isinstance(found, AccountAudit)
        return found

    def _save(self, audit: AccountAudit) -> None:
        try:
            self.save(audit)
        except IntegrityError:
            raise LedgerError(
                f"someone else changed the account {audit.name!r} at the same moment; "
                "nothing of yours was recorded: try again"
            ) from None

    # -- reading ------------------------------------------------------------------------------

    def states(self) -> dict[str, TrailState]:
        """Every account the trail knows, as it should be now (folded from the events, keeping
        up with new ones: one cheap query when there are none)."""
        with self._lock:
            last = self.recorder.max_notification_id() or 0
            if last > self._position:
                for position, event in self._events_after(self._position):
                    self._fold(event)
                    self._position = position
            return dict(self._states)

    def state(self, name: str) -> TrailState | None:
        return self.states().get(name)

    def _fold(self, event: Any) -> None:
        kind = type(event).__name__
        if hasattr(event, "name"):
            self._names[event.originator_id] = event.name
        name = self._names.get(event.originator_id, "")
        current = self._states.get(name)
        if kind == "AccountCreated":
            self._states[name] = TrailState(event.role, event.credential, False)
        elif current is None:
            return
        elif kind == "AccountRoleChanged":
            self._states[name] = replace(current, role=event.role)
        elif kind == "AccountPasswordReset":
            self._states[name] = replace(current, credential=event.credential)
        elif kind in ("AccountDisabled", "AccountEnabled"):
            self._states[name] = replace(current, disabled=kind == "AccountDisabled")
        elif kind == "AccountRemoved":
            self._states[name] = replace(current, removed=True)

    def _events_after(self, position: int) -> Iterator[tuple[int, Any]]:
        while True:
            found = self.recorder.select_notifications(
                start=position, limit=500, inclusive_of_start=False
            )
            if not found:
                return
            for notification in found:
                yield notification.id, self.mapper.to_domain_event(notification)
            position = found[-1].id

    def history(self, limit: int = 200) -> list[TrailEntry]:
        """The latest events of the trail, newest first."""
        self.states()  # brings the names of every record up to date
        last = self.recorder.max_notification_id() or 0
        entries = [
            TrailEntry(
                position,
                event.timestamp,
                type(event).__name__,
                self._names.get(event.originator_id, ""),
                getattr(event, "by", ""),
                _detail(event),
            )
            for position, event in self._events_after(max(last - limit, 0))
            if type(event).__name__ != "SignInsStarted"  # the day's record opening: no news
        ]
        return list(reversed(entries))

    def verify(self, expected: Fingerprint | None = None) -> Verification:
        """Walk the trail against its seals."""
        return verify_history(self.stored_rows(), self.seals(), expected)


def _detail(event: Any) -> str:
    kind = type(event).__name__
    if kind == "AccountCreated":
        return f"created as {event.role}"
    if kind == "AccountAdopted":
        return "taken into the audit trail as found"
    if kind == "AccountRoleChanged":
        return f"role changed from {event.previous_role} to {event.role}"
    if kind == "AccountPasswordReset":
        return "password reset"
    if kind == "AccountRemoved":
        return "removed"
    if kind == "AccountDisabled":
        return "disabled"
    if kind == "AccountEnabled":
        return "enabled again"
    if kind == "SignedIn":
        return f"signed in ({event.method})"
    return ""
