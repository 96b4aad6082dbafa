"""`ledger import-plan`: an improvement plan from a spreadsheet tracker, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from entrypoints.actors import command_line_actor
from ledger.application.imports.mapping import NO_MAPPING, parse_mapping
from ledger.application.imports.plans import PlanImport, import_plan


@click.command(name="import-plan")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--authority", required=True, help="The authority whose plan it is.")
@click.option("--sheet", help="Read only this sheet (default: every sheet with a plan).")
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A TOML file naming columns, recommendations and defaults the file does not.",
)
@click.option("--dry-run", is_flag=True, help="Show what would be recorded; record nothing.")
@click.pass_obj
def import_plan_command(
    obj: Any,
    file: Path,
    authority: str,
    sheet: str | None,
    mapping: Path | None,
    dry_run: bool,
) -> None:
    """Import an improvement plan from FILE (.xlsx, .ods or .csv).

    The same tracker again records nothing; a later version records only what changed. A file
    with any problem is rejected whole, naming each by sheet, row and column.
    """
    plan_mapping = (
        parse_mapping(mapping.read_text(encoding="utf-8"), mapping.name) if mapping else NO_MAPPING
    )
    services = obj.existing
    result = import_plan(
        services.ledger,
        file.name,
        file.read_bytes(),
        authority,
        command_line_actor(),
        mapping=plan_mapping,
        sheet=sheet,
        dry_run=dry_run,
    )
    click.echo(plan_summary(result))


def plan_summary(result: PlanImport) -> str:
    """What was (or would be) recorded, one line per event, then the totals."""
    lines = []
    skipped = (
        f"; passed over {', '.join(result.sheets_skipped)} (no plan headings)"
        if result.sheets_skipped
        else ""
    )
    lines.append(
        f"{result.file}: {result.actions} actions on {', '.join(result.sheets_read)}{skipped}"
    )
    for change in result.changes:
        lines.append(f"  {change.where}: {change.summary}")
    verb = "would record" if result.dry_run else "recorded"
    if not result.changes:
        lines.append("nothing new: the ledger already holds everything in this file")
    else:
        lines.append(
            f"{verb} {result.new_events} new events" + (" (dry run)" if result.dry_run else "")
        )
    return "\n".join(lines)
