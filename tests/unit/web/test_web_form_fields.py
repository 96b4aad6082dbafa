"""The shared form fields: GOV.UK date inputs and exact money keep what was typed and say
what is wrong in GOV.UK's words."""

from __future__ import annotations

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form

from web.form_fields import DayField, MoneyField, error_anchor


class ExampleForm(Form):  # type: ignore[misc]
    published = DayField(
        "Publication date", noun="the publication date", required="Enter the publication date"
    )
    investment = MoneyField("Investment", noun="the investment")


def submitted(**fields: list[str] | str) -> ExampleForm:
    form = ExampleForm(
        MultiDict(
            [
                (k, v)
                for k, values in fields.items()
                for v in (values if isinstance(values, list) else [values])
            ]
        )
    )
    form.validate()
    return form


def test_a_date_in_three_boxes() -> None:
    form = submitted(published=["27", "11", "2015"])
    assert form.published.data == date(2015, 11, 27)
    assert form.published.iso() == "2015-11-27"
    assert not form.errors


@pytest.mark.parametrize(
    ("boxes", "message"),
    [
        (["", "", ""], "Enter the publication date"),
        (["27", "", "2015"], "The publication date must include a month"),
        (["", "", "2015"], "The publication date must include a day and month"),
        (["31", "2", "2015"], "The publication date must be a real date"),
        (["27", "11", "15"], "The publication date must be a real date"),
        (["x", "11", "2015"], "The publication date must be a real date"),
    ],
)
def test_a_bad_date_says_what_is_wrong_and_keeps_what_was_typed(
    boxes: list[str], message: str
) -> None:
    form = submitted(published=boxes)
    assert form.published.errors == [message]
    assert form.published.raw_data == boxes
    assert error_anchor(form.published) == "published-day"


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("5000000", "5000000.00"), ("£1,250,000.50", "1250000.50"), (" 0.5 ", None), ("", None)],
)
def test_money_is_exact(typed: str, amount: str | None) -> None:
    form = submitted(published=["1", "1", "2016"], investment=typed)
    if typed.strip() == "0.5":
        assert form.investment.errors  # pence come in pairs
    else:
        assert form.investment.amount() == amount
        assert not form.errors
