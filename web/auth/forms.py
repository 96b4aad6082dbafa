"""Forms for signing in and out."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from web.accounts import MAX_NAME_LENGTH, MAX_PASSWORD_LENGTH


class SignInForm(FlaskForm):  # type: ignore[misc]
    """A user name and password."""

    name = StringField(
        "User name",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter your user name"),
            Length(max=MAX_NAME_LENGTH, message="Enter a correct user name and password"),
        ],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Enter your password"),
            Length(max=MAX_PASSWORD_LENGTH, message="Enter a correct user name and password"),
        ],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())
