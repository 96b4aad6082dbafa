"""``user grant``, ``user revoke`` and ``user access``: which authorities a user's role applies
to (see :mod:`web.grants`). A grant names an authority the ledger holds, a region it holds
authorities in, or every authority; anything else is refused, so a typing slip never grants
nothing in silence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from ledger.domain.authority_names import region_key
from web.accounts import AccountError, Role
from web.grants import Grant


class GrantProblem(click.ClickException):
    """A grant that cannot be made: one line on stderr, exit status 2."""

    exit_code = 2


def _chosen(
    ctx: click.Context, authorities: tuple[str, ...], regions: tuple[str, ...], everything: bool
) -> list[Grant]:
    if not (authorities or regions or everything):
        raise GrantProblem("say what to grant: --authority SLUG, --region NAME or --all")
    views = ctx.obj.services.views
    known = {str(a["slug"]): a for a in views.authorities()}
    held_regions = {region_key(str(a["region"])) for a in known.values() if a.get("region")}
    chosen = [Grant.everything()] if everything else []
    for slug in authorities:
        if slug.strip().lower() not in known:
            raise GrantProblem(f"no authority {slug!r} is recorded (see `ledger overview`)")
        chosen.append(Grant.authority(slug))
    for region in regions:
        if region_key(region.replace("-", " ")) not in held_regions:
            names = ", ".join(sorted(held_regions)) or "none recorded"
            raise GrantProblem(f"no authority is recorded in a region {region!r} ({names})")
        chosen.append(Grant.region(region))
    return chosen


def _account(ctx: click.Context, name: str) -> str:
    try:
        account = ctx.obj.accounts.get(name)
    except AccountError as error:
        raise GrantProblem(str(error)) from None
    if account is None:
        raise GrantProblem(f"There is no user called {name.strip().lower()!r}")
    return str(account.name)


def _scope_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in (
        click.option("--all", "everything", is_flag=True, help="Every authority."),
        click.option("--region", "regions", multiple=True, help="An Ofsted region (repeatable)."),
        click.option("--authority", "authorities", multiple=True, help="A slug (repeatable)."),
    ):
        command = option(command)
    return command


@click.command("grant")
@click.argument("name")
@_scope_options
@click.pass_context
def grant(
    ctx: click.Context,
    name: str,
    authorities: tuple[str, ...],
    regions: tuple[str, ...],
    everything: bool,
) -> None:
    """Let user NAME's role apply to these authorities, regions, or every authority."""
    account = _account(ctx, name)
    for chosen in _chosen(ctx, authorities, regions, everything):
        ctx.obj.grants.grant(account, chosen)
        click.echo(f"{account}: granted {chosen}")


@click.command("revoke")
@click.argument("name")
@_scope_options
@click.pass_context
def revoke(
    ctx: click.Context,
    name: str,
    authorities: tuple[str, ...],
    regions: tuple[str, ...],
    everything: bool,
) -> None:
    """Take grants away from user NAME."""
    account = _account(ctx, name)
    chosen = [Grant.everything()] if everything else []
    chosen += [Grant.authority(a) for a in authorities] + [Grant.region(r) for r in regions]
    if not chosen:
        raise GrantProblem("say what to revoke: --authority SLUG, --region NAME or --all")
    for item in chosen:
        if not ctx.obj.grants.revoke(account, item):
            raise GrantProblem(f"{account} does not hold {item}")
        click.echo(f"{account}: revoked {item}")


@click.command("access")
@click.argument("name", required=False)
@click.pass_context
def access(ctx: click.Context, name: str | None) -> None:
    """Which authorities each user's role applies to (or user NAME's)."""
    try:
        accounts = ctx.obj.accounts.list()
    except AccountError as error:
        raise GrantProblem(str(error)) from None
    if name is not None:
        wanted = _account(ctx, name)
        accounts = tuple(a for a in accounts if a.name == wanted)
    for account in accounts:
        if account.role is Role.ADMIN:
            scope = "every authority (admin)"
        else:
            held = ctx.obj.grants.grants_of(account.name)
            scope = ", ".join(str(g) for g in held) or "no authority (grant one with user grant)"
        click.echo(f"{account.name} ({account.role.value}): {scope}")
