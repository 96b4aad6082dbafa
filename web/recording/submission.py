"""Recording a form's command: the ledger's parser and rules decide, and every problem they
name is put back on the form field it concerns. A refused form writes nothing.

Checking (a dry run) asks the same of the ledger and saves nothing: it runs before the check
page, and also when the form's own checks found problems, so that one round shows every problem
the ledger can see besides them (a date in the future beside a malformed reference, say).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import PersistenceError

from ledger.application.parsing import CommandParseError, parse_command
from ledger.application.service import PendingCommand
from ledger.domain.errors import CommandsRejected, ConcurrentUpdateConflict
from web.journey_services import JourneyServices
from web.recording.record_form import RecordForm

_BARE_MESSAGES = {"is required", "must not be empty"}
#: What a form whose hidden record version was changed says.
VERSION_TAMPERED = (
    "This form's record version is not one the ledger knows, so nothing was saved: the form was "
    "changed after it was opened. Reload the page and enter your update again."
)


@dataclass(frozen=True)
class Outcome:
    """What recording did: ``recorded`` events were new (0 if this submission was a repeat)."""

    ok: bool
    recorded: int = 0
    conflict: bool = False


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] if message else message


def _message_for(form: RecordForm, path: str | None, message: str) -> str:
    field = form.field_for(path)
    if message in _BARE_MESSAGES:
        what = field.label.text.lower() if field is not None else (path or "it")
        return f"Enter the {what.removesuffix(' (optional)')}"
    if message.startswith(("is ", "must ")) and field is not None:
        return f"{field.label.text.removesuffix(' (optional)')} {message}"
    return _sentence(message)


def put_problem(
    form: RecordForm, path: str | None, message: str, skip: frozenset[str] = frozenset()
) -> None:
    """Show a problem the ledger found on the field it names, else on the form as a whole;
    never on a field named in ``skip`` (one the form itself found wrong: the ledger saw what
    was left of it, and its complaint would only repeat the form's)."""
    if path == "expected_version":
        if VERSION_TAMPERED not in form.form_errors:
            form.form_errors.append(VERSION_TAMPERED)
        return
    text = _message_for(form, path, message)
    field = form.field_for(path)
    if field is None:
        form.form_errors.append(text)
    elif field.name in skip:
        return
    elif text not in field.errors:
        # A field's errors may be a tuple before validation has run.
        field.errors = [*field.errors, text]


def record(
    services: JourneyServices,
    form: RecordForm,
    raw: dict[str, Any],
    actor: str,
    *,
    dry_run: bool = False,
) -> Outcome:
    """Parse ``raw`` and record it as ``actor`` (the next page read brings the read models
    up to date); with ``dry_run``, only check it.

    On a refusal the form carries the problems and nothing is written. A conflict (someone
    else changed the record since the form was opened) is reported on the form as a whole.
    """
    skip = frozenset(name for name, field in form._fields.items() if field.errors)
    try:
        command = parse_command(raw, today=services.ledger.today())
    except CommandParseError as error:
        for problem in error.errors:
            put_problem(form, problem.field, problem.message, skip)
        return Outcome(ok=False)
    try:
        recorded = services.ledger.execute(
            [PendingCommand(command, form.command_id())], actor=actor, dry_run=dry_run
        )
    except CommandsRejected as error:
        for rejection in error.errors:
            put_problem(form, rejection.field, rejection.message, skip)
        return Outcome(ok=False)
    except PersistenceError as error:
        # A full disk, a lost database connection: say what the database said. The transaction
        # was rolled back, so nothing of the form was written.
        detail = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
        form.form_errors.append(
            f"The ledger could not save this: its database reported “{detail}”. Nothing was "
            "recorded. Try again later, or tell the team that runs the service."
        )
        return Outcome(ok=False)
    except ConcurrentUpdateConflict:
        form.form_errors.append(
            "Someone else recorded a change to this record after you opened this form, so "
            "nothing of yours was saved. Check its latest details on this page, then submit "
            "again if your update is still right."
        )
        return Outcome(ok=False, conflict=True)
    return Outcome(ok=True, recorded=recorded)
