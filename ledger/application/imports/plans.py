"""Importing an improvement plan kept as a spreadsheet: its rows become commands, diffed
against what the ledger already holds, so the same tracker again records nothing and a later
version records only what changed (new updates, revised due dates, RAG moves, completions,
corrected titles, owners and links). All or nothing; every problem named by sheet, row and
column; the file is each event's source.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath
from typing import Any

from ledger.application.imports.headings import FIELD_NAMES, Field
from ledger.application.imports.headings import words as heading_words
from ledger.application.imports.mapping import NO_MAPPING, PlanMapping
from ledger.application.imports.spreadsheets import read_spreadsheet
from ledger.application.imports.tracker import (
    PlanProblem,
    TrackedAction,
    Where,
    read_tracker,
)
from ledger.application.imports.tracker_cells import references_in
from ledger.application.parsing import CommandParseError, parse_command
from ledger.application.service import JourneyLedger, PendingCommand, RecordDetails
from ledger.domain.errors import CommandsRejected, LedgerError

RAG_WORDS = {"red": "Red", "amber": "Amber", "green": "Green", "complete": "Complete"}


class PlanRejected(LedgerError):
    """The tracker was rejected whole; nothing was recorded. `errors` names every problem."""

    def __init__(self, errors: list[PlanProblem]) -> None:
        super().__init__(f"{len(errors)} problem(s) in the tracker; nothing was recorded")
        self.errors = errors


@dataclass(frozen=True)
class PlanChange:
    """One event the import records (or would): what it is, to which action, from where."""

    kind: str  # planned, corrected, revised, updated, completed
    action: str
    summary: str
    where: Where
    events: int


@dataclass(frozen=True)
class PlanImport:
    """What an import recorded (or, in a dry run, would record)."""

    file: str
    authority: str
    dry_run: bool
    sheets_read: tuple[str, ...]
    sheets_skipped: tuple[str, ...]
    actions: int
    changes: tuple[PlanChange, ...]

    @property
    def new_events(self) -> int:
        return sum(change.events for change in self.changes)


@dataclass
class _Planned:
    """A command being built, with where each of its fields came from."""

    raw: dict[str, Any]
    kind: str
    action: str
    summary: str
    where: Where
    places: dict[str, Where] = field(default_factory=dict)

    def place_of(self, field_name: str | None) -> Where:
        if field_name is None:
            return self.where
        return self.places.get(field_name.split("[")[0].split(".")[0], self.where)

    def problem(self, field_name: str | None, message: str) -> PlanProblem:
        """A problem the ledger found with a field of this command, placed in the file."""
        where = self.place_of(field_name)
        if where.column is None and field_name:
            message = f"{field_name.replace('_', ' ')}: {message}"
        return PlanProblem(where, message)


def import_plan(
    ledger: JourneyLedger,
    file_name: str,
    data: bytes,
    authority: str,
    actor: str,
    *,
    mapping: PlanMapping = NO_MAPPING,
    sheet: str | None = None,
    dry_run: bool = False,
) -> PlanImport:
    """Record the plan in the spreadsheet `data` (named `file_name`) for `authority`, in one
    transaction, or raise `PlanRejected` naming every problem and record nothing."""
    name = PurePath(file_name).name
    tracker = read_tracker(read_spreadsheet(name, data), mapping, sheet)
    problems = list(tracker.problems)
    if ledger.record_details("authority", authority, authority) is None:
        raise PlanRejected([PlanProblem(Where(name), f"no authority {authority!r} is recorded")])
    held = [details for owner, details in ledger.records("recommendation") if owner == authority]
    recommendations = _RecommendationIndex(held, mapping)
    planned: list[_Planned] = []
    for action in tracker.actions.values():
        planned += _commands_for(
            ledger, authority, name, action, recommendations, mapping, problems
        )
    pending: list[PendingCommand] = []
    kept: list[_Planned] = []
    for item in planned:
        try:
            command = parse_command(item.raw)
        except CommandParseError as error:
            problems += [item.problem(e.field, e.message) for e in error.errors]
            continue
        pending.append(PendingCommand(command, _command_id(item.raw)))
        kept.append(item)
    counts: list[int] = []
    try:
        counts = ledger.preview(pending, actor)
    except CommandsRejected as rejected:
        problems += [kept[e.index].problem(e.field, e.message) for e in rejected.errors]
    # What an unreadable cell leaves missing was said already: say it once.
    problems = [p for p in problems if p in tracker.problems or p.where not in tracker.bad_cells]
    if problems:
        raise PlanRejected(_in_order(problems))
    if not dry_run and any(counts):
        ledger.execute(pending, actor)
    changes = tuple(
        PlanChange(item.kind, item.action, item.summary, item.where, count)
        for item, count in zip(kept, counts, strict=True)
        if count
    )
    return PlanImport(
        file=name,
        authority=authority,
        dry_run=dry_run,
        sheets_read=tuple(tracker.sheets_read),
        sheets_skipped=tuple(tracker.sheets_skipped),
        actions=len(tracker.actions),
        changes=changes,
    )


def _in_order(problems: Sequence[PlanProblem]) -> list[PlanProblem]:
    unique = list(dict.fromkeys(problems))
    return sorted(
        unique, key=lambda p: (p.where.sheet, p.where.row or 0, p.where.column or -1, p.message)
    )


def _command_id(raw: Mapping[str, Any]) -> str:
    """The same statement from any version of the tracker is the same command: the source
    (file name, sheet and row) is left out, so renaming the file or moving a row changes
    nothing, while a new update, date or rating is new."""
    stable = {k: v for k, v in raw.items() if k != "source"}
    canonical = json.dumps(stable, sort_keys=True, separators=(",", ":"), default=str)
    return "plan:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class _RecommendationIndex:
    """Finds the ledger's recommendation a tracker's cell means: by the mapping file, by its
    id, by its text (or the text's opening words), or each of the references a cell lists."""

    def __init__(self, records: Sequence[RecordDetails], mapping: PlanMapping) -> None:
        self.mapping = mapping.recommendations
        self.by_ref = {heading_words(r.ref): r for r in records}
        self.by_text = {heading_words(str(r.fields.get("text", ""))): r for r in records}
        self.issued = {r.ref: r.fields.get("issued") for r in records}

    def match(self, cell: str) -> list[str] | None:
        whole = self._one(cell)
        if whole is not None:
            return [whole]
        parts = references_in(cell)
        found = [self._one(part) for part in parts]
        if len(parts) > 1 and all(found):
            return [f for f in found if f is not None]
        return None

    def _one(self, text: str) -> str | None:
        key = heading_words(text)
        if not key:
            return None
        if key in self.mapping:
            return self.mapping[key]
        if key in self.by_ref:
            return self.by_ref[key].ref
        if key in self.by_text:
            return self.by_text[key].ref
        if len(key) >= 30:  # the opening words of a recommendation, if only one starts so
            starting = [r for words, r in self.by_text.items() if words.startswith(key)]
            if len(starting) == 1:
                return starting[0].ref
        return None


def _commands_for(
    ledger: JourneyLedger,
    authority: str,
    file_name: str,
    action: TrackedAction,
    recommendations: _RecommendationIndex,
    mapping: PlanMapping,
    problems: list[PlanProblem],
) -> list[_Planned]:
    ref = action.ref
    existing = ledger.record_details("action", authority, ref)
    current = dict(existing.fields) if existing is not None else None
    answers: list[str] = []
    unmatched = False
    for text, place in action.recommendations:
        found = recommendations.match(text)
        if found is None:
            unmatched = True
            problems.append(
                PlanProblem(
                    place,
                    f"no recommendation of {authority!r} matches {text!r} (give its id, its "
                    "text, or map it in a mapping file's [recommendations])",
                )
            )
            continue
        answers += [r for r in found if r not in answers]
    if unmatched:
        return []  # what it answers decides what else can be checked

    def source(where: Where) -> str:
        return f"{file_name}, {where}"

    def new(
        kind: str, raw: dict[str, Any], summary: str, where: Where, **places: Where
    ) -> _Planned:
        raw = {"authority": authority, "id": ref, **raw, "source": source(where)}
        return _Planned(raw, kind, ref, summary, where, {"id": action.first, **places})

    out: list[_Planned] = []
    title, owner = action.value(Field.ACTION), action.value(Field.OWNER)
    due, revised = action.value(Field.DUE_DATE), action.value(Field.REVISED_DUE_DATE)
    assert due is None or isinstance(due, date)
    assert revised is None or isinstance(revised, date)
    if not action.recommendations and current is None:
        problems.append(
            PlanProblem(
                action.first,
                f"action {ref!r} answers no recommendation (add a Recommendation column)",
            )
        )
    if current is None:
        planned_on = (
            action.value(Field.PLANNED)
            or mapping.planned
            or _latest_issue(recommendations, answers)
        )
        missing = [
            (FIELD_NAMES[name], name)
            for name, value in ((Field.ACTION, title), (Field.OWNER, owner), (Field.DUE_DATE, due))
            if value is None
        ]
        for what, name in missing:
            problems.append(
                PlanProblem(action.place(name), f"action {ref!r} has no {what} on any of its rows")
            )
        if missing:
            return []
        out.append(
            new(
                "planned",
                {
                    "type": "ActionPlanned",
                    "date": _iso(planned_on),
                    "title": title,
                    "owner": owner,
                    "due_date": _iso(due),
                    "answers": answers,
                },
                f"Plan action {ref}: {title} (owner {owner}; due {_iso(due)}; answers "
                f"{', '.join(answers) or 'nothing'})",
                action.first,
                date=action.place(Field.PLANNED),
                title=action.place(Field.ACTION),
                owner=action.place(Field.OWNER),
                due_date=action.place(Field.DUE_DATE),
                answers=action.place(Field.RECOMMENDATION),
            )
        )
        state = {"due_date": due, "original_due_date": due, "rag": None, "closed_as": None}
    else:
        state = current
        corrected: dict[str, Any] = {}
        if title is not None and title != current["title"]:
            corrected["title"] = title
        if owner is not None and owner != current["owner"]:
            corrected["owner"] = owner
        if action.recommendations and set(answers) != set(current["answers"]) and answers:
            corrected["answers"] = answers
        if corrected:
            out.append(
                new(
                    "corrected",
                    {
                        "type": "Corrected",
                        "record": "action",
                        "fields": corrected,
                        "reason": f"as the tracker {file_name} now states it",
                    },
                    f"Correct action {ref}: "
                    + "; ".join(
                        f"{k.replace('_', ' ')} now {_shown(v)}" for k, v in corrected.items()
                    ),
                    action.first,
                    fields=action.place(Field.ACTION),
                )
            )
    out += _due_date_revision(action, state, revised, due, mapping, problems, new)
    out += _updates(action, state, mapping, problems, new)
    return out


def _due_date_revision(
    action: TrackedAction,
    state: Mapping[str, Any],
    revised: date | None,
    due: date | None,
    mapping: PlanMapping,
    problems: list[PlanProblem],
    new: Any,
) -> list[_Planned]:
    ref = action.ref
    original, now_due = state["original_due_date"], state["due_date"]
    if revised is not None:
        if due is not None and original is not None and due != original:
            problems.append(
                PlanProblem(
                    action.place(Field.DUE_DATE),
                    f"action {ref!r} was first due on {original.isoformat()} in the ledger, and "
                    "an original due date is never changed: give the new date as a revised date",
                )
            )
            return []
        target = revised
    elif due is not None and due not in (now_due, original):
        target = due  # a tracker that overwrote its one due date
    else:
        return []
    if target == now_due:
        return []
    where = action.place(Field.REVISED_DUE_DATE if revised is not None else Field.DUE_DATE)
    reason = action.value(Field.REVISION_REASON)
    approver = action.value(Field.REVISION_APPROVER) or mapping.approver
    revised_on = (
        action.value(Field.REVISION_DATE) or _latest_update_day(action) or mapping.update_date
    )
    missing = [
        (what, field_name)
        for what, field_name, value in (
            ("the reason", Field.REVISION_REASON, reason),
            ("who approved it", Field.REVISION_APPROVER, approver),
            ("the day it was revised", Field.REVISION_DATE, revised_on),
        )
        if value is None
    ]
    for what, field_name in missing:
        hint = {
            Field.REVISION_REASON: "a 'Reason for revision' column",
            Field.REVISION_APPROVER: "an 'Approved by' column, or defaults.approver",
            Field.REVISION_DATE: "a 'Date revised' or 'Update date' column or defaults.update_date",
        }[field_name]
        problems.append(
            PlanProblem(
                where,
                f"action {ref!r} is now due {target.isoformat()} (was {_iso(now_due)}): "
                f"{what} is needed ({hint})",
            )
        )
    if missing:
        return []
    assert isinstance(revised_on, date)
    return [
        new(
            "revised",
            {
                "type": "ActionDueDateRevised",
                "date": revised_on.isoformat(),
                "new_due_date": target.isoformat(),
                "reason": reason,
                "approver": approver,
            },
            f"Revise the due date of {ref} from {_iso(now_due)} to {target.isoformat()}: "
            f"{reason} (approved by {approver})",
            where,
            new_due_date=where,
            reason=action.place(Field.REVISION_REASON),
            approver=action.place(Field.REVISION_APPROVER),
            date=action.place(Field.REVISION_DATE),
        )
    ]


def _updates(
    action: TrackedAction,
    state: Mapping[str, Any],
    mapping: PlanMapping,
    problems: list[PlanProblem],
    new: Any,
) -> list[_Planned]:
    ref = action.ref
    out: list[_Planned] = []
    rating = state.get("rag")
    closed = state.get("closed_as")
    seen: set[tuple[Any, ...]] = set()
    for update in sorted(action.updates, key=lambda u: (u.day or date.min, u.where.row or 0)):
        key = (update.day, update.rag, update.narrative)
        if key in seen:
            continue  # the same update on each row of an action repeated per recommendation
        seen.add(key)
        day = update.day or mapping.update_date
        if day is None:
            problems.append(
                PlanProblem(
                    update.places.get(Field.UPDATE_DATE, update.where),
                    f"the update of action {ref!r} has no date (add an 'Update date' column, or "
                    "defaults.update_date in a mapping file for the tracker's 'as at' day)",
                )
            )
            continue
        rag = update.rag or rating
        if rag is None:
            problems.append(
                PlanProblem(
                    update.places.get(Field.RAG, update.where),
                    f"the update of action {ref!r} has no RAG rating (Red, Amber, Green or Blue)",
                )
            )
            continue
        places = {
            "date": update.places.get(Field.UPDATE_DATE, update.where),
            "rag": update.places.get(Field.RAG, update.where),
            "narrative": update.places.get(Field.UPDATE, update.where),
            "evidence": update.places.get(Field.UPDATE, update.where),
        }
        if rag == "complete":
            if closed == "complete":
                continue
            evidence = update.narrative or "Marked complete in the tracker"
            out.append(
                new(
                    "completed",
                    {"type": "ActionCompleted", "date": day.isoformat(), "evidence": evidence},
                    f"Complete {ref} on {day.isoformat()}: {evidence}",
                    update.where,
                    **places,
                )
            )
            closed = "complete"
            continue
        narrative = update.narrative or f"Rated {RAG_WORDS[rag].lower()} in the tracker"
        out.append(
            new(
                "updated",
                {
                    "type": "ActionProgressUpdated",
                    "date": day.isoformat(),
                    "rag": rag,
                    "narrative": narrative,
                },
                f"Update {ref} on {day.isoformat()}: {RAG_WORDS[rag]}. {narrative}",
                update.where,
                **places,
            )
        )
        rating = rag
    return out


def _latest_issue(recommendations: _RecommendationIndex, answers: Sequence[str]) -> date | None:
    days = [d for r in answers if isinstance(d := recommendations.issued.get(r), date)]
    return max(days) if days else None


def _latest_update_day(action: TrackedAction) -> date | None:
    days = [u.day for u in action.updates if u.day is not None]
    return max(days) if days else None


def _iso(day: object) -> str | None:
    return day.isoformat() if isinstance(day, date) else None


def _shown(value: Any) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value)
