"""The "Check your answers" page's rows: each answer of a recording form in words, with the
field its Change button goes back to. Nothing recorded can be edited afterwards, so this is
where a mistake is cheapest to catch."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wtforms import Field, RadioField, SelectField, SelectMultipleField

from web.form_fields import DayField, DecimalTextField, LinesField, MoneyField, error_anchor
from web.journey.presentation import long_date, money
from web.recording.record_form import AddAnother, Group, RecordForm

NOT_GIVEN = "Not given"


@dataclass(frozen=True)
class Answer:
    """One row: what was asked, the answer as lines, and where to change it (``None``: the
    row describes what the form is about and is changed by choosing another record)."""

    key: str
    lines: tuple[str, ...]
    change: str | None = None
    anchor: str | None = None


def question(field: Field) -> str:
    """A field's label as the check page asks it (without "(optional)")."""
    return str(field.label.text).removesuffix(" (optional)")


def _choice_labels(field: Field, values: list[Any]) -> list[str]:
    labels = {str(value): str(label) for value, label, *_ in field.iter_choices()}
    return [labels.get(str(value), str(value)) for value in values]


def shown(field: Field) -> tuple[str, ...]:
    """What the user gave in ``field``, in words."""
    if isinstance(field, DayField):
        return (long_date(field.data) if field.data else NOT_GIVEN,)
    if isinstance(field, SelectMultipleField):
        chosen = _choice_labels(field, list(field.data or []))
        return tuple(chosen) or (NOT_GIVEN,)
    if isinstance(field, RadioField | SelectField):
        if field.data in (None, "") and isinstance(field, RadioField):
            return (NOT_GIVEN,)
        return tuple(_choice_labels(field, [field.data or ""]))
    if isinstance(field, LinesField):
        return tuple(field.lines()) or (NOT_GIVEN,)
    if isinstance(field, MoneyField):
        amount = field.amount()
        return (money(amount) if amount else NOT_GIVEN,)
    if isinstance(field, DecimalTextField):
        return (field.text() or NOT_GIVEN,)
    text = str(field.data or "").strip()
    return tuple(text.splitlines()) if text else (NOT_GIVEN,)


def _group_answer(form: RecordForm, group: Group) -> Answer | None:
    values = [form[name] for name in group.fields]
    if not any(str(field.data or "").strip() for field in values):
        return None  # a blank row is ignored, so it is not an answer
    parts = [" ".join(shown(field)) for field in values]
    return Answer(
        group.legend,
        (": ".join(parts),),
        change=group.fields[0],
        anchor=group.anchor or error_anchor(values[0]),
    )


def answers(form: RecordForm) -> list[Answer]:
    """The form's answers in the order it asks for them; a form may word its own."""
    own = getattr(form, "answer_rows", None)  # not `answers`: a form may have such a field
    if callable(own):
        return list(own())
    rows: list[Answer] = []
    for item in form.layout():
        if isinstance(item, AddAnother):
            continue
        if isinstance(item, Group):
            answer = _group_answer(form, item)
            if answer is not None:
                rows.append(answer)
            continue
        field = form[item]
        rows.append(Answer(question(field), shown(field), item, error_anchor(field)))
    return rows


#: Submitted values not to carry from the check page back into the form.
NOT_CARRIED = frozenset({"csrf_token", "confirm", "change", "submit"})


def carried(formdata: Any, step_buttons: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """The submitted answers as (name, value) pairs, to hold in the check page's hidden inputs
    (every value of a many-valued field, in order)."""
    return [
        (name, value)
        for name, value in formdata.items(multi=True)
        if name not in NOT_CARRIED and name not in step_buttons
    ]
