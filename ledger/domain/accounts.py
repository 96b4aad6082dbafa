"""The audit trail of web sign-in accounts: who was given which role by whom, passwords reset,
accounts removed, and every sign-in, as events sealed in a chain of their own.

The accounts themselves (names, roles, password hashes) live in the web app's accounts table;
this trail says what they should be. A table row that differs from its trail (a role raised by
a direct UPDATE, a password hash swapped in) is a change made outside the ledger. The trail
keeps a digest of the password hash (the "credential"), never the hash itself.
"""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from ledger.domain.errors import InvalidCommand

# Fixed for ever: the ids of accounts' and sign-ins' records derive from it.
ACCOUNTS_NAMESPACE = uuid5(NAMESPACE_URL, "improvement-journey-ledger/accounts")


def account_id(name: str) -> UUID:
    """The id of an account's audit record (names are already normalised: lower case)."""
    return uuid5(ACCOUNTS_NAMESPACE, f"account/{name}")


def sign_ins_id(name: str, day: date) -> UUID:
    """The id of one account's sign-ins on one day (kept apart so the account's own record
    stays small however often its user signs in)."""
    return uuid5(ACCOUNTS_NAMESPACE, f"sign-ins/{name}/{day.isoformat()}")


class AccountAudit(Aggregate):
    """One account as the trail says it should be: its role and credential, or removed."""

    @classmethod
    def create_id(cls, name: str, **_details: str) -> UUID:
        """The id derives from the name, so the trail finds an account's record by it."""
        return account_id(name)

    @event("AccountCreated")
    def __init__(self, name: str, role: str, credential: str, by: str) -> None:
        self.name = name
        self.role = role
        self.credential = credential
        self.removed = False
        self.disabled = False

    @classmethod
    def adopted(cls, name: str, role: str, credential: str, by: str) -> AccountAudit:
        """An account that existed before the trail did, taken into it as it was found."""
        audit = cls(name=name, role=role, credential=credential, by=by)
        audit._adopted(by=by)
        return audit

    @event("AccountAdopted")
    def _adopted(self, by: str) -> None:
        pass

    def _check_present(self) -> None:
        if self.removed:
            raise InvalidCommand(f"the account {self.name!r} was removed")

    def change_role(self, role: str, by: str) -> None:
        self._check_present()
        if role != self.role:
            self._role_changed(role=role, previous_role=self.role, by=by)

    @event("AccountRoleChanged")
    def _role_changed(self, role: str, previous_role: str, by: str) -> None:
        self.role = role

    def reset_password(self, credential: str, by: str) -> None:
        self._check_present()
        self._password_reset(credential=credential, by=by)

    @event("AccountPasswordReset")
    def _password_reset(self, credential: str, by: str) -> None:
        self.credential = credential

    def set_disabled(self, disabled: bool, by: str) -> None:
        """Turn the account off (it cannot sign in) or on again."""
        self._check_present()
        if disabled and not self.disabled:
            self._disabled(by=by)
        elif not disabled and self.disabled:
            self._enabled(by=by)

    @event("AccountDisabled")
    def _disabled(self, by: str) -> None:
        self.disabled = True

    @event("AccountEnabled")
    def _enabled(self, by: str) -> None:
        self.disabled = False

    def remove(self, by: str) -> None:
        self._check_present()
        self._removed(by=by)

    @event("AccountRemoved")
    def _removed(self, by: str) -> None:
        self.removed = True


class SignIns(Aggregate):
    """One account's sign-ins on one day."""

    @classmethod
    def create_id(cls, name: str, day: date) -> UUID:
        """One record a day per account."""
        return sign_ins_id(name, day)

    @event("SignInsStarted")
    def __init__(self, name: str, day: date) -> None:
        self.name = name
        self.day = day

    @event("SignedIn")
    def signed_in(self, method: str) -> None:
        """The account's user signed in (with `method`, e.g. `local-password`)."""
