"""``user`` commands for managing web accounts from the command line.

The group never opens a database itself. Whoever mounts it (the ``ledger`` CLI) must put an
object with an ``accounts`` attribute holding an :class:`~web.accounts.AccountStore` in
``ctx.obj`` before these commands run — see :class:`HasAccounts`::

    @click.group()
    @click.pass_context
    def main(ctx: click.Context) -> None:
        ctx.obj = Services(accounts=DatabaseAccountStore(url), ...)

    main.add_command(user)

Any failure prints one ``Error: ...`` line and exits with status 2.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

import click

from entrypoints.actors import command_line_actor
from ledger.domain.errors import LedgerError
from web.accounts import Account, AccountError, AccountStore, Role, normalise_name
from web.auth.audited_accounts import AuditedAccounts, acting

ROLE_NAMES = ", ".join(role.value for role in Role)


class HasAccounts(Protocol):
    """What ``ctx.obj`` must provide: the account store to work on."""

    @property
    def accounts(self) -> AccountStore:
        """The account store."""
        ...


class UserCommandError(click.ClickException):
    """A failed ``user`` command: one line on stderr, exit status 2."""

    exit_code = 2


def _accounts(ctx: click.Context) -> AccountStore:
    try:
        accounts = getattr(ctx.obj, "accounts", None)
    except ValueError as error:  # e.g. a bad database URL, found when the store is built
        raise UserCommandError(str(error)) from None
    if accounts is None:
        raise UserCommandError("No account store is configured (the CLI must set ctx.obj.accounts)")
    return accounts  # type: ignore[no-any-return]


def _parse_role(value: str) -> Role:
    try:
        return Role.parse(value)
    except AccountError as error:
        raise UserCommandError(str(error)) from None


@click.group("user")
def user() -> None:
    """Manage who can sign in to the web app, and their roles (every change is recorded in the
    accounts audit trail as made by LEDGER_ACTOR, default cli:<os user>)."""
    acting.set(command_line_actor())


@user.command("add")
@click.argument("name")
@click.option("--role", "role_name", required=True, help=f"One of: {ROLE_NAMES}.")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="The first password; asked for (hidden, twice) when not given.",
)
@click.pass_context
def add(ctx: click.Context, name: str, role_name: str, password: str) -> None:
    """Add a user called NAME."""
    role = _parse_role(role_name)
    try:
        account = _accounts(ctx).add(name, role, password)
    except AccountError as error:
        raise UserCommandError(str(error)) from None
    click.echo(f"Added {account.name} ({account.role.value})")


@user.command("list")
@click.pass_context
def list_users(ctx: click.Context) -> None:
    """List every user and their role."""
    try:
        accounts = _accounts(ctx).list()
    except AccountError as error:
        raise UserCommandError(str(error)) from None
    if not accounts:
        click.echo("No users yet. Add one with: user add NAME --role admin")
        return
    rows = [("User name", "Role", "Status")] + [
        (account.name, account.role.value, _status(account)) for account in accounts
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(2)]
    for name, role, status in rows:
        click.echo(f"{name:<{widths[0]}}  {role:<{widths[1]}}  {status}")


def _status(account: Account) -> str:
    if account.disabled:
        return "disabled"
    return "one-time password" if account.must_change_password else "active"


@user.command("set-role")
@click.argument("name")
@click.argument("role_name", metavar="ROLE")
@click.pass_context
def set_role(ctx: click.Context, name: str, role_name: str) -> None:
    """Give user NAME the role ROLE (viewer, recorder or admin)."""
    role = _parse_role(role_name)
    try:
        account = _accounts(ctx).set_role(name, role)
    except AccountError as error:
        raise UserCommandError(str(error)) from None
    click.echo(f"{account.name} is now {account.role.value}")


@user.command("set-password")
@click.argument("name")
@click.option(
    "--password",
    prompt="New password",
    hide_input=True,
    confirmation_prompt=True,
    help="The new password; asked for (hidden, twice) when not given.",
)
@click.pass_context
def set_password(ctx: click.Context, name: str, password: str) -> None:
    """Set a new password for user NAME (ending their current sessions)."""
    try:
        account = _accounts(ctx).set_password(name, password)
    except AccountError as error:
        raise UserCommandError(str(error)) from None
    click.echo(f"Changed the password for {account.name}")


@user.command("remove")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def remove(ctx: click.Context, name: str, yes: bool) -> None:
    """Remove user NAME; they can no longer sign in."""
    if not yes:
        click.confirm(f"Remove user {name}?", abort=True)
    try:
        _accounts(ctx).remove(name)
    except AccountError as error:
        raise UserCommandError(str(error)) from None
    click.echo(f"Removed {name.strip().lower()}")


@user.command("unlock")
@click.argument("name")
@click.pass_context
def unlock(ctx: click.Context, name: str) -> None:
    """Lift the sign-in locks on NAME (after too many wrong passwords)."""
    locks = getattr(ctx.obj, "sign_in_locks", None)
    if locks is None:
        raise UserCommandError("No sign-in attempts are kept here")
    try:
        account = normalise_name(name)
        locks.lift(account, datetime.now(UTC))
    except AccountError as error:
        raise UserCommandError(str(error)) from None
    click.echo(f"{account} can sign in again")


@user.command("history")
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@click.pass_context
def history(ctx: click.Context, limit: int) -> None:
    """The accounts audit trail, newest first, and whether it is intact; exit 1 if not, or if
    an account differs from it (was changed outside the ledger)."""
    accounts = _accounts(ctx)
    if not isinstance(accounts, AuditedAccounts):
        raise UserCommandError("No accounts audit trail is kept here")
    try:
        outcome = accounts.audit.verify()
        discrepancies = accounts.discrepancies()
        entries = accounts.audit.history(limit)
    except (AccountError, LedgerError) as error:
        raise UserCommandError(str(error)) from None
    for entry in entries:
        click.echo(
            f"{entry.recorded_at.isoformat(timespec='seconds')}  {entry.name:<24} "
            f"{entry.detail}{f'  by {entry.by}' if entry.by else ''}"
        )
    for found in discrepancies:
        click.echo(
            f"CHANGED OUTSIDE THE LEDGER: {found.name}: table says {found.table}, "
            f"trail says {found.trail}",
            err=True,
        )
    if outcome.problem is not None:
        click.echo(f"NOT VERIFIED: {outcome.problem.message}", err=True)
    else:
        click.echo(f"accounts audit trail intact: {outcome.fingerprint}", err=True)
    if outcome.problem is not None or discrepancies:
        ctx.exit(1)
