"""What every recording form shares: the source document, the submission's one-time id, the
record version it was opened at, and how it becomes the raw command an import line would hold.

A form turns its fields into the same dict as a JSON Lines import (``to_command``); the
ledger's own parser and handlers then decide whether it is valid, and their complaints are
put back on the fields they name (``field_for``).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovSubmitInput, GovTextInput
from wtforms import Field, HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from web.form_fields import DayField

HIDDEN_FIELDS = ("csrf_token", "nonce", "expected_version", "submit")
REF_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
MAX_TEXT = 10_000


@dataclass(frozen=True)
class Group:
    """Fields shown together under one legend (such as one finding of a visit's letter);
    ``remove``, when set, is the (name, value) of a button taking the group off the form."""

    legend: str
    fields: tuple[str, ...]
    anchor: str = ""
    remove: tuple[str, str] | None = None


@dataclass(frozen=True)
class AddAnother:
    """A button adding one more group (the GOV.UK "add another" pattern, without JavaScript):
    the form comes back with an empty group and nothing is checked or recorded."""

    name: str
    text: str
    anchor: str
    fields: tuple[str, ...] = ()


LayoutItem = str | Group | AddAnother


class LongTextField(TextAreaField):  # type: ignore[misc]
    """A text area for long text, with GOV.UK's character count up to ``max_length``."""

    widget = GovCharacterCount()

    def __init__(self, label: str, *, max_length: int = 10_000, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.max_length = max_length


def reference_field(what: str, example: str) -> StringField:
    """The record's own stable reference, which later records and web addresses use."""
    return StringField(
        "Reference",
        description=f"A short reference for this {what}, unique within the authority, such as "
        f"{example}. Use letters, numbers, hyphens, dots or underscores, with no spaces.",
        widget=GovTextInput(),
        validators=[
            InputRequired(message=f"Enter a reference for the {what}"),
            Length(max=100, message="The reference must be 100 characters or fewer"),
            Regexp(
                REF_PATTERN,
                message="The reference must use only letters, numbers, hyphens, dots or "
                "underscores, with no spaces",
            ),
        ],
    )


def text_field(label: str, required: str | None = None, description: str = "") -> StringField:
    """A one-line text input; ``required`` is the message when it is left blank."""
    validators: list[Any] = [InputRequired(message=required)] if required else [Optional()]
    validators.append(Length(max=1000, message=f"{label} must be 1000 characters or fewer"))
    return StringField(label, description=description, widget=GovTextInput(), validators=validators)


def area_field(label: str, required: str | None = None, description: str = "") -> TextAreaField:
    """A text area for a narrative or a summary, counting the characters left."""
    validators: list[Any] = [InputRequired(message=required)] if required else [Optional()]
    what = label.removesuffix(" (optional)")
    validators.append(
        Length(max=MAX_TEXT, message=f"{what} must be {MAX_TEXT:,} characters or fewer")
    )
    return LongTextField(label, description=description, validators=validators, max_length=MAX_TEXT)


def day_field(label: str, noun: str, required: bool = True, description: str = "") -> DayField:
    """A GOV.UK date input."""
    return DayField(
        label,
        noun=noun,
        required=f"Enter {noun}" if required else None,
        description=description or "For example, 27 11 2015",
    )


class RecordForm(FlaskForm):  # type: ignore[misc]
    """A form that records one event. Subclasses add fields and implement ``command_fields``."""

    EVENT: ClassVar[str] = ""
    #: The command's field for each form field whose name differs (``ref`` is the ``id``).
    COMMAND_FIELDS: ClassVar[Mapping[str, str]] = {"ref": "id"}
    #: The button that records, on the check-your-answers page (the form's own says Continue).
    SUBMIT_TEXT: ClassVar[str] = "Record"
    #: Date fields whose likely answer is today, filled in when the form is first shown.
    TODAY_FIELDS: ClassVar[tuple[str, ...]] = ()
    #: Buttons that change the form itself (add or remove a group) rather than submit it.
    STEP_BUTTONS: ClassVar[frozenset[str]] = frozenset()

    nonce = HiddenField()
    expected_version = HiddenField()
    source = StringField(
        "Source document",
        description="The document this comes from, such as the report's file name, a letter's "
        "title or the board paper and its date",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the source document"),
            Length(max=1000, message="The source document must be 1000 characters or fewer"),
        ],
    )
    submit = SubmitField("Record", widget=GovSubmitInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.nonce.data:
            # One id per rendering of the form: submitting it twice records it once.
            self.nonce.data = secrets.token_urlsafe(18)
        self.submit.label.text = "Continue"

    def default_today(self, today: date) -> None:
        """Fill the dates most likely to be today (before the user has typed anything)."""
        for name in self.TODAY_FIELDS:
            field = self._fields[name]
            if field.data is None:
                field.data = today

    def command_id(self) -> str:
        """The idempotency key of this submission."""
        return f"web:{self.nonce.data}"

    def command_fields(self) -> dict[str, Any]:
        """The command's own fields (besides type, authority and source) from the form."""
        raise NotImplementedError

    def to_command(self, authority: str, ref: str | None = None) -> dict[str, Any]:
        """The raw command, as a line of an import file would hold it."""
        raw: dict[str, Any] = {"type": self.EVENT, "authority": authority}
        if ref is not None:
            raw["id"] = ref
        raw.update(self.command_fields())
        raw["source"] = (self.source.data or "").strip()
        return raw

    def layout(self) -> list[LayoutItem]:
        """The visible fields in the order shown: the form's own, then the source."""
        return [name for name in self._fields if name not in (*HIDDEN_FIELDS, "source")] + [
            "source"
        ]

    def field_for(self, path: str | None) -> Field | None:
        """The form field a command field's problem belongs on (``None``: the form as a whole).

        ``path`` is as the ledger names it: ``published``, ``grades.adoption``,
        ``findings[2].text``, ``answers[0]``.
        """
        if not path:
            return None
        head = path.split(".", 1)[0].split("[", 1)[0]
        reverse = {command: form for form, command in self.COMMAND_FIELDS.items()}
        name = reverse.get(head, head)
        field = self._fields.get(name)
        return field if name not in HIDDEN_FIELDS else None
