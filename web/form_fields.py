"""Form fields the ledger's forms share: GOV.UK date inputs, one-item-a-line text areas,
exact money, and radios/checkboxes rendered with the GOV.UK macros.

Every field keeps exactly what the user typed, so a refused form shows it again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovDateInput,
    GovRadioInput,
    GovTextArea,
    GovTextInput,
)
from markupsafe import Markup
from wtforms import (
    Field,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import StopValidation

_MONEY = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d{2})?$")


class DayInput(GovDateInput):  # type: ignore[misc]
    """GOV.UK's date input (day, month, year boxes), highlighting only when in error."""

    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        # The wrapper takes the field's name; the day box gets `<name>-day`, which is where
        # the error summary links.
        kwargs.setdefault("id", field.name)
        return super().__call__(field, **kwargs)  # type: ignore[no-any-return]


class DayField(Field):  # type: ignore[misc]
    """A date typed into GOV.UK's three boxes.

    ``noun`` names the date in error messages ("The publication date must be a real date");
    ``required`` is the message when it is left blank (``None``: optional).
    """

    widget = DayInput()

    def __init__(
        self,
        label: str,
        *,
        noun: str,
        required: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, **kwargs)
        self.noun = noun
        self.required_message = required

    @property
    def anchor(self) -> str:
        """The element the error summary links to: the day box."""
        return f"{self.name}-day"

    def process(self, formdata: Any, *args: Any, **kwargs: Any) -> None:
        super().process(formdata, *args, **kwargs)
        # The widget shows raw_data (what was typed) when there is any, as exactly three boxes.
        raw = getattr(self, "raw_data", None)
        if not raw:
            self.raw_data = None
        else:
            self.raw_data = [*raw, "", "", ""][:3]

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            return
        parts = [(part or "").strip() for part in [*valuelist, "", "", ""][:3]]
        if not any(parts):
            self.data = None
            return
        missing = [
            name for name, part in zip(("day", "month", "year"), parts, strict=True) if not part
        ]
        if missing:
            self.data = None
            raise ValueError(f"{self.noun.capitalize()} must include a {' and '.join(missing)}")
        day, month, year = parts
        try:
            # At most 2 digits for the day and month and 4 for the year before any is turned
            # into a number: a 50-digit day is not a date (and would overflow `date`).
            if not (
                day.isdigit()
                and month.isdigit()
                and year.isdigit()
                and len(day) <= 2
                and len(month) <= 2
                and len(year) == 4
            ):
                raise ValueError
            self.data = date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            self.data = None
            raise ValueError(f"{self.noun.capitalize()} must be a real date") from None

    def pre_validate(self, _form: Any) -> None:
        if self.data is None and self.required_message and not self.process_errors:
            raise StopValidation(self.required_message)

    def _value(self) -> str:
        return self.data.isoformat() if isinstance(self.data, date) else ""

    def iso(self) -> str | None:
        """The date as ``YYYY-MM-DD``, or ``None`` when blank."""
        return self.data.isoformat() if isinstance(self.data, date) else None


class LinesField(TextAreaField):  # type: ignore[misc]
    """A text area holding one item a line; blank lines are ignored."""

    widget = GovTextArea()

    def lines(self) -> list[str]:
        """The non-blank lines, trimmed."""
        return [line.strip() for line in (self.data or "").splitlines() if line.strip()]


class MoneyField(StringField):  # type: ignore[misc]
    """An exact amount of money in pounds and pence, typed as text (never a float)."""

    widget = GovTextInput()

    def __init__(self, label: str, *, noun: str, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.noun = noun

    def pre_validate(self, _form: Any) -> None:
        text = self.text()
        if text and not _MONEY.match(text):
            raise StopValidation(
                f"{self.noun.capitalize()} must be an amount in pounds, like 5000000 or "
                "1,250.50, with no more than 2 decimal places"
            )

    def text(self) -> str:
        """What was typed, without a leading pound sign or spaces."""
        return (self.data or "").strip().removeprefix("£").strip()

    def amount(self) -> str | None:
        """The exact amount as text for the ledger (``"5000000.00"``), or ``None`` if blank."""
        text = self.text().replace(",", "")
        if not text:
            return None
        try:
            return str(Decimal(text).quantize(Decimal("0.01")))
        except InvalidOperation:
            return None


class DecimalTextField(StringField):  # type: ignore[misc]
    """An exact number typed as text (a reading, a target): kept as text for the ledger."""

    widget = GovTextInput()

    def __init__(self, label: str, *, noun: str, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.noun = noun

    def pre_validate(self, _form: Any) -> None:
        text = self.text()
        if not text:
            return
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            raise StopValidation(f"{self.noun.capitalize()} must be a number, like 71 or 12.5")

    def text(self) -> str:
        """What was typed, without thousands separators or a trailing per cent sign."""
        return (self.data or "").strip().replace(",", "").removesuffix("%").strip()


class RadiosField(RadioField):  # type: ignore[misc]
    """Radios rendered with GOV.UK's macro; ``required`` is the message when none is chosen."""

    widget = GovRadioInput()

    def __init__(self, label: str, *, required: str | None = None, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.required_message = required

    def pre_validate(self, _form: Any) -> None:
        # A value that is not among the choices reads as "nothing chosen" to the user.
        chosen: Any = getattr(self, "data", None)
        if chosen not in {value for value, *_ in self.iter_choices()}:
            self.data = None
        if self.data is None and self.required_message:
            raise StopValidation(self.required_message)


class CheckboxesField(SelectMultipleField):  # type: ignore[misc]
    """Checkboxes rendered with GOV.UK's macro."""

    widget = GovCheckboxesInput()

    def pre_validate(self, _form: Any) -> None:
        allowed = {str(value) for value, *_ in self.iter_choices()}
        chosen: Any = getattr(self, "data", None)
        self.data = [value for value in chosen or [] if value in allowed]


def options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """``(value, label)`` pairs as the choices of a radios, checkboxes or select field."""
    return [SelectChoice(value, label) for value, label in pairs]


def error_anchor(field: Field) -> str:
    """The id the error summary should link to for ``field``."""
    anchor = getattr(field, "anchor", None)
    return anchor if isinstance(anchor, str) else str(field.id)
