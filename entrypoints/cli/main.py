"""The `ledger` command line: record, query, audit, verify, export and serve the journey.

Every error a user can cause, a mistyped command or option included, prints one line
(`error: ...`) and exits with status 2; nothing is written by a command that fails, and a
command that only reads never creates a folder or a database.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import click
from eventsourcing.persistence import PersistenceError

from config.loading import Configuration, load_configuration
from config.settings import Settings
from entrypoints.actors import command_line_actor
from entrypoints.bootstrap import Access, Services, services_from
from entrypoints.cli import output as out
from entrypoints.cli.digest import digest, scheduler
from entrypoints.cli.grants import access, grant, revoke
from entrypoints.cli.packs import make_pack_command
from entrypoints.cli.people import action, person
from entrypoints.cli.plans import import_plan_command
from entrypoints.cli.reminders import reminders
from entrypoints.cli.users import user
from entrypoints.demo import DEMO_JOURNEY
from entrypoints.first_run import first_administrator, first_administrator_message
from entrypoints.report_maker import table_instant
from entrypoints.serving import check_port_free, serve_forever, web_address
from ledger.application.importing import BadLine, ImportRejected, parse_json_line
from ledger.application.imports.editions import EditionRejected
from ledger.application.imports.ofsted import import_ofsted
from ledger.application.imports.plans import PlanRejected
from ledger.application.limits import read_known_at
from ledger.domain.authority_names import region_key
from ledger.domain.errors import InvalidCommand, LedgerError
from ledger.domain.grades import Grade
from ledger.evidence.bundles import BadExport, verify_bundle
from ledger.evidence.chain import Fingerprint
from ledger.persistence.database_urls import parse_database_url
from projections.timeline import KINDS
from reports.tables import FORMATS, TABLES, csv_bytes
from reports.workbooks import xlsx_bytes
from web.auth.audited_accounts import AuditedAccounts
from web.auth.sign_in_attempts import Limit, SignInAttempts
from web.config import ACCOUNT_LOCK_LIMIT, SIGN_IN_RATE_LIMIT
from web.grants import DatabaseGrantStore
from web.overview.exports import as_csv, as_xlsx

DISTRIBUTION = "improvement-journey-ledger"
#: How many of a rejected file's problems are listed (the count says how many there were).
SHOWN_PROBLEMS = 100


class UsageProblem(LedgerError):
    """A bad option value the CLI itself detects."""


class LedgerGroup(click.Group):
    """Turns every error a user can cause into one line on stderr and exit status 2."""

    def main(
        self,
        args: Any = None,
        prog_name: str | None = None,  # noqa: ARG002 - always "ledger" (below)
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Click's own main, but its usage errors (four lines: usage, a hint, a blank line
        and the error) become one line naming where help is."""
        try:
            # Always "ledger": it is what people type, however the process was started.
            outcome = super().main(args, "ledger", complete_var, standalone_mode=False, **extra)
        except click.UsageError as error:
            where = error.ctx.command_path if error.ctx is not None else "ledger"
            message = error.format_message().rstrip(".")
            click.echo(f"error: {message[:1].lower()}{message[1:]} (see {where} --help)", err=True)
            sys.exit(2)
        except click.ClickException as error:
            click.echo(f"error: {error.format_message()}", err=True)
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(1)
        if not standalone_mode:
            return outcome
        # With standalone_mode off, click hands back an exit status instead of exiting.
        sys.exit(outcome if isinstance(outcome, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (ImportRejected, PlanRejected) as rejected:
            click.echo(f"error: {rejected}", err=True)
            for problem in rejected.errors[:SHOWN_PROBLEMS]:
                click.echo(f"  {problem}", err=True)
            if len(rejected.errors) > SHOWN_PROBLEMS:
                click.echo(f"  …and {len(rejected.errors) - SHOWN_PROBLEMS:,} more", err=True)
            ctx.exit(2)
        except EditionRejected as rejected:
            click.echo(f"error: {rejected}", err=True)
            for edition_problem in rejected.problems:
                click.echo(f"  {edition_problem}", err=True)
            ctx.exit(2)
        except LedgerError as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(2)
        except PersistenceError as error:
            click.echo(f"error: the database refused the operation: {error}", err=True)
            ctx.exit(2)
        except OSError as error:
            click.echo(
                f"error: {error.strerror or error}: {error.filename or ''}".rstrip(": "), err=True
            )
            ctx.exit(2)


@dataclass
class CliContext:
    """What every command gets: the configuration read at start, and the services built from it
    on first use (by the composition root), for what the command does with the ledger."""

    configuration: Configuration
    database_url: str
    #: Commands that only read set `Access.READ` (see `reads_only`) before using the services.
    access: Access = Access.MIGRATE
    _services: Services | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        return self.configuration.settings

    @property
    def services(self) -> Services:
        """The services, creating the ledger's tables (and SQLite file) if need be."""
        if self._services is None:
            self._services = services_from(
                self.settings,
                self.configuration.frameworks,
                self.database_url,
                self.configuration.clocks,
                access=self.access,
            )
        return self._services

    @property
    def existing(self) -> Services:
        """The services of a ledger that must exist already: for commands that only read,
        which must not leave an empty database (or its folder) behind on a mistyped path."""
        if self._services is None:
            storage = parse_database_url(self.database_url, self.settings.cipher_key)
            if storage.sqlite_path is not None and not storage.sqlite_path.is_file():
                raise UsageProblem(
                    f"there is no ledger at {storage.sqlite_path}: check --database, or create "
                    "one with `ledger init` (empty) or `ledger demo` (the demo journey)"
                )
        return self.services

    def close(self) -> None:
        if self._services is not None:
            self._services.close()

    @property
    def accounts(self) -> AuditedAccounts:
        """Web sign-in accounts, kept in the ledger's database, with their audit trail."""
        return self.services.accounts

    @property
    def sign_in_locks(self) -> SignInAttempts:
        """The web app's sign-in locks, counted in the ledger's database."""
        return SignInAttempts(
            self.services.sign_in_attempts,
            Limit.parse(SIGN_IN_RATE_LIMIT),
            Limit.parse(ACCOUNT_LOCK_LIMIT),
        )

    @property
    def grants(self) -> DatabaseGrantStore:
        """Which authorities each account's role applies to."""
        return self.services.grants

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.settings.timezone)


@click.group(cls=LedgerGroup)
@click.version_option(package_name=DISTRIBUTION, prog_name="ledger", message="%(prog)s %(version)s")
@click.option(
    "--database",
    envvar="LEDGER_DATABASE_URL",
    help="sqlite:///path.db or postgresql://user@host:port/db (default from config/settings.toml).",
)
@click.pass_context
def main(ctx: click.Context, database: str | None) -> None:
    """The improvement-journey ledger."""
    configuration = load_configuration()
    ctx.obj = CliContext(configuration, database or configuration.settings.database_url)
    ctx.call_on_close(ctx.obj.close)


F = TypeVar("F", bound=Callable[..., Any])


def reads_only(command: F) -> F:
    """Mark a command that writes nothing to the ledger: it runs no DDL, needs an existing
    ledger (a mistyped path is an error, not a new empty ledger) and works on read-only media."""

    @functools.wraps(command)
    def reading(*args: Any, **kwargs: Any) -> Any:
        cli = click.get_current_context().find_object(CliContext)
        if cli is not None:
            cli.access = Access.READ
        return command(*args, **kwargs)

    return reading  # type: ignore[return-value]


def _parse_date(_: click.Context, __: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _parse_instant(ctx: click.Context, _: click.Parameter, value: str | None) -> datetime | None:
    """An instant; a time without a zone is the council's local time; a bare date means the end of
    that day (what the ledger said by the close of it). Not in the future (the web's rule too)."""
    if value is None:
        return None
    cli = ctx.find_object(CliContext)
    zone = cli.timezone if cli is not None else ZoneInfo("UTC")
    try:
        instant, _end_of_day = read_known_at(value, zone, datetime.now(UTC))
    except InvalidCommand as error:
        raise click.BadParameter(error.message) from None
    return instant


def query_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options every query takes."""
    for option in reversed(
        [
            click.option(
                "--authority", help="The authority's id (optional when there is only one)."
            ),
            click.option(
                "--as-of", callback=_parse_date, help="Valid time: what was in force on this day."
            ),
            click.option(
                "--known-at",
                callback=_parse_instant,
                help="Transaction time: what the ledger said then (before later corrections).",
            ),
            click.option(
                "--json",
                "as_json",
                is_flag=True,
                help="Machine-readable output (keys in the README).",
            ),
            click.option(
                "--format",
                "export_format",
                type=click.Choice(FORMATS),
                help="Export the list as a CSV or XLSX table (with -o, or to standard output).",
            ),
            click.option(
                "--output",
                "-o",
                type=click.Path(dir_okay=False, path_type=Path),
                help="Write the export here.",
            ),
        ]
    ):
        command = option(command)
    return command


def _authority(services: Services, given: str | None, known_at: datetime | None) -> str:
    if given:
        return given
    slugs = [str(a["slug"]) for a in services.views.authorities(known_at)]
    if len(slugs) == 1:
        return slugs[0]
    if not slugs and known_at is not None:
        raise UsageProblem(f"no authority was recorded yet as known at {known_at.isoformat()}")
    if not slugs:
        raise UsageProblem(
            "the ledger holds no authority yet: run `ledger demo` or `ledger import`"
        )
    raise UsageProblem(
        f"several authorities are recorded; choose one with --authority ({', '.join(slugs)})"
    )


@dataclass(frozen=True)
class Shown:
    """How a query's answer is to be shown: as text, JSON, or a CSV/XLSX table (to a file)."""

    as_json: bool
    export_format: str | None
    output: Path | None


def _show(how: Shown, name: str, view: Any, render: Callable[[Any], str]) -> None:
    if how.export_format is not None:
        table = TABLES[name](view)
        if how.export_format == "csv":
            data = csv_bytes(table)
        else:
            data = xlsx_bytes([table], table_instant(view))
        if how.output is not None:
            how.output.write_bytes(data)
            click.echo(f"{name} written to {how.output} ({len(table.rows)} rows)", err=True)
        elif how.export_format == "xlsx" and sys.stdout.isatty():
            raise UsageProblem("an XLSX export is binary: name a file with -o")
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
    elif how.as_json:
        out.echo_json(view)
    else:
        click.echo(render(view))


@main.command()
@click.pass_obj
def init(obj: CliContext) -> None:
    """Create the ledger's tables (safe to run again)."""
    services = obj.services
    click.echo(
        f"ledger ready at {services.storage.display}; fingerprint {services.ledger.fingerprint()}"
    )


@main.command()
@click.pass_obj
def demo(obj: CliContext) -> None:
    """Load Lancashire's journey 2015-2018, built from the seed documents (idempotent)."""
    with DEMO_JOURNEY.open(encoding="utf-8") as lines:
        result = obj.services.ledger.import_lines(lines, actor="demo-loader")
    obj.services.read_model.catch_up()
    click.echo(f"demo journey: {result.commands} records, {result.new_events} new events")


@main.command(name="import")
@click.argument("file", type=click.File("rb"))
@click.pass_obj
def import_(obj: CliContext, file: Any) -> None:
    """Import FILE: JSON Lines of commands, or an export to restore ('-' reads standard input).

    A file with any bad line is rejected whole, naming every error; nothing is written.
    """
    lines = file.read().split(b"\n")
    services = obj.services
    if _is_export(next((line for line in lines if line.strip()), b"")):
        added = services.ledger.restore(lines)
        services.read_model.catch_up()
        click.echo(f"restored {added} events; fingerprint {services.ledger.fingerprint()}")
        return
    result = services.ledger.import_lines(lines, actor=command_line_actor())
    services.read_model.catch_up()
    click.echo(f"imported {result.commands} records: {result.new_events} new events")


@main.command(name="import-ofsted")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and say what it would record.")
@click.pass_obj
def import_ofsted_command(obj: CliContext, file: Path, dry_run: bool) -> None:
    """Import FILE: an edition of Ofsted's local authority inspection outcomes (ODS or XLSX).

    Every authority is registered with its latest inspections; an edition that revises a grade
    or a date records a correction citing it. All or nothing: a problem anywhere is named by
    sheet and row, and nothing is recorded. Importing an edition again changes nothing.
    """
    services = obj.services
    result = import_ofsted(
        services.ledger,
        file,
        obj.configuration.reorganisations,
        command_line_actor(),
        dry_run=dry_run,
    )
    if not dry_run:
        services.read_model.catch_up()
    click.echo(("dry run, nothing recorded: " if dry_run else "") + result.summary())


def _is_export(line: bytes) -> bool:
    """Whether a file's first line is an export's header (then the file is restored)."""
    try:
        data = parse_json_line(line)
    except BadLine:
        return False
    return isinstance(data, dict) and "ledger_export" in data


@main.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here, not to standard output.",
)
@click.option(
    "--bundle",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a verifiable bundle (zip) here.",
)
@click.pass_obj
@reads_only
def export(obj: CliContext, output: Path | None, bundle: Path | None) -> None:
    """Write every event in order, with its metadata and seal, as JSON Lines (or a bundle)."""
    ledger = obj.existing.ledger
    if bundle is not None:
        fingerprint = ledger.export_bundle(bundle)
        click.echo(f"bundle written to {bundle}; fingerprint {fingerprint}", err=True)
        return
    if output is None:
        fingerprint = ledger.export(sys.stdout)
    else:
        with output.open("w", encoding="utf-8") as handle:
            fingerprint = ledger.export(handle)
    click.echo(f"exported; fingerprint {fingerprint}", err=True)


@main.command()
@click.pass_obj
@reads_only
def fingerprint(obj: CliContext) -> None:
    """Print the ledger's fingerprint (event count and chain head): keep it to check later."""
    click.echo(str(obj.existing.ledger.fingerprint()))


def _parse_fingerprint(
    _: click.Context, __: click.Parameter, value: str | None
) -> Fingerprint | None:
    if value is None:
        return None
    try:
        return Fingerprint.parse(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


@main.command()
@click.option(
    "--fingerprint",
    "expected",
    callback=_parse_fingerprint,
    help="A fingerprint you kept: the history must still pass through it.",
)
@click.option(
    "--bundle",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Verify this bundle, with no database.",
)
@click.pass_context
@reads_only
def verify(ctx: click.Context, expected: Fingerprint | None, bundle: Path | None) -> None:
    """Walk the history against its seals; exit 0 only when all is intact."""
    try:
        outcome = (
            verify_bundle(bundle, expected) if bundle else ctx.obj.existing.ledger.verify(expected)
        )
    except BadExport as error:
        click.echo(f"NOT VERIFIED: {error}", err=True)
        ctx.exit(1)
    if outcome.problem is not None:
        click.echo(f"NOT VERIFIED: {outcome.problem.message}", err=True)
        click.echo(
            f"intact up to event #{outcome.fingerprint.count}: {outcome.fingerprint}", err=True
        )
        ctx.exit(1)
    what = f"bundle {bundle}" if bundle else "ledger"
    extends = f"; extends {expected}" if expected else ""
    click.echo(
        f"verified: {what} intact, {outcome.fingerprint.count} events, "
        f"fingerprint {outcome.fingerprint}{extends}"
    )
    if bundle is None:
        _verify_accounts_trail(ctx)


def _verify_accounts_trail(ctx: click.Context) -> None:
    """The accounts audit trail is a chain of its own: verified alongside, where there is one."""
    trail = ctx.obj.services.accounts_audit
    if not trail.schema_exists():
        return
    outcome = trail.verify()
    if outcome.problem is not None:
        click.echo(f"NOT VERIFIED: accounts audit trail: {outcome.problem.message}", err=True)
        ctx.exit(1)
    click.echo(
        f"verified: accounts audit trail intact, {outcome.fingerprint.count} events, "
        f"fingerprint {outcome.fingerprint}"
    )


@main.command()
@query_options
@click.pass_obj
@reads_only
def judgements(
    obj: CliContext,
    authority: str | None,
    as_of: date | None,
    known_at: datetime | None,
    as_json: bool,
    export_format: str | None,
    output: Path | None,
) -> None:
    """Current judgements per area, with the previous grade and direction of travel."""
    views = obj.existing.views
    view = views.judgements(_authority(obj.existing, authority, known_at), as_of, known_at)
    _show(Shown(as_json, export_format, output), "judgements", view, out.judgements_text)


@main.command()
@query_options
@click.option(
    "--status", type=click.Choice(["open", "closed", "all"]), default="open", show_default=True
)
@click.pass_obj
@reads_only
def recommendations(
    obj: CliContext,
    authority: str | None,
    as_of: date | None,
    known_at: datetime | None,
    as_json: bool,
    export_format: str | None,
    output: Path | None,
    status: str,
) -> None:
    """Recommendations with the actions answering them and their latest RAG."""
    views = obj.existing.views
    view = views.recommendations(
        _authority(obj.existing, authority, known_at), status, as_of, known_at
    )
    _show(Shown(as_json, export_format, output), "recommendations", view, out.recommendations_text)


@main.command()
@query_options
@click.option("--overdue", is_flag=True, help="Only overdue actions.")
@click.pass_obj
@reads_only
def actions(
    obj: CliContext,
    authority: str | None,
    as_of: date | None,
    known_at: datetime | None,
    as_json: bool,
    export_format: str | None,
    output: Path | None,
    overdue: bool,
) -> None:
    """The action tracker: status, RAG, due dates (with slips), overdue and due within 14 days."""
    views = obj.existing.views
    view = views.actions(
        _authority(obj.existing, authority, known_at), as_of, known_at, overdue_only=overdue
    )
    _show(Shown(as_json, export_format, output), "actions", view, out.actions_text)


@main.command()
@query_options
@click.option("--from", "start", callback=_parse_date, help="First day (inclusive).")
@click.option("--to", "end", callback=_parse_date, help="Last day (inclusive).")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(KINDS),
    help="Only entries of this kind (repeatable).",
)
@click.pass_obj
@reads_only
def timeline(
    obj: CliContext,
    authority: str | None,
    as_of: date | None,
    known_at: datetime | None,
    as_json: bool,
    export_format: str | None,
    output: Path | None,
    start: date | None,
    end: date | None,
    kinds: tuple[str, ...],
) -> None:
    """The journey timeline, dated by when each thing was true."""
    if start is not None and end is not None and end < start:
        raise UsageProblem(f"--to {end} is before --from {start}: the period would be empty")
    views = obj.existing.views
    view = views.timeline(
        _authority(obj.existing, authority, known_at), as_of, known_at, start, end, kinds
    )
    _show(Shown(as_json, export_format, output), "timeline", view, out.timeline_text)


@main.command()
@query_options
@click.pass_obj
@reads_only
def indicators(
    obj: CliContext,
    authority: str | None,
    as_of: date | None,
    known_at: datetime | None,
    as_json: bool,
    export_format: str | None,
    output: Path | None,
) -> None:
    """Indicators over time and how each latest reading moved."""
    views = obj.existing.views
    view = views.indicators(_authority(obj.existing, authority, known_at), as_of, known_at)
    _show(Shown(as_json, export_format, output), "indicators", view, out.indicators_text)


@main.command()
@click.option("--region", help="Only this region (its name, or as in a URL: north-west).")
@click.option(
    "--grade",
    type=click.Choice([g.value for g in Grade]),
    help="Only authorities with this overall grade (the counts still cover all).",
)
@click.option("--as-of", callback=_parse_date, help="Valid time: what was in force on this day.")
@click.option(
    "--known-at",
    callback=_parse_instant,
    help="Transaction time: what the ledger said then (before later corrections).",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output (see the README).")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "csv", "xlsx"]),
    default="text",
    show_default=True,
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here, not to standard output (needed for xlsx on a terminal).",
)
@click.pass_obj
def overview(
    obj: CliContext,
    region: str | None,
    grade: str | None,
    as_of: date | None,
    known_at: datetime | None,
    as_json: bool,
    output_format: str,
    output: Path | None,
) -> None:
    """Every authority: its current grade per area, direction of travel, counts per grade."""
    view = obj.services.views.overview(region, as_of, known_at, grade)
    if (
        region
        and not view["authorities"]
        and not any(
            region_key(r["name"]) == region_key(region.replace("-", " ")) for r in view["regions"]
        )
    ):
        names = ", ".join(r["slug"] for r in view["regions"]) or "none recorded"
        raise UsageProblem(f"no region {region!r} (regions: {names})")
    chosen = "json" if as_json else output_format
    if chosen == "xlsx":
        data = as_xlsx(view)
        if output is None and sys.stdout.isatty():
            raise UsageProblem("an xlsx workbook is binary: write it to a file with -o FILE")
        if output is None:
            sys.stdout.buffer.write(data)
        else:
            output.write_bytes(data)
        return
    text = {
        "json": lambda: json.dumps(view, indent=2, ensure_ascii=False) + "\n",
        "csv": lambda: as_csv(view),
        "text": lambda: out.overview_text(view) + "\n",
    }[chosen]()
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


@main.command()
@click.option(
    "--projection", "names", multiple=True, help="Rebuild only this projection (repeatable)."
)
@click.pass_obj
def rebuild(obj: CliContext, names: tuple[str, ...]) -> None:
    """Rebuild read models from the first event."""
    services = obj.existing
    total = services.ledger.last_position()
    with click.progressbar(length=max(total, 1), label="rebuilding", file=sys.stderr) as bar:
        try:
            count = services.read_model.rebuild(names, progress=bar.update)
        except ValueError as error:
            raise UsageProblem(str(error)) from None
    click.echo(f"rebuilt from {count} events")


user.add_command(grant)
user.add_command(revoke)
user.add_command(access)
main.add_command(user)
main.add_command(import_plan_command)
main.add_command(make_pack_command(_parse_date, _parse_instant, _authority))
main.add_command(digest)
main.add_command(scheduler)
main.add_command(person)
main.add_command(action)
main.add_command(reminders)


def _ready_to_serve(obj: CliContext, host: str, port: int) -> None:
    """Check the port, bring the read models up to date (before workers fork), make the first
    administrator if nobody can sign in yet, and say where to point a browser."""
    check_port_free(host, port)
    obj.services.read_model.catch_up()
    made = first_administrator(obj.accounts)
    if made is not None:
        click.echo(first_administrator_message(*made))
    click.echo(f"Open {web_address(host, port)} in a browser (stop with Ctrl+C).")


@main.command()
@click.option("--host", help="Address to listen on (default from config/settings.toml).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--workers", type=click.IntRange(1), help="gunicorn worker processes.")
@click.pass_obj
def serve(obj: CliContext, host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the web app with gunicorn (several workers; no digest scheduling in them)."""
    host, port = host or obj.settings.web_host, port or obj.settings.web_port
    _ready_to_serve(obj, host, port)
    serve_forever(
        obj.configuration, obj.database_url, host, port, workers or obj.settings.web_workers
    )


@main.command()
@click.option("--host", help="Address to listen on (default from config/settings.toml).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--workers", type=click.IntRange(1), help="gunicorn worker processes.")
@click.pass_obj
def run(obj: CliContext, host: str | None, port: int | None, workers: int | None) -> None:
    """The main job: the web app, and the digest scheduler in a process of its own."""
    host, port = host or obj.settings.web_host, port or obj.settings.web_port
    _ready_to_serve(obj, host, port)
    # The scheduler never runs inside web workers, where each worker would send every digest.
    scheduler_process = subprocess.Popen(
        [sys.executable, "-m", "entrypoints", "--database", obj.database_url, "scheduler"]
    )
    try:
        serve_forever(
            obj.configuration, obj.database_url, host, port, workers or obj.settings.web_workers
        )
    finally:
        scheduler_process.terminate()
        try:
            # A send in progress (with its retries) is let finish, so its outcome is recorded.
            scheduler_process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            scheduler_process.kill()
