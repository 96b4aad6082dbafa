"""People: the officers who own actions, their managers, and the board members escalations go to.

A person belongs to one authority, like every other record: an officer works for a council, their
manager is in the same council, and a board chair is named in each authority whose board they
chair. Roles per authority (``user grant``) then decide who may see and record a council's people,
as for its actions. A regional adviser named in two councils is two records, one in each, and is
sent each council's reminders by that council.

A person is never deleted: one who leaves is recorded as having left (their actions stay theirs
until reassigned, and reminders stop); a change of name, title, email, manager or roles is an
update, with the fields it changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from eventsourcing.domain import event

from ledger.domain.errors import InvalidCommand
from ledger.domain.meta import EventMeta
from ledger.domain.records import LedgerAggregate

# Deliberately loose: the address must be usable in an SMTP envelope and by GOV.UK Notify, which
# check it properly; this only catches what is plainly not an address.
_EMAIL = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\".]+$")
_ROLE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
UPDATABLE = frozenset({"name", "email", "title", "manager", "roles", "account", "digest"})


class PersonAlreadyLeft(InvalidCommand):
    """The person was recorded as having left; they take no more updates."""


def check_email(email: str, field: str = "email") -> None:
    """Raise unless `email` looks like one address (no display name, no list)."""
    if not _EMAIL.match(email):
        raise InvalidCommand(f"{email!r} is not an email address (name@example.org)", field)


def check_roles(roles: list[str], field: str = "roles") -> None:
    """Roles are short keys such as `improvement-board-chair` (lower case, hyphens)."""
    for index, role in enumerate(roles):
        if not _ROLE.match(role):
            raise InvalidCommand(
                f"{role!r} is not a role key (lower-case letters, digits and hyphens, such as "
                "improvement-board-chair)",
                f"{field}[{index}]",
            )


def check_manager_chain(
    ref: str, manager: str | None, manager_of: Callable[[str], str | None]
) -> None:
    """Raise if `ref` reporting to `manager` would make someone their own manager, however
    far up the chain (`manager_of` gives each person's manager as recorded)."""
    seen = {ref}
    current = manager
    while current is not None:
        if current in seen:
            raise InvalidCommand(
                f"{ref!r} cannot report to {manager!r}: that would make someone their own manager",
                "manager",
            )
        seen.add(current)
        current = manager_of(current)


class Person(LedgerAggregate):
    """Someone who owns actions or is told about them: name, job title, email, manager (another
    person of the same authority), roles (such as `improvement-board-chair`), the web account
    that signs in as them (for "My actions"), and whether the weekly digest is sent to them."""

    KIND = "person"
    CORRECTABLE = frozenset({"name", "email", "title"})

    @event("PersonAdded")
    def __init__(
        self,
        ref: str,
        name: str,
        email: str,
        title: str | None,
        manager: str | None,
        roles: list[str],
        account: str | None,
        digest: bool,
        meta: EventMeta,
    ):
        self.ref = ref
        self.name = name
        self.email = email
        self.title = title
        self.manager = manager
        self.roles = list(roles)
        self.account = account
        self.digest = digest
        self.added = meta.effective_date
        self.left_on: date | None = None

    @property
    def active(self) -> bool:
        return self.left_on is None

    def _check_active(self, on: date) -> None:
        if self.left_on is not None:
            raise PersonAlreadyLeft(
                f"{self.name} ({self.ref}) left on {self.left_on.isoformat()}; record them "
                "again under a new id if they return"
            )
        if on < self.added:
            raise InvalidCommand(f"{self.ref!r} was added after {on.isoformat()}", "date")

    def update(self, changes: Mapping[str, Any], meta: EventMeta) -> None:
        """Record a change of name, email, title, manager, roles, account or digest (only the
        fields that change: an update that changes nothing is refused)."""
        self._check_active(meta.effective_date)
        unknown = sorted(set(changes) - UPDATABLE)
        if unknown:
            raise InvalidCommand(f"cannot update {', '.join(unknown)} of a person", "changes")
        changed = {k: v for k, v in changes.items() if getattr(self, k) != v}
        if not changed:
            raise InvalidCommand(f"{self.ref!r} already has those details", "changes")
        if changed.get("manager") == self.ref:
            raise InvalidCommand("a person cannot be their own manager", "manager")
        self._updated(changes=dict(changed), meta=meta)

    @event("PersonUpdated")
    def _updated(self, changes: dict[str, Any], meta: EventMeta) -> None:
        for name, value in changes.items():
            setattr(self, name, list(value) if isinstance(value, list) else value)

    def leave(self, reason: str, meta: EventMeta) -> None:
        """Record that the person left (reminders to them stop; their actions stay theirs)."""
        self._check_active(meta.effective_date)
        self._left(reason=reason, meta=meta)

    @event("PersonLeft")
    def _left(self, reason: str, meta: EventMeta) -> None:
        self.left_on = meta.effective_date
