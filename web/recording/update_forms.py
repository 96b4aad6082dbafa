"""Forms that add to an existing record: an action's progress, due date, completion or
cancellation; a recommendation closed or reopened; an indicator's reading.

The record is chosen before the form is shown (its reference is in the address). Updates to
actions and recommendations carry the version the user saw, so a change someone else made in
the meantime is refused rather than silently overtaken.
"""

from __future__ import annotations

from typing import Any, ClassVar

from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import SelectField
from wtforms.validators import InputRequired, Optional, ValidationError

from web.form_fields import DecimalTextField, LinesField, RadiosField, options
from web.recording.record_form import RecordForm, area_field, day_field, text_field

RAG_CHOICES = [("red", "Red"), ("amber", "Amber"), ("green", "Green")]
RAG_HINTS = [
    "Off track: needs the board's attention",
    "At risk: some slippage, being managed",
    "On track",
]


class UpdateForm(RecordForm):
    """A form whose command names an existing record and the version the user saw."""

    CARRIES_VERSION: ClassVar[bool] = True

    def to_command(self, authority: str, ref: str | None = None) -> dict[str, Any]:
        raw = super().to_command(authority, ref)
        if self.CARRIES_VERSION:
            # As sent, for the ledger's parser to check: a version that is not one (changed
            # after the page was served) is refused, never read as "no version", which would
            # skip the check for someone else's change.
            sent = self.expected_version.data
            raw["expected_version"] = None if sent is None else str(sent).strip()
        return raw


class ProgressForm(UpdateForm):
    EVENT = "ActionProgressUpdated"
    SUBMIT_TEXT = "Record progress update"
    TODAY_FIELDS = ("date",)

    date = day_field("Date of the update", "the date of the update")
    rag = RadiosField(
        "Rating", choices=options(RAG_CHOICES), required="Select a red, amber or green rating"
    )
    narrative = area_field(
        "Progress", "Enter what progress has been made", "What has been done, and what is next"
    )
    evidence = LinesField(
        "Evidence (optional)",
        description="Links or document names, one a line",
        validators=[Optional()],
    )

    def command_fields(self) -> dict[str, Any]:
        return {
            "date": self.date.iso(),
            "rag": self.rag.data,
            "narrative": self.narrative.data,
            "evidence": self.evidence.lines(),
        }


class ReviseDueDateForm(UpdateForm):
    EVENT = "ActionDueDateRevised"
    SUBMIT_TEXT = "Record new due date"
    TODAY_FIELDS = ("date",)

    date = day_field("Date of the revision", "the date of the revision")
    new_due_date = day_field("New due date", "the new due date")
    reason = area_field("Reason", "Enter why the due date moved")
    approver = text_field(
        "Approved by", "Enter who approved the new due date", "For example, the improvement board"
    )

    def command_fields(self) -> dict[str, Any]:
        return {
            "date": self.date.iso(),
            "new_due_date": self.new_due_date.iso(),
            "reason": self.reason.data,
            "approver": self.approver.data,
        }


class CompleteActionForm(UpdateForm):
    EVENT = "ActionCompleted"
    SUBMIT_TEXT = "Record as complete"
    TODAY_FIELDS = ("date",)

    date = day_field("Date completed", "the date it was completed")
    evidence = area_field("Evidence", "Enter the evidence that it is complete")

    def command_fields(self) -> dict[str, Any]:
        return {"date": self.date.iso(), "evidence": self.evidence.data}


class CancelActionForm(UpdateForm):
    EVENT = "ActionCancelled"
    SUBMIT_TEXT = "Record as cancelled"
    TODAY_FIELDS = ("date",)

    date = day_field("Date cancelled", "the date it was cancelled")
    reason = area_field("Reason", "Enter why the action was cancelled")

    def command_fields(self) -> dict[str, Any]:
        return {"date": self.date.iso(), "reason": self.reason.data}


class CloseRecommendationForm(UpdateForm):
    EVENT = "RecommendationClosed"
    SUBMIT_TEXT = "Record as closed"
    TODAY_FIELDS = ("date",)

    date = day_field("Date closed", "the date it was closed")
    evidence = area_field("Evidence", "Enter the evidence for closing it")
    decided_by = text_field(
        "Decided by", "Enter who decided to close it", "For example, the improvement board"
    )

    def command_fields(self) -> dict[str, Any]:
        return {
            "date": self.date.iso(),
            "evidence": self.evidence.data,
            "decided_by": self.decided_by.data,
        }


class ReopenRecommendationForm(UpdateForm):
    EVENT = "RecommendationReopened"
    SUBMIT_TEXT = "Record as reopened"
    TODAY_FIELDS = ("date",)

    date = day_field("Date reopened", "the date it was reopened")
    reason = area_field("Reason", "Enter why it was reopened")
    decided_by = text_field(
        "Decided by", "Enter who decided to reopen it", "For example, the improvement board"
    )

    def command_fields(self) -> dict[str, Any]:
        return {
            "date": self.date.iso(),
            "reason": self.reason.data,
            "decided_by": self.decided_by.data,
        }


class ReadingForm(UpdateForm):
    """A reading of an indicator for a period. Readings do not conflict: each period is its own."""

    EVENT = "IndicatorReadingRecorded"
    SUBMIT_TEXT = "Record reading"
    CARRIES_VERSION = False

    period_end = day_field("End of the period", "the end of the period")
    value = DecimalTextField("Value", noun="the value", description="For example, 71 or 1853")
    note = area_field("Note (optional)", description="For example, how it was measured")

    def validate_value(self, field: Any) -> None:
        if not field.text():
            raise ValidationError("Enter the value")

    def command_fields(self) -> dict[str, Any]:
        return {
            "period_end": self.period_end.iso(),
            "value": self.value.text(),
            "note": (self.note.data or "").strip() or None,
        }


class AssignActionForm(UpdateForm):
    """Make a person the owner of an action (the plan's own owner stays as it was written)."""

    EVENT = "ActionAssigned"
    SUBMIT_TEXT = "Assign action"
    TODAY_FIELDS = ("date",)

    person = SelectField(
        "Person responsible",
        description="They are reminded of it from now on",
        widget=GovSelect(),
        validators=[InputRequired(message="Select the person responsible")],
    )
    date = day_field("Date assigned", "the date it was assigned")

    def command_fields(self) -> dict[str, Any]:
        return {"person": self.person.data or None, "date": self.date.iso()}


class PersonUpdateForm(UpdateForm):
    """A change to a person's details: every field is shown as it is, and only what changes
    is recorded."""

    EVENT = "PersonUpdated"
    SUBMIT_TEXT = "Record the change"
    TODAY_FIELDS = ("date",)

    name = text_field("Name", "Enter their name")
    email = text_field("Email address", "Enter their email address")
    title = text_field("Job title (optional)")
    manager = SelectField("Reports to (optional)", widget=GovSelect(), validators=[Optional()])
    roles = LinesField("Roles (optional)", description="One a line", validators=[Optional()])
    account = text_field("Web sign-in name (optional)")
    digest = RadiosField(
        "Send them the weekly digest by email?",
        choices=options([("yes", "Yes"), ("no", "No")]),
        required="Select whether to send them the weekly digest",
    )
    date = day_field("Date of the change", "the date of the change")

    def fill_from(self, person: dict[str, Any]) -> None:
        """Show the person's details as they stand."""
        for name in ("name", "email", "title", "manager", "account"):
            self._fields[name].data = person.get(name) or ""
        self._fields["roles"].data = "\n".join(person.get("roles") or [])
        self._fields["digest"].data = "yes" if person.get("digest") else "no"

    def command_fields(self) -> dict[str, Any]:
        def optional(text: str | None) -> str | None:
            return (text or "").strip() or None

        return {
            "changes": {
                "name": self.name.data,
                "email": (self.email.data or "").strip(),
                "title": optional(self.title.data),
                "manager": optional(self.manager.data),
                "roles": self.roles.lines(),
                "account": optional(self.account.data),
                "digest": self.digest.data == "yes",
            },
            "date": self.date.iso(),
        }

    def field_for(self, path: str | None) -> Any:
        if path and path.startswith("changes."):
            path = path.removeprefix("changes.")
        if path == "changes":
            return None
        return super().field_for(path)


class PersonLeftForm(UpdateForm):
    EVENT = "PersonLeft"
    SUBMIT_TEXT = "Record that they left"
    TODAY_FIELDS = ("date",)

    date = day_field("Date they left", "the date they left")
    reason = area_field("Reason (optional)", description="For example, moved to another council")

    def command_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {"date": self.date.iso()}
        if (self.reason.data or "").strip():
            fields["reason"] = self.reason.data.strip()
        return fields


RAG_ITEMS = [{"hint": {"text": hint}} for hint in RAG_HINTS]
