"""`ledger import-ofsted`: an edition of Ofsted's outcomes spreadsheet, as commands to the ledger.

The edition is read (see `editions`), compared with what the ledger already holds, and turned
into the commands that make the ledger agree with it, executed through `JourneyLedger.execute`
in one transaction: every one or none.

* An authority not yet in the ledger is registered (name, ONS code where given, region); one
  already there (found by its code, or any spelling of its name) keeps its name, and a code or
  region the edition gives that it lacks or differs in is recorded as a correction.
* Each inspection's framework follows from its dates against the frameworks' periods (and its
  type and grades against each framework's kinds and areas); grades are mapped to that
  framework's areas (before 2023 "children in care" is the combined judgement of children in
  care and care leavers; a blank is "not graded").
* An inspection the ledger already holds (recorded from an earlier edition, or from its report,
  like the demo's) is matched by its dates, not recorded again; where this edition gives other
  grades or dates for it, a correction citing the edition is recorded.
* An authority listed only among those that no longer exist is registered with its inspections
  and recorded as reorganised into its successors, on the day `config/reorganisations.toml`
  gives.

Re-importing an edition finds nothing to change and records nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ledger.application.commands import (
    COMMAND_NAMES,
    Correct,
    RecordInspection,
    RegisterAuthority,
    ReorganiseAuthority,
)
from ledger.application.imports.editions import (
    REPORT_WITHIN,
    AuthorityOutcomes,
    Edition,
    EditionProblem,
    EditionRejected,
    PublishedInspection,
    Where,
    read_edition,
)
from ledger.application.imports.workbook import read_workbook
from ledger.application.parsing import command_id_of
from ledger.application.service import JourneyLedger, PendingCommand, RecordDetails
from ledger.domain.authority_names import name_key, region_key, slug_for
from ledger.domain.errors import CommandsRejected, InvalidCommand
from ledger.domain.frameworks import Framework, FrameworkCatalogue
from ledger.domain.grades import Grade
from ledger.domain.reorganisations import ReorganisationCatalogue

# Two dates of one inspection in two editions: a revision moves a date by days, not months.
SAME_INSPECTION_WITHIN = timedelta(days=42)


@dataclass(frozen=True)
class OfstedImportResult:
    """What an import did (or, on a dry run, would do)."""

    edition: str
    authorities: int
    registered: int
    inspections: int
    corrections: int
    reorganisations: int
    new_events: int

    def summary(self) -> str:
        return (
            f"{self.edition}: {self.authorities} authorities; registered {self.registered}, "
            f"{self.inspections} inspections recorded, {self.corrections} corrections, "
            f"{self.reorganisations} reorganisations; {self.new_events} new events"
        )


@dataclass
class _Known:
    """What the ledger holds already: authorities and each one's inspections."""

    authorities: dict[str, RecordDetails]
    inspections: dict[str, list[RecordDetails]]

    def find(self, outcome: AuthorityOutcomes) -> str | None:
        """The slug of the recorded authority the edition's row is, or None."""
        if outcome.code:
            for slug, details in self.authorities.items():
                if details.fields.get("code") == outcome.code:
                    return slug
        key = outcome.key
        for slug, details in self.authorities.items():
            if name_key(str(details.fields["name"])) == key:
                return slug
        slug = slug_for(outcome.name)
        return slug if slug in self.authorities else None


@dataclass
class _Plan:
    commands: list[tuple[Any, Where | None]] = field(default_factory=list)
    problems: list[EditionProblem] = field(default_factory=list)
    registered: int = 0
    inspections: int = 0
    corrections: int = 0
    reorganisations: int = 0

    def add(self, command: Any, where: Where | None) -> None:
        self.commands.append((command, where))


def import_ofsted(
    ledger: JourneyLedger,
    path: Path,
    reorganisations: ReorganisationCatalogue,
    actor: str,
    *,
    dry_run: bool = False,
) -> OfstedImportResult:
    """Import the edition in the spreadsheet at `path`, all or nothing.

    Raises `SpreadsheetUnreadable`, or `EditionRejected` naming every problem by sheet and row.
    """
    edition = read_edition(read_workbook(path))
    known = _Known(
        {details.ref: details for _, details in ledger.records("authority")},
        {},
    )
    for authority, details in ledger.records("inspection"):
        known.inspections.setdefault(authority, []).append(details)
    plan = _plan(edition, known, ledger.frameworks, reorganisations)
    if edition.problems or plan.problems:
        raise EditionRejected(sorted(edition.problems + plan.problems, key=_in_sheet_order))
    pending = [PendingCommand(command, _command_id(command)) for command, _ in plan.commands]
    try:
        new_events = ledger.execute(pending, actor, dry_run=dry_run)
    except CommandsRejected as rejected:
        raise EditionRejected(
            [
                EditionProblem(plan.commands[e.index][1], _refusal(plan.commands[e.index][0], e))
                for e in rejected.errors
            ]
        ) from None
    return OfstedImportResult(
        edition=edition.citation(),
        authorities=len(edition.current),
        registered=plan.registered,
        inspections=plan.inspections,
        corrections=plan.corrections,
        reorganisations=plan.reorganisations,
        new_events=new_events,
    )


def _in_sheet_order(problem: EditionProblem) -> tuple[str, int]:
    return (problem.where.sheet, problem.where.row) if problem.where else ("", 0)


def _refusal(command: Any, error: Any) -> str:
    what = f"{COMMAND_NAMES[type(command)]} for {command.authority}"
    return f"{what}: {error.message}" + (f" ({error.field})" if error.field else "")


def _command_id(command: Any) -> str:
    return command_id_of({"type": COMMAND_NAMES[type(command)], **asdict(command)})


def _source(edition: Edition, where: Where) -> str:
    return f"{edition.citation()}, {where}"


def _plan(
    edition: Edition,
    known: _Known,
    frameworks: FrameworkCatalogue,
    reorganisations: ReorganisationCatalogue,
) -> _Plan:
    plan = _Plan()
    slugs: dict[str, str] = {}  # name key -> slug, for successors
    for outcome in edition.authorities:
        slug = _authority(plan, edition, known, outcome)
        slugs[outcome.key] = slug
        for inspection in outcome.inspections:
            _inspection(plan, edition, known, frameworks, slug, outcome, inspection)
    for outcome in edition.authorities:
        if not outcome.current:
            _reorganisation(plan, edition, known, reorganisations, slugs, outcome)
    return plan


def _authority(plan: _Plan, edition: Edition, known: _Known, outcome: AuthorityOutcomes) -> str:
    slug = known.find(outcome)
    source = _source(edition, outcome.where)
    if slug is None:
        slug = slug_for(outcome.name)
        plan.add(
            RegisterAuthority(
                id=slug, name=outcome.name, source=source, code=outcome.code, region=outcome.region
            ),
            outcome.where,
        )
        plan.registered += 1
        return slug
    fields = known.authorities[slug].fields
    changed: dict[str, Any] = {}
    if outcome.code and fields.get("code") != outcome.code:
        changed["code"] = outcome.code
    region = fields.get("region")
    if outcome.region and (region is None or region_key(str(region)) != region_key(outcome.region)):
        changed["region"] = outcome.region
    if changed:
        plan.add(
            Correct(
                authority=slug,
                id=slug,
                source=source,
                record="authority",
                fields=changed,
                reason=f"as {edition.title} gives it",
                date=_edition_day(edition),
            ),
            outcome.where,
        )
        plan.corrections += 1
    return slug


def _edition_day(edition: Edition) -> date | None:
    return edition.published


def _inspection(
    plan: _Plan,
    edition: Edition,
    known: _Known,
    frameworks: FrameworkCatalogue,
    slug: str,
    outcome: AuthorityOutcomes,
    inspection: PublishedInspection,
) -> None:
    if inspection.published is None or inspection.kind is None:
        return  # the edition's own problems say so
    source = _source(edition, inspection.where)
    existing = _matching(known.inspections.get(slug, []), inspection)
    if existing is not None:
        framework = frameworks.get(str(existing.fields["framework"]))
        # The edition may grade fewer areas than the report did (no SIF sub-judgements).
        grades = area_grades(framework, inspection.grades, complete=False)
        if grades is None:
            plan.problems.append(
                EditionProblem(
                    inspection.where,
                    f"{outcome.name}'s inspection {existing.ref} is under {framework.key}, whose "
                    f"areas the edition's grades do not fit",
                )
            )
            return
        changed = _differences(existing, inspection, grades)
        if changed:
            plan.add(
                Correct(
                    authority=slug,
                    id=existing.ref,
                    source=source,
                    record="inspection",
                    fields=changed,
                    reason=f"revised in {edition.title}",
                    date=_edition_day(edition),
                ),
                inspection.where,
            )
            plan.corrections += 1
        return
    chosen = choose_framework(frameworks, inspection)
    if chosen is None:
        plan.problems.append(
            EditionProblem(
                inspection.where,
                f"no framework in the frameworks file fits {outcome.name}'s "
                f"{inspection.kind} inspection of {inspection.day.isoformat()} "
                f"(grading {', '.join(inspection.grades)})",
            )
        )
        return
    framework, grades = chosen
    ref = f"ofsted-{inspection.day.isoformat()}"
    plan.add(
        RecordInspection(
            authority=slug,
            id=ref,
            source=source,
            framework=framework.key,
            kind=inspection.kind,
            published=inspection.published,
            grades=grades,
            first_day=inspection.first_day,
            last_day=inspection.last_day,
        ),
        inspection.where,
    )
    plan.inspections += 1
    # Later rows of the same edition see it (a history repeating an inspection matches it).
    known.inspections.setdefault(slug, []).append(
        RecordDetails(
            "inspection",
            ref,
            1,
            {
                "framework": framework.key,
                "first_day": inspection.first_day,
                "last_day": inspection.last_day,
                "published": inspection.published,
                "grades": grades,
            },
        )
    )


def _matching(
    recorded: list[RecordDetails], inspection: PublishedInspection
) -> RecordDetails | None:
    """The recorded inspection this one of the edition is, if any: the same dates, or dates a
    revision could have moved."""
    for details in recorded:
        if _same_inspection(
            details.fields.get("first_day"), details.fields.get("published"), inspection
        ):
            return details
    return None


def _same_inspection(
    first_day: date | None, published: date | None, inspection: PublishedInspection
) -> bool:
    if first_day and inspection.first_day:
        return abs(first_day - inspection.first_day) <= SAME_INSPECTION_WITHIN
    if (
        published
        and inspection.published
        and abs(published - inspection.published) <= SAME_INSPECTION_WITHIN
    ):
        return True
    return bool(
        first_day
        and inspection.published
        and first_day <= inspection.published <= first_day + REPORT_WITHIN
    )


def _differences(
    existing: RecordDetails, inspection: PublishedInspection, grades: dict[str, Grade]
) -> dict[str, Any]:
    """The fields the edition gives otherwise than the ledger holds (never blanking a date the
    ledger has, nor an area the edition does not grade)."""
    changed: dict[str, Any] = {}
    held: dict[str, Grade] = dict(existing.fields["grades"])
    revised = {**held, **grades}
    if revised != held:
        changed["grades"] = revised
    for name in ("first_day", "last_day", "published"):
        value = getattr(inspection, name)
        if value is not None and existing.fields.get(name) != value:
            changed[name] = value
    return changed


def area_grades(
    framework: Framework, graded: dict[str, Grade], *, complete: bool = True
) -> dict[str, Grade] | None:
    """The edition's grades keyed by `framework`'s areas, or None if they do not fit it (or,
    when `complete`, leave an area it requires ungraded).

    A heading's area is the framework's area of that key, else the one that counts it as its
    predecessor (`compares_with`): under the 2018 framework "children in care" is its combined
    judgement of children in care and care leavers; under the SIF it is "looked after".
    """
    grades: dict[str, Grade] = {}
    for heading, grade in graded.items():
        area = next((a for a in framework.areas if a.key == heading), None)
        if area is None:
            area = next((a for a in framework.areas if heading in a.compares_with), None)
        if area is None or area.key in grades:
            return None
        grades[area.key] = grade
    if complete:
        try:
            framework.validate_grades(grades)
        except InvalidCommand:
            return None
    return grades


def choose_framework(
    frameworks: FrameworkCatalogue, inspection: PublishedInspection
) -> tuple[Framework, dict[str, Grade]] | None:
    """The newest framework in use on the inspection's dates whose kinds and areas fit it."""
    if inspection.first_day is not None:
        candidates = frameworks.in_use_on(inspection.first_day)
    else:
        assert inspection.published is not None
        candidates = frameworks.published_under(inspection.published)
    for framework in candidates:
        if inspection.kind not in framework.kinds:
            continue
        grades = area_grades(framework, inspection.grades)
        if grades is not None:
            return framework, grades
    return None


def _reorganisation(
    plan: _Plan,
    edition: Edition,
    known: _Known,
    reorganisations: ReorganisationCatalogue,
    slugs: dict[str, str],
    outcome: AuthorityOutcomes,
) -> None:
    found = reorganisations.of_predecessor(outcome.name)
    if found is None:
        plan.problems.append(
            EditionProblem(
                outcome.where,
                f"{outcome.name} is listed among authorities that no longer exist, but the "
                "reorganisations file does not say when or into what it was reorganised "
                "(add it to config/reorganisations.toml, or check its spelling)",
            )
        )
        return
    slug = slugs[outcome.key]
    details = known.authorities.get(slug)
    if details is not None and details.fields.get("abolished_on") is not None:
        return
    successors = []
    for name in found.successors:
        successor = slugs.get(name_key(name))
        if successor is None:
            plan.problems.append(
                EditionProblem(
                    outcome.where,
                    f"{outcome.name}'s successor {name} is not among the edition's authorities",
                )
            )
            return
        successors.append(successor)
    plan.add(
        ReorganiseAuthority(
            authority=slug,
            date=found.on,
            successors=successors,
            source=f"{_source(edition, outcome.where)}; its date and successors as the "
            "reorganisations file gives them",
        ),
        outcome.where,
    )
    plan.reorganisations += 1
