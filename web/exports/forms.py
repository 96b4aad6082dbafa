"""The board pack's form: a GET form (it records nothing), read from the query string."""

from __future__ import annotations

from datetime import date
from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import Form, StringField

from web.audit_query import BadAuditQuery
from web.form_fields import DayField, RadiosField, options

PACK_FORMAT_CHOICES = [
    ("pdf", "PDF, to print or send"),
    ("html", "Web page (HTML)"),
    ("xlsx", "Spreadsheet (XLSX), one sheet a section"),
]


class PackForm(Form):  # type: ignore[misc]
    """Which meeting, since which meeting, as known when, in which format."""

    meeting = DayField(
        "Date of the meeting",
        noun="the date of the meeting",
        required="Enter the date of the meeting",
        description="For example, 8 11 2018",
    )
    previous = DayField(
        "Date of the previous meeting (optional)",
        noun="the date of the previous meeting",
        description="Completions and due dates revised since then are listed. "
        "For example, 4 10 2018",
    )
    as_known_at = StringField(
        "As the ledger knew it at (optional)",
        description="Leave blank for the end of the meeting day: what the board could have seen. "
        "Or give a date, or a date and time such as 2018-11-08T17:00 (London time).",
        widget=GovTextInput(),
    )
    format = RadiosField("Format", choices=options(PACK_FORMAT_CHOICES), required="Select a format")

    def __init__(self, *args: Any, parse_instant: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._parse_instant = parse_instant
        self.instant: Any = None

    def validate(self, extra_validators: Any = None) -> bool:
        valid = bool(super().validate(extra_validators))
        meeting, previous = self.meeting.data, self.previous.data
        if isinstance(meeting, date) and isinstance(previous, date) and previous >= meeting:
            self.previous.errors.append("The previous meeting must be before this meeting")
            valid = False
        text = (self.as_known_at.data or "").strip()
        if text:
            try:
                self.instant = self._parse_instant(text)
            except BadAuditQuery:
                self.as_known_at.errors.append(
                    "Enter the date, or date and time, as 2018-11-08 or 2018-11-08T17:00"
                )
                valid = False
        return valid
