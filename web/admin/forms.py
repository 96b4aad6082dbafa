"""Forms for adding users and changing their roles."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import PasswordField, RadioField, SelectChoice, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length

from web.accounts import MAX_NAME_LENGTH, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, Role

ROLE_CHOICES = [
    SelectChoice(Role.VIEWER.value, "Viewer"),
    SelectChoice(Role.RECORDER.value, "Recorder"),
    SelectChoice(Role.ADMIN.value, "Admin"),
]

#: Hints shown under each role's radio button, in the order of ``ROLE_CHOICES``.
ROLE_HINTS = [
    "Can read the ledger: dashboard, timeline and audit",
    "Can also record events in the ledger",
    "Can also add users, change their roles, reset their passwords and disable accounts",
]


class AddUserForm(FlaskForm):  # type: ignore[misc]
    """A new user's name, role and first password."""

    name = StringField(
        "User name",
        description="Use their work email address or another name they will recognise",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter a user name"),
            Length(
                max=MAX_NAME_LENGTH,
                message=f"User name must be {MAX_NAME_LENGTH} characters or fewer",
            ),
        ],
    )
    role = RadioField(
        "Role",
        choices=ROLE_CHOICES,
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select a role")],
    )
    password = PasswordField(
        "Password",
        description=f"Must be {MIN_PASSWORD_LENGTH} characters or more. "
        "Three random words work well.",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Enter a password"),
            Length(
                min=MIN_PASSWORD_LENGTH,
                message=f"Password must be {MIN_PASSWORD_LENGTH} characters or more",
            ),
            Length(
                max=MAX_PASSWORD_LENGTH,
                message=f"Password must be {MAX_PASSWORD_LENGTH} characters or fewer",
            ),
        ],
    )
    confirm_password = PasswordField(
        "Confirm password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Confirm the password"),
            EqualTo("password", message="Passwords must match"),
        ],
    )
    submit = SubmitField("Add user", widget=GovSubmitInput())


class ChangeRoleForm(FlaskForm):  # type: ignore[misc]
    """A user's new role."""

    role = RadioField(
        "Role",
        choices=ROLE_CHOICES,
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select a role")],
    )
    submit = SubmitField("Change role", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):  # type: ignore[misc]
    """A button that confirms what the page describes (a password reset, disabling an account)."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())
