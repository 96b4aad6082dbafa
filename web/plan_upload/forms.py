"""The upload form and the confirmation form (both POST, with CSRF tokens)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovTextInput
from wtforms import HiddenField, StringField
from wtforms.validators import Optional

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class PlanUploadForm(FlaskForm):  # type: ignore[misc]
    """The tracker, and optionally which sheet and a mapping file."""

    tracker = FileField(
        "Improvement plan tracker",
        description="An Excel (.xlsx), OpenDocument (.ods) or CSV file, up to 10 MB.",
        widget=GovFileInput(),
        validators=[
            FileRequired("Select the improvement plan tracker"),
            FileAllowed(
                ["xlsx", "xlsm", "ods", "csv"], "The tracker must be an .xlsx, .ods or .csv file"
            ),
        ],
    )
    sheet = StringField(
        "Sheet (optional)",
        description="Leave blank to read every sheet that has a plan's headings.",
        widget=GovTextInput(),
        validators=[Optional()],
    )
    mapping = FileField(
        "Mapping file (optional)",
        description="A .toml file naming columns, recommendations and defaults the tracker does "
        "not. See the README.",
        widget=GovFileInput(),
        validators=[FileAllowed(["toml"], "The mapping file must be a .toml file")],
    )


class ConfirmPlanForm(FlaskForm):  # type: ignore[misc]
    """Record what was checked: the upload, and the digest of the changes shown."""

    token = HiddenField()
    checked = HiddenField()
