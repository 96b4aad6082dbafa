"""Accounts whose every change is recorded in the accounts audit trail, and checked against it.

:class:`AuditedAccounts` is an :class:`~web.accounts.AccountStore` wrapping another (the
accounts table): each change is made there and recorded in the trail
(:class:`~ledger.application.accounts_audit.AccountsAudit`), with who made it (the
:data:`acting` context variable: the signed-in admin on the web, ``cli:<user>`` on the command
line). Reading an account compares the table with the trail: an account changed outside the
ledger (a direct ``UPDATE accounts SET role = 'admin'``, a password hash swapped in, a row
inserted) does not sign in, and the admins' audit page lists it.
"""

from __future__ import annotations

import builtins
import logging
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from ledger.application.accounts_audit import AccountsAudit, TrailState
from web.accounts import Account, AccountNotFound, AccountStore, Role

logger = logging.getLogger(__name__)

#: Who is acting on accounts in this context (set per request, or by the command line).
acting: ContextVar[str] = ContextVar("acting_on_accounts", default="unknown")


@dataclass(frozen=True)
class Discrepancy:
    """An account whose table row differs from what the trail says it should be."""

    name: str
    table: str
    trail: str


def _table_state(account: Account | None) -> str:
    return (
        "absent" if account is None else f"{account.role.value}, credential {account.session_stamp}"
    )


def _trail_state(state: TrailState | None) -> str:
    if state is None:
        return "absent"
    if state.removed:
        return "removed"
    return f"{state.role}, credential {state.credential}"


def agrees(account: Account, state: TrailState | None) -> bool:
    """Whether an account's row is what the trail says it should be."""
    return (
        state is not None
        and not state.removed
        and state.role == account.role.value
        and state.credential == account.session_stamp
    )


class AuditedAccounts:
    """An :class:`AccountStore` recording every change in the audit trail and refusing
    accounts that differ from it."""

    def __init__(self, accounts: AccountStore, audit: AccountsAudit) -> None:
        self._accounts = accounts
        self.audit = audit

    # -- changes, recorded ------------------------------------------------------------------

    def add(
        self, name: str, role: Role | str, password: str, *, temporary: bool = False
    ) -> Account:
        account = self._accounts.add(name, role, password, temporary=temporary)
        self.audit.created(account.name, account.role.value, account.session_stamp, acting.get())
        return account

    def set_role(self, name: str, role: Role | str) -> Account:
        account = self._accounts.set_role(name, role)
        self.audit.role_changed(account.name, account.role.value, acting.get())
        return account

    def set_password(self, name: str, password: str, *, temporary: bool = False) -> Account:
        account = self._accounts.set_password(name, password, temporary=temporary)
        self.audit.password_reset(account.name, account.session_stamp, acting.get())
        return account

    def set_disabled(self, name: str, disabled: bool) -> Account:
        account = self._accounts.set_disabled(name, disabled)
        self.audit.disabled(account.name, account.disabled, acting.get())
        return account

    def remove(self, name: str) -> None:
        account = self._accounts.get(name)
        if account is None:
            raise AccountNotFound(f"There is no user called {name!r}")
        self._accounts.remove(name)
        self.audit.removed(account.name, acting.get())

    # -- reads, checked ---------------------------------------------------------------------

    def authenticate(self, name: str, password: str) -> Account | None:
        account = self._accounts.authenticate(name, password)
        if account is None:
            return None
        if account.disabled or not agrees(account, self.audit.state(account.name)):
            if not account.disabled:
                logger.warning("Sign-in refused: %s was changed outside the ledger", account.name)
            return None
        self.audit.signed_in(account.name, "local-password", datetime.now(UTC).date())
        return account

    def get(self, name: str) -> Account | None:
        """The account, turned off (``disabled``) when its row differs from the trail: it
        cannot sign in or keep a session, and admins still find it to set it right."""
        account = self._accounts.get(name)
        if account is None:
            return None
        return self._checked(account, self.audit.states())

    def list(self) -> tuple[Account, ...]:
        states = self.audit.states()
        return tuple(self._checked(account, states) for account in self._accounts.list())

    @staticmethod
    def _checked(account: Account, states: dict[str, TrailState]) -> Account:
        if agrees(account, states.get(account.name)):
            return account
        return replace(account, disabled=True)

    def create_schema(self) -> None:
        """Create the accounts table where the store has one to create."""
        create = getattr(self._accounts, "create_schema", None)
        if create is not None:
            create()

    # -- for the admins ---------------------------------------------------------------------

    def discrepancies(self) -> builtins.list[Discrepancy]:
        """Every account whose table row differs from the trail (changed outside the ledger)."""
        states = self.audit.states()
        found = []
        accounts = {account.name: account for account in self._accounts.list()}
        for name in sorted(set(accounts) | {n for n, s in states.items() if not s.removed}):
            account, state = accounts.get(name), states.get(name)
            if account is None or not agrees(account, state):
                found.append(Discrepancy(name, _table_state(account), _trail_state(state)))
        return found

    def adopt_untracked(self, by: str) -> int:
        """Take every account the trail does not know yet (made before it existed) into it as
        it is found; returns how many. Run once by ``ledger init``."""
        states = self.audit.states()
        adopted = 0
        for account in self._accounts.list():
            if account.name not in states:
                self.audit.adopted(account.name, account.role.value, account.session_stamp, by)
                adopted += 1
        return adopted
