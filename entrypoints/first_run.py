"""The first run of a ledger nobody can sign in to yet: make an administrator with a one-time
password, to be shown once in the terminal and changed at first sign-in."""

from __future__ import annotations

from web.account.one_time import one_time_password
from web.accounts import AccountExists, AccountStore, Role

FIRST_ADMIN = "admin"


def first_administrator(accounts: AccountStore) -> tuple[str, str] | None:
    """On a store with no accounts, add an admin with a one-time password and return its name
    and password; else None (a store with any account is left alone)."""
    if accounts.list():
        return None
    password = one_time_password()
    try:
        account = accounts.add(FIRST_ADMIN, Role.ADMIN, password, temporary=True)
    except AccountExists:  # another process made it first: that one printed its password
        return None
    return account.name, password


def first_administrator_message(name: str, password: str) -> str:
    """What the terminal says about the account just made."""
    return (
        "Nobody could sign in to this ledger yet, so an administrator account was made:\n"
        f"  user name:          {name}\n"
        f"  one-time password:  {password}\n"
        "Sign in with it and choose your own password. It is shown only this once; if it is\n"
        f"lost, set another with: ledger user set-password {name}"
    )
