"""The correction form: tick the details of an earlier record that are wrong, give each its
right value and say why. The mistake and the correction both stay in the history.

The fields offered are the record's correctable ones (``CORRECTABLE`` on its class), less those
that identify it, each with an input suited to its type and filled with its current value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import Field, SelectField
from wtforms.validators import Optional

from ledger.application.parsing import IDENTIFYING_FIELDS
from ledger.domain.frameworks import Framework, FrameworkCatalogue
from ledger.domain.kinds import RECORD_CLASSES
from web.form_fields import (
    CheckboxesField,
    DayField,
    DecimalTextField,
    LinesField,
    MoneyField,
    RadiosField,
    error_anchor,
    options,
)
from web.journey.presentation import INSPECTION_KIND_LABELS
from web.journey.values import FIELD_LABELS, value_lines
from web.recording.answers import Answer, question, shown
from web.recording.forms import DIRECTION_CHOICES, GRADE_CHOICES, NOT_GRADED, UNIT_CHOICES
from web.recording.record_form import LayoutItem, area_field, text_field
from web.recording.update_forms import UpdateForm

FINDING_KINDS = ("strength", "improvement", "concern", "decline")
LONG_TEXT = frozenset({"text", "summary", "detail", "progress_statement"})
#: The order fields are offered in, the order of the record's own form.
FIELD_ORDER = tuple(FIELD_LABELS)


def correctable_fields(kind: str) -> list[str]:
    """The fields of a ``kind`` of record a correction can change, in form order."""
    allowed = RECORD_CLASSES[kind].CORRECTABLE - IDENTIFYING_FIELDS
    return [name for name in FIELD_ORDER if name in allowed]


@dataclass(frozen=True)
class CorrectionContext:
    """What the correction form needs to know besides the record's kind: the choices its
    inputs offer, and the record as it stands (to show each value before and after)."""

    kind: str
    framework: Framework | None = None  # an inspection's, for its kinds and grades
    areas: tuple[tuple[str, str], ...] = ()
    recommendations: tuple[tuple[str, str], ...] = ()
    reading_periods: tuple[str, ...] = ()  # an indicator's, ISO days
    frameworks: FrameworkCatalogue = field(default_factory=FrameworkCatalogue)
    current: Mapping[str, Any] = field(default_factory=dict)
    readings: Mapping[str, str] = field(default_factory=dict)  # period end: value
    record_label: str = ""


class CorrectionForm(UpdateForm):
    """Built per kind of record by :func:`correction_form`."""

    EVENT = "Corrected"
    SUBMIT_TEXT = "Record correction"
    CONTEXT: ClassVar[CorrectionContext]

    reason = area_field("Why the record was wrong", "Enter why the record was wrong")

    def offered(self) -> list[str]:
        return correctable_fields(self.CONTEXT.kind)

    def inputs_of(self, name: str) -> list[str]:
        """The form fields holding the new value of one correctable field."""
        if name == "grades" and self.CONTEXT.framework is not None:
            return [f"new_grade_{area.key}" for area in self.CONTEXT.framework.areas]
        if name == "reading":
            return ["new_reading_period", "new_reading_value"]
        return [f"new_{name}"]

    def layout(self) -> list[LayoutItem]:
        return ["correct", "reason", "source"]

    def answer_rows(self) -> list[Answer]:
        """The check page's rows: each detail corrected with its value before and after (in
        words), then why and the source."""
        context = self.CONTEXT
        unit = str(context.current.get("unit") or "") or None
        rows: list[Answer] = []
        chosen = [name for name in self.offered() if name in (self._fields["correct"].data or [])]
        for name in chosen:
            after = self._new_value(name)
            if name == "reading":
                period = str(after.get("period_end") or "")
                before: Any = {"period_end": period, "value": context.readings.get(period)}
            else:
                before = context.current.get(name)
            lines = (
                "Was: " + "; ".join(self._words(name, before, unit)),
                "Now: " + "; ".join(self._words(name, after, unit)),
            )
            first = self._fields[self.inputs_of(name)[0]]
            rows.append(Answer(FIELD_LABELS[name], lines, first.name, error_anchor(first)))
        for name in ("reason", "source"):
            field = self._fields[name]
            rows.append(Answer(question(field), shown(field), name, error_anchor(field)))
        return rows

    def _words(self, name: str, value: Any, unit: str | None) -> list[str]:
        frameworks = self.CONTEXT.frameworks
        return value_lines(name, value, frameworks, self.CONTEXT.framework, unit)

    def fill_from(self, record: Mapping[str, Any]) -> None:
        """Show the record's current values in the inputs (before the user changes them)."""
        for name in self.offered():
            if name == "reading":
                continue
            value = record.get(name)
            if name == "grades":
                for area, grade in (value or {}).items():
                    field = self._fields.get(f"new_grade_{area}")
                    if field is not None:
                        field.data = str(grade)
                continue
            field = self._fields[f"new_{name}"]
            if isinstance(field, DayField):
                field.data = value
            elif isinstance(field, LinesField):
                field.data = "\n".join(
                    _finding_line(v) if name == "findings" else str(v) for v in value or []
                )
            elif name == "higher_is_better":
                field.data = "higher" if value is True else "lower" if value is False else "neither"
            elif isinstance(field, CheckboxesField):
                field.data = list(value or [])
            elif isinstance(value, Decimal) or value is not None:
                field.data = str(value)

    def validate(self, extra_validators: Any = None) -> bool:
        valid = bool(super().validate(extra_validators))
        chosen = set(self._fields["correct"].data or [])
        if not chosen:
            self._fields["correct"].errors.append("Select at least one detail to correct")
            valid = False
        for name in self.offered():
            if name in chosen and name == "findings":
                problem = _findings_problem(self._fields["new_findings"].lines())
                if problem:
                    self._fields["new_findings"].errors.append(problem)
                    valid = False
        return valid

    def command_fields(self) -> dict[str, Any]:
        chosen = [name for name in self.offered() if name in (self._fields["correct"].data or [])]
        return {
            "record": self.CONTEXT.kind,
            "fields": {name: self._new_value(name) for name in chosen},
            "reason": self.reason.data,
        }

    def _new_value(self, name: str) -> Any:
        if name == "grades" and self.CONTEXT.framework is not None:
            grades = {}
            for area in self.CONTEXT.framework.areas:
                grade = self._fields[f"new_grade_{area.key}"].data
                if grade and grade != NOT_GRADED:
                    grades[area.key] = grade
            return grades
        if name == "reading":
            return {
                "period_end": self._fields["new_reading_period"].data or None,
                "value": self._fields["new_reading_value"].text() or None,
            }
        field = self._fields[f"new_{name}"]
        if isinstance(field, DayField):
            return field.iso()
        if name == "findings":
            return [_parse_finding(line) for line in field.lines()]
        if isinstance(field, LinesField):
            return field.lines()
        if isinstance(field, MoneyField):
            return field.amount()
        if isinstance(field, DecimalTextField):
            return field.text() or None
        if name == "higher_is_better":
            return {"higher": True, "lower": False}.get(field.data or "")
        if isinstance(field, CheckboxesField):
            return list(field.data or [])
        if name == "number":
            text = (field.data or "").strip()
            return text or None
        text = (field.data or "").strip()
        return text or None

    def field_for(self, path: str | None) -> Field | None:
        if path and path.startswith("fields."):
            name = path.removeprefix("fields.").split(".", 1)[0].split("[", 1)[0]
            if name == "grades" and "." in path.removeprefix("fields."):
                area = path.removeprefix("fields.grades.")
                return self._fields.get(f"new_grade_{area}")
            inputs = self.inputs_of(name)
            if name == "reading":
                return self._fields["new_reading_value"]
            return self._fields.get(inputs[0]) if inputs else None
        if path in ("fields", "record"):
            return self._fields["correct"]
        return super().field_for(path)


def _finding_line(finding: Any) -> str:
    kind = str(finding.get("kind", "")) if isinstance(finding, dict) else ""
    text = finding.get("text", "") if isinstance(finding, dict) else str(finding)
    return f"{kind.capitalize()}: {text}"


def _parse_finding(line: str) -> dict[str, str]:
    kind, _, text = line.partition(":")
    return {"kind": kind.strip().lower(), "text": text.strip()}


def _findings_problem(lines: list[str]) -> str | None:
    for number, line in enumerate(lines, start=1):
        finding = _parse_finding(line)
        if finding["kind"] not in FINDING_KINDS or not finding["text"]:
            return (
                f"Finding {number} must start with Strength, Improvement, Concern or Decline, "
                "then a colon and the finding's text"
            )
    return None


def _input_for(name: str, context: CorrectionContext) -> dict[str, Any]:
    """The input field(s) for one correctable field, keyed by form field name."""
    label = f"Corrected {FIELD_LABELS[name].lower()}"
    if name in ("first_day", "last_day", "published", "letter_date", "date"):
        return {
            f"new_{name}": DayField(
                label, noun=f"the {label.lower()}", description="For example, 27 11 2015"
            )
        }
    if name in ("areas_covered", "inspectors", "resolutions"):
        return {f"new_{name}": LinesField(label, description="One a line", validators=[Optional()])}
    if name == "findings":
        return {
            "new_findings": LinesField(
                label,
                description="One a line, starting with its kind: for example, "
                "Concern: some plans are poor",
                validators=[Optional()],
            )
        }
    if name == "investment":
        return {
            "new_investment": MoneyField(
                label,
                noun="the investment",
                description="In pounds and pence. Leave blank for none.",
            )
        }
    if name == "target":
        return {
            "new_target": DecimalTextField(
                label, noun="the target", description="Leave blank for none"
            )
        }
    if name == "unit":
        return {"new_unit": RadiosField(label, choices=options(UNIT_CHOICES))}
    if name == "higher_is_better":
        return {"new_higher_is_better": RadiosField(label, choices=options(DIRECTION_CHOICES))}
    if name == "kind" and context.framework is not None:
        choices = [(k, INSPECTION_KIND_LABELS.get(k, k)) for k in context.framework.kinds]
        return {"new_kind": RadiosField(label, choices=options(choices))}
    if name == "grades" and context.framework is not None:
        fields: dict[str, Any] = {}
        for area in context.framework.areas:
            choices = list(GRADE_CHOICES)
            if not area.required:
                choices.append((NOT_GRADED, "Not graded in this report"))
            fields[f"new_grade_{area.key}"] = RadiosField(area.label, choices=options(choices))
        return fields
    if name == "area":
        return {
            "new_area": SelectField(
                label,
                choices=options(list(context.areas)),
                widget=GovSelect(),
                validators=[Optional()],
            )
        }
    if name == "answers":
        return {
            "new_answers": CheckboxesField(label, choices=options(list(context.recommendations)))
        }
    if name == "reading":
        periods = [(p, p) for p in context.reading_periods]
        return {
            "new_reading_period": SelectField(
                "Period ending",
                choices=options(periods),
                widget=GovSelect(),
                validators=[Optional()],
            ),
            "new_reading_value": DecimalTextField("Corrected value", noun="the value"),
        }
    if name in LONG_TEXT:
        return {f"new_{name}": area_field(label)}
    return {f"new_{name}": text_field(label)}


def correction_form(context: CorrectionContext) -> type[CorrectionForm]:
    """The correction form for one kind of record."""
    offered = correctable_fields(context.kind)
    fields: dict[str, Any] = {
        "CONTEXT": context,
        "correct": CheckboxesField(
            "What is wrong?",
            description="Select every detail to correct, then give its right value",
            choices=options((name, FIELD_LABELS[name]) for name in offered),
            validators=[],
        ),
    }
    for name in offered:
        fields.update(_input_for(name, context))
    return type(f"CorrectionForm_{context.kind}", (CorrectionForm,), fields)


def reading_periods(indicator: dict[str, Any] | None) -> tuple[str, ...]:
    """The periods an indicator has readings for, newest first."""
    if indicator is None:
        return ()
    days = sorted({r["period_end"] for r in indicator.get("readings", [])}, reverse=True)
    return tuple(str(date.fromisoformat(day)) for day in days)
