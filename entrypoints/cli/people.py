"""`ledger person ...` and `ledger action assign`: people recorded in the ledger, and actions
assigned to them. Each records through the ledger's one door as an import line would (the same
command twice records it once); every error a user can cause prints one line and exits with 2.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

import click

from entrypoints.actors import command_line_actor
from entrypoints.bootstrap import Services
from entrypoints.cli import output as out
from ledger.application.parsing import command_id_of, parse_command
from ledger.application.service import PendingCommand
from ledger.domain.errors import LedgerError

CLI_SOURCE = "ledger command line"


class CliContext(Protocol):
    """What the commands need of `entrypoints.cli.main.CliContext`."""

    @property
    def services(self) -> Services: ...


class PeopleUsageError(LedgerError):
    """An option the command cannot act on."""


def _authority(services: Services, given: str | None) -> str:
    if given:
        services.views.authority(given)  # raises UnknownAuthority
        return given
    slugs = [str(a["slug"]) for a in services.views.authorities() if "slug" in a]
    if len(slugs) == 1:
        return slugs[0]
    raise PeopleUsageError(
        "choose an authority with --authority"
        + (f" ({', '.join(slugs)})" if slugs else ": the ledger holds none yet")
    )


def _record(services: Services, raw: dict[str, Any]) -> int:
    """Record one command line; returns how many events were new."""
    from ledger.application.parsing import CommandParseError
    from ledger.domain.errors import CommandsRejected

    try:
        command = parse_command(raw)
    except CommandParseError as error:
        raise PeopleUsageError(str(error)) from None
    try:
        recorded = services.ledger.execute(
            [PendingCommand(command, command_id_of(raw))], command_line_actor()
        )
    except CommandsRejected as rejected:
        problems = "; ".join(
            f"{e.field}: {e.message}" if e.field else e.message for e in rejected.errors
        )
        raise PeopleUsageError(problems) from None
    return recorded


def _said(recorded: int, what: str) -> str:
    return what if recorded else f"{what} (it had already been recorded)"


def _day(value: date) -> str:
    return value.isoformat()


def _parse_date(_: click.Context, __: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


@click.group("person")
def person() -> None:
    """People: the officers who own actions, their managers and the board's members."""


@person.command("add")
@click.argument("ref")
@click.option("--authority", help="The authority's id (optional when there is only one).")
@click.option("--name", required=True, help="Their name, e.g. 'Jo Bloggs'.")
@click.option("--email", required=True, help="Where reminders go.")
@click.option("--title", help="Their job title, e.g. 'Head of Service, Early Help'.")
@click.option("--manager", help="The id of their manager (a person already added).")
@click.option("--role", "roles", multiple=True, help="A role such as improvement-board-chair.")
@click.option("--account", help="The web sign-in name that is them (for 'My actions').")
@click.option("--digest", is_flag=True, help="Send them the authority's weekly digest by email.")
@click.option("--date", "day", callback=_parse_date, help="When they joined (default today).")
@click.option("--source", default=CLI_SOURCE, show_default=True, help="The source document.")
@click.pass_obj
def add(
    obj: CliContext,
    ref: str,
    authority: str | None,
    name: str,
    email: str,
    title: str | None,
    manager: str | None,
    roles: tuple[str, ...],
    account: str | None,
    digest: bool,
    day: date | None,
    source: str,
) -> None:
    """Add the person REF (a stable id such as jo-bloggs)."""
    services = obj.services
    slug = _authority(services, authority)
    raw = {
        "type": "PersonAdded",
        "authority": slug,
        "id": ref,
        "name": name,
        "email": email,
        "title": title,
        "manager": manager,
        "roles": list(roles),
        "account": account,
        "digest": digest,
        "date": _day(day or services.today()),
        "source": source,
    }
    click.echo(_said(_record(services, raw), f"added {name} ({ref}) to {slug}"))


@person.command("update")
@click.argument("ref")
@click.option("--authority", help="The authority's id (optional when there is only one).")
@click.option("--name")
@click.option("--email")
@click.option("--title", help="A new job title ('' clears it).")
@click.option("--manager", help="A new manager's id ('' clears it).")
@click.option("--role", "roles", multiple=True, help="Their roles from now on (repeatable).")
@click.option("--no-roles", is_flag=True, help="Take every role away.")
@click.option("--account", help="The web sign-in name that is them ('' clears it).")
@click.option("--digest/--no-digest", default=None, help="Send them the weekly digest, or stop.")
@click.option("--date", "day", callback=_parse_date, help="When it changed (default today).")
@click.option("--source", default=CLI_SOURCE, show_default=True)
@click.pass_obj
def update(
    obj: CliContext,
    ref: str,
    authority: str | None,
    name: str | None,
    email: str | None,
    title: str | None,
    manager: str | None,
    roles: tuple[str, ...],
    no_roles: bool,
    account: str | None,
    digest: bool | None,
    day: date | None,
    source: str,
) -> None:
    """Change some of REF's details (only those given)."""
    services = obj.services
    slug = _authority(services, authority)
    changes: dict[str, Any] = {}
    for key, value in (("name", name), ("email", email)):
        if value is not None:
            changes[key] = value
    for key, value in (("title", title), ("manager", manager), ("account", account)):
        if value is not None:
            changes[key] = value or None
    if roles or no_roles:
        changes["roles"] = [] if no_roles else list(roles)
    if digest is not None:
        changes["digest"] = digest
    if not changes:
        raise PeopleUsageError("say what changes (see ledger person update --help)")
    raw = {
        "type": "PersonUpdated",
        "authority": slug,
        "id": ref,
        "changes": changes,
        "date": _day(day or services.today()),
        "source": source,
    }
    fields = ", ".join(sorted(changes))
    click.echo(_said(_record(services, raw), f"updated {ref} in {slug}: {fields}"))


@person.command("leave")
@click.argument("ref")
@click.option("--authority", help="The authority's id (optional when there is only one).")
@click.option("--date", "day", callback=_parse_date, help="The day they left (default today).")
@click.option("--reason", default="", help="Why, e.g. 'moved to another council'.")
@click.option("--source", default=CLI_SOURCE, show_default=True)
@click.pass_obj
def leave(
    obj: CliContext,
    ref: str,
    authority: str | None,
    day: date | None,
    reason: str,
    source: str,
) -> None:
    """Record that REF left: reminders to them stop; their actions stay theirs until
    reassigned."""
    services = obj.services
    slug = _authority(services, authority)
    raw: dict[str, Any] = {
        "type": "PersonLeft",
        "authority": slug,
        "id": ref,
        "date": _day(day or services.today()),
        "source": source,
    }
    if reason:
        raw["reason"] = reason
    click.echo(_said(_record(services, raw), f"recorded that {ref} left {slug}"))


@person.command("list")
@click.option("--authority", help="The authority's id (optional when there is only one).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def list_people(obj: CliContext, authority: str | None, as_json: bool) -> None:
    """The authority's people, with their manager and open actions."""
    services = obj.services
    view = services.views.people(_authority(services, authority))
    if as_json:
        out.echo_json(view)
        return
    rows = [
        [
            p["ref"],
            p["name"],
            p["title"] or "-",
            p["email"],
            p["manager_name"] or "-",
            ", ".join(p["roles"]) or "-",
            "yes" if p["digest"] else "no",
            p["open_actions"],
            "active" if p["active"] else f"left {p['left']['date']}",
        ]
        for p in view["people"]
    ]
    headers = ["Id", "Name", "Title", "Email", "Manager", "Roles", "Digest", "Open", "Status"]
    click.echo(out.table(headers, rows) if rows else "No people are recorded yet.")


@click.group("action")
def action() -> None:
    """Actions of the improvement plan: assign them to people."""


@action.command("assign")
@click.argument("refs", nargs=-1, metavar="[ACTION_REF] PERSON_REF")
@click.option("--authority", help="The authority's id (optional when there is only one).")
@click.option(
    "--owner",
    help="Instead of one action: every open action whose free-text owner is exactly this.",
)
@click.option("--date", "day", callback=_parse_date, help="When (default today).")
@click.option("--source", default=CLI_SOURCE, show_default=True)
@click.pass_obj
def assign(
    obj: CliContext,
    refs: tuple[str, ...],
    authority: str | None,
    owner: str | None,
    day: date | None,
    source: str,
) -> None:
    """Assign ACTION_REF (or, with --owner, every open action of that owner) to PERSON_REF."""
    if len(refs) != (1 if owner is not None else 2):
        raise PeopleUsageError(
            "give ACTION_REF PERSON_REF, or --owner TEXT and PERSON_REF (see --help)"
        )
    person_ref = refs[-1]
    services = obj.services
    slug = _authority(services, authority)
    if owner is not None:
        tracker = services.views.actions(slug)["actions"]
        chosen = [
            a["ref"]
            for a in tracker
            if a["status"] == "open"
            and a["owner"] == owner
            and (a["person"] is None or a["person"]["ref"] != person_ref)
        ]
        if not chosen:
            raise PeopleUsageError(f"no open action of {slug} is owned by {owner!r} unassigned")
    else:
        chosen = [refs[0]]
    recorded = 0
    for ref in chosen:
        raw = {
            "type": "ActionAssigned",
            "authority": slug,
            "id": ref,
            "person": person_ref,
            "date": _day(day or services.today()),
            "source": source,
        }
        recorded += _record(services, raw)
    what = f"assigned {', '.join(chosen)} to {person_ref}"
    click.echo(_said(recorded, what))
