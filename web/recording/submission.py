"""Recording a form's command: the ledger's parser and rules decide, and every problem they
name is put back on the form field it concerns. A refused form writes nothing."""

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
#: What a form whose hidden record version was changed (or lost) says.
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


def put_problem(form: RecordForm, path: str | None, message: str) -> None:
    """Show a problem the ledger found on the field it names, else on the form as a whole."""
    if path == "expected_version":
        if VERSION_TAMPERED not in form.form_errors:
            form.form_errors.append(VERSION_TAMPERED)
        return
    text = _message_for(form, path, message)
    field = form.field_for(path)
    if field is None:
        form.form_errors.append(text)
    elif text not in field.errors:
        # A field's errors may be a tuple before validation has run.
        field.errors = [*field.errors, text]


def check_rest(services: JourneyServices, form: RecordForm, raw: dict[str, Any]) -> None:
    """On a form whose own checks failed, add what the ledger's parser finds in the fields
    that did pass them (a date in the future, a one-letter reason...): every problem is shown
    in one round, not the format errors first and the ledger's after."""
    try:
        parse_command(raw, today=services.ledger.today())
    except CommandParseError as error:
        for problem in error.errors:
            field = form.field_for(problem.field)
            if field is not None and field.errors:
                continue  # that field's own problem is already shown
            if problem.message in _BARE_MESSAGES:
                continue  # left out because its own check failed
            put_problem(form, problem.field, problem.message)


def record(services: JourneyServices, form: RecordForm, raw: dict[str, Any], actor: str) -> Outcome:
    """Parse ``raw`` and record it as ``actor`` (the next page read brings the read models
    up to date).

    On a refusal the form carries the problems and nothing is written. A conflict (someone
    else changed the record since the form was opened) is reported on the form as a whole.
    """
    try:
        command = parse_command(raw, today=services.ledger.today())
    except CommandParseError as error:
        for problem in error.errors:
            put_problem(form, problem.field, problem.message)
        return Outcome(ok=False)
    try:
        recorded = services.ledger.execute(
            [PendingCommand(command, form.command_id())], actor=actor
        )
    except CommandsRejected as error:
        for rejection in error.errors:
            put_problem(form, rejection.field, rejection.message)
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
