"""Forms that record a new record: an authority, an inspection (one grade per judgement area of
its framework), a recommendation, a monitoring visit, a decision, an intervention, an action, an
indicator."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from govuk_frontend_wtf.wtforms_widgets import GovSelect
from werkzeug.datastructures import MultiDict
from wtforms import Field, SelectField
from wtforms.validators import InputRequired, Optional, ValidationError

from ledger.domain.frameworks import Framework
from web.form_fields import (
    CheckboxesField,
    DecimalTextField,
    LinesField,
    MoneyField,
    RadiosField,
    options,
)
from web.journey.presentation import INSPECTION_KIND_LABELS
from web.recording.record_form import (
    AddAnother,
    Group,
    LayoutItem,
    RecordForm,
    area_field,
    day_field,
    reference_field,
    text_field,
)

#: A letter rarely has more than a dozen findings; the limit keeps a form's size bounded.
MAX_FINDING_ROWS = 40
GRADE_CHOICES = [
    ("outstanding", "Outstanding"),
    ("good", "Good"),
    ("requires_improvement", "Requires improvement to be good"),
    ("inadequate", "Inadequate"),
]
NOT_GRADED = "not_graded"
FINDING_CHOICES = [
    ("", "Choose the kind of finding"),
    ("strength", "Strength"),
    ("improvement", "Improvement"),
    ("concern", "Concern"),
    ("decline", "Decline"),
]
INTERVENTION_CHOICES = [
    ("improvement_notice", "DfE improvement notice"),
    ("statutory_direction", "Statutory direction"),
    ("commissioner_appointed", "Commissioner appointed"),
    ("board_established", "Improvement board established"),
    ("intervention_lifted", "Intervention lifted"),
]
UNIT_CHOICES = [("count", "Count"), ("percent", "Percentage"), ("days", "Days")]
DIRECTION_CHOICES = [
    ("higher", "Higher is better"),
    ("lower", "Lower is better"),
    ("neither", "Neither: it is tracked, not judged"),
]
_FINDING_PATH = re.compile(r"^findings\[(\d+)\]\.(kind|text)$")


def _optional(text: str | None) -> str | None:
    stripped = (text or "").strip()
    return stripped or None


class AuthorityForm(RecordForm):
    """Register an authority whose journey the ledger will hold."""

    EVENT = "AuthorityRegistered"
    SUBMIT_TEXT = "Register authority"

    ref = text_field(
        "Reference",
        "Enter a reference for the authority",
        "Used in web addresses, such as lancashire. Lower-case letters, numbers and hyphens.",
    )
    name = text_field(
        "Name", "Enter the authority's name", "For example, Lancashire County Council"
    )
    code = text_field("ONS or local authority code (optional)")
    region = text_field("Region (optional)", description="For example, North West")

    def validate_ref(self, field: Field) -> None:
        if field.data and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", field.data.strip()):
            raise ValidationError(
                "The reference must use only lower-case letters, numbers and hyphens"
            )

    def command_fields(self) -> dict[str, Any]:
        return {
            "id": (self.ref.data or "").strip(),
            "name": self.name.data,
            "code": _optional(self.code.data),
            "region": _optional(self.region.data),
        }

    def to_command(self, authority: str, ref: str | None = None) -> dict[str, Any]:
        raw = super().to_command(authority, ref)
        del raw["authority"]  # an authority is its own authority: the id says which
        return raw


class InspectionForm(RecordForm):
    """An inspection report with a grade for each judgement area of its framework.

    Built per framework by :func:`inspection_form`, which adds one ``grade_<area>`` radios
    field per area.
    """

    EVENT = "InspectionRecorded"
    SUBMIT_TEXT = "Record inspection"
    FRAMEWORK: ClassVar[Framework]

    ref = reference_field("inspection", "sif-2015")
    first_day = day_field("First day on site (optional)", "the first day on site", required=False)
    last_day = day_field("Last day on site (optional)", "the last day on site", required=False)
    published = day_field(
        "Publication date",
        "the publication date",
        description="Judgements are in force from the day the report is published. "
        "For example, 27 11 2015",
    )
    report_url = text_field(
        "Link to the report (optional)", description="The web address of the published report"
    )

    def grade_fields(self) -> list[str]:
        return [f"grade_{area.key}" for area in self.FRAMEWORK.areas]

    def layout(self) -> list[LayoutItem]:
        return [
            "ref",
            "kind",
            "first_day",
            "last_day",
            "published",
            *self.grade_fields(),
            "report_url",
            "source",
        ]

    def command_fields(self) -> dict[str, Any]:
        grades = {}
        for area in self.FRAMEWORK.areas:
            grade = self._fields[f"grade_{area.key}"].data
            if grade and grade != NOT_GRADED:
                grades[area.key] = grade
        return {
            "id": (self.ref.data or "").strip(),
            "framework": self.FRAMEWORK.key,
            "kind": self._fields["kind"].data,
            "first_day": self.first_day.iso(),
            "last_day": self.last_day.iso(),
            "published": self.published.iso(),
            "grades": grades,
            "report_url": _optional(self.report_url.data),
        }

    def field_for(self, path: str | None) -> Field | None:
        if path and path.startswith("grades."):
            return self._fields.get(f"grade_{path.removeprefix('grades.')}")
        if path and f"grade_{path}" in self._fields:
            return self._fields[f"grade_{path}"]  # an unknown area names itself
        return super().field_for(path)


def inspection_form(framework: Framework) -> type[InspectionForm]:
    """The inspection form for ``framework``: its kinds, and one grade per judgement area."""
    fields: dict[str, Any] = {
        "FRAMEWORK": framework,
        "kind": RadiosField(
            "Kind of inspection",
            choices=options(
                (kind, INSPECTION_KIND_LABELS.get(kind, kind)) for kind in framework.kinds
            ),
            required="Select the kind of inspection",
        ),
    }
    for area in framework.areas:
        choices = list(GRADE_CHOICES)
        if not area.required:
            choices.append((NOT_GRADED, "Not graded in this report"))
        parent = next((a.label for a in framework.areas if a.key == area.parent), None)
        fields[f"grade_{area.key}"] = RadiosField(
            area.label,
            description=f"A graded part of “{parent}”" if parent else "",
            choices=options(choices),
            required=f"Select the grade for {area.label.lower()}",
        )
    return type(f"InspectionForm_{framework.key.replace('-', '_')}", (InspectionForm,), fields)


class RecommendationForm(RecordForm):
    """A recommendation (or 'area for priority action') from an inspection or a visit."""

    EVENT = "RecommendationIssued"
    SUBMIT_TEXT = "Record recommendation"

    ref = reference_field("recommendation", "sif-2018-early-help")
    origin = RadiosField(
        "Where it comes from", required="Select the inspection or visit it comes from"
    )
    text = area_field("Recommendation", "Enter the recommendation's text", "As the report words it")
    area = SelectField(
        "Judgement area it concerns (optional)",
        widget=GovSelect(),
        validators=[Optional()],
    )

    def command_fields(self) -> dict[str, Any]:
        return {
            "id": (self.ref.data or "").strip(),
            "origin": self.origin.data,
            "text": self.text.data,
            "area": _optional(self.area.data),
        }


class MonitoringVisitForm(RecordForm):
    """A monitoring visit's letter and its findings, one group of fields each: "Add another
    finding" and "Remove" change how many groups there are (rows left blank are ignored).

    Built for a number of rows by :func:`monitoring_visit_form`.
    """

    EVENT = "MonitoringVisitRecorded"
    SUBMIT_TEXT = "Record monitoring visit"
    STEP_BUTTONS = frozenset({"add_finding", "remove_finding"})
    ROWS: ClassVar[int] = 1

    ref = reference_field("visit", "mv-6")
    number = text_field("Visit number (optional)", description="For example, 6 for the sixth visit")
    first_day = day_field("First day on site", "the first day on site")
    last_day = day_field("Last day on site", "the last day on site")
    letter_date = day_field("Date of the letter", "the date of the letter")
    progress_statement = area_field(
        "Overall progress statement",
        "Enter the letter's overall progress statement",
        "For example, The local authority is making uneven progress.",
    )
    areas_covered = LinesField(
        "Areas covered (optional)", description="One a line", validators=[Optional()]
    )
    inspectors = LinesField(
        "Inspectors (optional)",
        description="One a line, such as Shirley Bailey HMI",
        validators=[Optional()],
    )

    def validate_number(self, field: Field) -> None:
        text = (field.data or "").strip()
        if text and not (text.isdigit() and int(text) > 0):
            raise ValidationError("The visit number must be a whole number, like 6")

    def rows(self) -> range:
        return range(1, self.ROWS + 1)

    def finding_fields(self, row: int) -> tuple[Field, Field]:
        return self._fields[f"finding_{row}_kind"], self._fields[f"finding_{row}_text"]

    def _row_filled(self, row: int) -> bool:
        kind, text = self.finding_fields(row)
        return bool(kind.data) and bool((text.data or "").strip())

    def layout(self) -> list[LayoutItem]:
        findings: list[LayoutItem] = [
            Group(
                f"Finding {row}",
                (f"finding_{row}_kind", f"finding_{row}_text"),
                anchor=f"finding-{row}",
                remove=("remove_finding", str(row)) if self.ROWS > 1 else None,
            )
            for row in self.rows()
        ]
        findings.append(
            AddAnother("add_finding", "Add another finding", anchor=f"finding-{self.ROWS + 1}")
        )
        return [
            "ref",
            "number",
            "first_day",
            "last_day",
            "letter_date",
            "progress_statement",
            "areas_covered",
            "inspectors",
            *findings,
            "source",
        ]

    def validate(self, extra_validators: Any = None) -> bool:
        valid = bool(super().validate(extra_validators))
        for row in self.rows():
            kind, text = self.finding_fields(row)
            if text.data and text.data.strip() and not kind.data:
                kind.errors.append(f"Select the kind of finding {row}")
                valid = False
            elif kind.data and not (text.data or "").strip():
                text.errors.append(f"Enter the text of finding {row}")
                valid = False
        return valid

    def command_fields(self) -> dict[str, Any]:
        findings = []
        for row in self.rows():
            kind, text = self.finding_fields(row)
            if kind.data and (text.data or "").strip():
                findings.append({"kind": kind.data, "text": text.data.strip()})
        number = (self.number.data or "").strip()
        return {
            "id": (self.ref.data or "").strip(),
            "number": int(number) if number.isdigit() else None,
            "first_day": self.first_day.iso(),
            "last_day": self.last_day.iso(),
            "letter_date": self.letter_date.iso(),
            "progress_statement": self.progress_statement.data,
            "areas_covered": self.areas_covered.lines(),
            "inspectors": self.inspectors.lines(),
            "findings": findings,
        }

    def field_for(self, path: str | None) -> Field | None:
        match = _FINDING_PATH.match(path or "")
        if match:
            # Only filled rows become findings, so the n-th finding is the n-th filled row.
            filled = [row for row in self.rows() if self._row_filled(row)]
            index = int(match.group(1))
            if index < len(filled):
                return self._fields[f"finding_{filled[index]}_{match.group(2)}"]
        return super().field_for(path)


_FINDING_FIELD = re.compile(r"^finding_(\d+)_(kind|text)$")


def finding_rows(formdata: MultiDict[str, str]) -> int:
    """How many finding rows a submitted visit form had (at least one)."""
    rows = [int(m.group(1)) for key in formdata if (m := _FINDING_FIELD.match(key))]
    return min(max([1, *rows]), MAX_FINDING_ROWS)


def without_finding(formdata: MultiDict[str, str], row: int) -> MultiDict[str, str]:
    """The submitted data with finding ``row`` taken out and the rows after it moved up."""
    kept: MultiDict[str, str] = MultiDict()
    for key, value in formdata.items(multi=True):
        match = _FINDING_FIELD.match(key)
        if match is None:
            kept.add(key, value)
        elif (number := int(match.group(1))) != row:
            kept.add(f"finding_{number - 1 if number > row else number}_{match.group(2)}", value)
    return kept


def monitoring_visit_form(rows: int = 1) -> type[MonitoringVisitForm]:
    """The visit form with ``rows`` findings (between 1 and ``MAX_FINDING_ROWS``)."""
    rows = min(max(rows, 1), MAX_FINDING_ROWS)
    fields: dict[str, Any] = {"ROWS": rows}
    for row in range(1, rows + 1):
        fields[f"finding_{row}_kind"] = SelectField(
            "Kind", choices=options(FINDING_CHOICES), widget=GovSelect(), validators=[Optional()]
        )
        fields[f"finding_{row}_text"] = area_field("What the letter says")
    return type(f"MonitoringVisitForm_{rows}", (MonitoringVisitForm,), fields)


class DecisionForm(RecordForm):
    """A decision of the cabinet, a committee or the improvement board, with any investment."""

    EVENT = "DecisionRecorded"
    SUBMIT_TEXT = "Record decision"

    ref = reference_field("decision", "cabinet-2015-investment")
    body = text_field("Decision-making body", "Enter who made the decision", "For example, Cabinet")
    date = day_field("Date of the decision", "the date of the decision")
    title = text_field("Title", "Enter the decision's title")
    summary = area_field("Summary (optional)")
    resolutions = LinesField(
        "Resolutions (optional)", description="One a line", validators=[Optional()]
    )
    investment = MoneyField(
        "Investment (optional)",
        noun="the investment",
        description="In pounds and pence, for example 5000000 or 1,250,000.50",
    )

    def command_fields(self) -> dict[str, Any]:
        return {
            "id": (self.ref.data or "").strip(),
            "body": self.body.data,
            "date": self.date.iso(),
            "title": self.title.data,
            "summary": _optional(self.summary.data),
            "resolutions": self.resolutions.lines(),
            "investment": self.investment.amount(),
        }


class InterventionForm(RecordForm):
    """A DfE or council intervention: a notice, a direction, a commissioner, a board, a lifting."""

    EVENT = "InterventionRecorded"
    SUBMIT_TEXT = "Record intervention"

    ref = reference_field("intervention", "improvement-notice-2016")
    kind = RadiosField(
        "Kind of intervention",
        choices=options(INTERVENTION_CHOICES),
        required="Select the kind of intervention",
    )
    date = day_field("Date", "the date of the intervention")
    title = text_field("Title", "Enter a title", "For example, Post Inspection Improvement Board")
    by = text_field(
        "By", "Enter who made the intervention", "For example, Department for Education"
    )
    detail = area_field("Detail (optional)")
    lifts = SelectField(
        "Intervention it lifts (only for an intervention lifted)",
        widget=GovSelect(),
        validators=[Optional()],
    )

    def command_fields(self) -> dict[str, Any]:
        return {
            "id": (self.ref.data or "").strip(),
            "kind": self.kind.data,
            "date": self.date.iso(),
            "title": self.title.data,
            "by": self.by.data,
            "detail": _optional(self.detail.data),
            "lifts": _optional(self.lifts.data),
        }


class ActionForm(RecordForm):
    """An improvement-plan action answering one or more recommendations, owned by a person
    of the authority if one is chosen (then reminded of it)."""

    EVENT = "ActionPlanned"
    SUBMIT_TEXT = "Record action"

    ref = reference_field("action", "act-early-help-1")
    title = text_field("Title", "Enter the action's title")
    owner = text_field(
        "Owner", "Enter who owns the action", "For example, Head of Service, Early Help"
    )
    date = day_field("Date planned", "the date the action was planned")
    due_date = day_field("Due date", "the due date")
    person = SelectField(
        "Person responsible (optional)",
        description="The person reminded of it: someone recorded under People",
        widget=GovSelect(),
        validators=[Optional()],
    )
    answers = CheckboxesField(
        "Recommendations it answers",
        description="Select all that apply",
        validators=[InputRequired(message="Select at least one recommendation it answers")],
    )

    def command_fields(self) -> dict[str, Any]:
        return {
            "id": (self.ref.data or "").strip(),
            "title": self.title.data,
            "owner": self.owner.data,
            "person": _optional(self.person.data),
            "date": self.date.iso(),
            "due_date": self.due_date.iso(),
            "answers": list(self.answers.data or []),
        }


def _yes(value: str | None) -> bool:
    return value == "yes"


class PersonForm(RecordForm):
    """Someone who owns actions or is told about them."""

    EVENT = "PersonAdded"
    SUBMIT_TEXT = "Add person"
    TODAY_FIELDS = ("date",)
    COMMAND_FIELDS: ClassVar[dict[str, str]] = {"ref": "id"}

    ref = reference_field("person", "jo-bloggs")
    name = text_field("Name", "Enter their name", "For example, Jo Bloggs")
    email = text_field("Email address", "Enter their email address", "Reminders are sent here")
    title = text_field(
        "Job title (optional)", description="For example, Head of Service, Early Help"
    )
    manager = SelectField(
        "Reports to (optional)",
        description="Escalations of their overdue actions go to this person",
        widget=GovSelect(),
        validators=[Optional()],
    )
    roles = LinesField(
        "Roles (optional)",
        description="One a line, such as improvement-board-chair: the board role escalations "
        "reach after the manager",
        validators=[Optional()],
    )
    account = text_field(
        "Web sign-in name (optional)",
        description="The user name they sign in with, so they see their own actions",
    )
    digest = RadiosField(
        "Send them the weekly digest by email?",
        choices=options([("yes", "Yes"), ("no", "No")]),
        required="Select whether to send them the weekly digest",
    )
    date = day_field("Date they joined", "the date they joined")

    def command_fields(self) -> dict[str, Any]:
        return {
            "id": (self.ref.data or "").strip(),
            "name": self.name.data,
            "email": (self.email.data or "").strip(),
            "title": _optional(self.title.data),
            "manager": _optional(self.manager.data),
            "roles": self.roles.lines(),
            "account": _optional(self.account.data),
            "digest": _yes(self.digest.data),
            "date": self.date.iso(),
        }


class IndicatorForm(RecordForm):
    """A performance indicator to track, such as caseloads or timeliness."""

    EVENT = "IndicatorDefined"
    SUBMIT_TEXT = "Record indicator"

    ref = reference_field("indicator", "children-looked-after")
    name = text_field("Name", "Enter the indicator's name", "For example, Children looked after")
    unit = RadiosField("Unit", choices=options(UNIT_CHOICES), required="Select the unit")
    direction = RadiosField(
        "Which way is better",
        choices=options(DIRECTION_CHOICES),
        required="Select which way is better",
    )
    target = DecimalTextField("Target (optional)", noun="the target", description="For example, 85")

    def command_fields(self) -> dict[str, Any]:
        higher = {"higher": True, "lower": False}.get(self.direction.data or "")
        return {
            "id": (self.ref.data or "").strip(),
            "name": self.name.data,
            "unit": self.unit.data,
            "higher_is_better": higher,
            "target": self.target.text() or None,
        }

    def field_for(self, path: str | None) -> Field | None:
        if path == "higher_is_better":
            return self.direction
        return super().field_for(path)


__all__ = [
    "ActionForm",
    "AuthorityForm",
    "DecisionForm",
    "IndicatorForm",
    "InspectionForm",
    "InterventionForm",
    "MonitoringVisitForm",
    "PersonForm",
    "RecommendationForm",
    "finding_rows",
    "inspection_form",
    "monitoring_visit_form",
    "without_finding",
]
