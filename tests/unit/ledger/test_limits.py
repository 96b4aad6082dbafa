"""One set of limits for every way in: what the parser refuses, and how it says so."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from ledger.application.limits import MAX_LINE, MAX_TEXT, check_known_at
from ledger.application.parsing import CommandParseError, parse_command
from ledger.domain.errors import InvalidCommand

TODAY = date(2019, 1, 15)


def progress(**changes: Any) -> dict[str, Any]:
    return {
        "type": "ActionProgressUpdated",
        "authority": "lancashire",
        "id": "act-1",
        "date": "2018-10-01",
        "rag": "amber",
        "narrative": "Recruitment is under way.",
        "source": "board paper",
        **changes,
    }


def problems(raw: dict[str, Any], today: date | None = TODAY) -> dict[str | None, str]:
    with pytest.raises(CommandParseError) as refused:
        parse_command(raw, today)
    return {e.field: e.message for e in refused.value.errors}


@pytest.mark.parametrize(
    "bad",
    [
        "x" * 1_000_000,
        "<script>alert(1)</script>",
        "act\x00one",
        "act\u202eeno",
        "act one",
        "-leading",
    ],
)
def test_a_reference_is_a_short_plain_name(bad: str) -> None:
    found = problems(progress(id=bad))
    assert set(found) == {"id"}
    assert len(found["id"]) < 200  # a megabyte is never echoed


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("narrative", "n" * (MAX_TEXT + 1), "10,000 characters or fewer"),
        ("source", "s" * (MAX_LINE + 1), "1,000 characters or fewer"),
        ("narrative", "before\x00after", "control character (U+0000)"),
        ("narrative", "a\u2066hidden\u2069 order", "reorders text (U+2066)"),
        ("narrative", "half a pair \ud800", "unpaired surrogate"),
        ("source", "a\nsecond line", "must be one line"),
        ("narrative", "noncharacter \ufffe", "not one (U+FFFE)"),
    ],
)
def test_text_has_a_length_and_no_characters_that_break_pages(
    field: str, value: str, message: str
) -> None:
    found = problems(progress(**{field: value}))
    assert message in found[field]


def test_long_text_may_hold_paragraphs_and_one_line_text_may_not() -> None:
    command = parse_command(progress(narrative="First.\n\nSecond,\tindented."), TODAY)
    assert command.narrative == "First.\n\nSecond,\tindented."
    assert parse_command(progress(narrative="n" * MAX_TEXT), TODAY)


@pytest.mark.parametrize("value", ["x", "-", "1", "a.", " b "])
@pytest.mark.parametrize("field", ["source", "narrative"])
def test_reasons_sources_and_narratives_say_something(field: str, value: str) -> None:
    assert "says too little" in problems(progress(**{field: value}))[field]


def test_an_approver_and_a_reason_of_one_letter_are_refused_and_short_names_are_not() -> None:
    raw = {
        "type": "ActionDueDateRevised",
        "authority": "lancashire",
        "id": "act-1",
        "date": "2018-10-01",
        "new_due_date": "2019-03-31",
        "reason": "r",
        "approver": "B",
        "source": "s",
    }
    assert set(problems(raw)) == {"reason", "approver", "source"}
    fine = parse_command({**raw, "reason": "Delayed", "approver": "DCS", "source": "PIIB"}, TODAY)
    assert fine.approver == "DCS"


@pytest.mark.parametrize("version", ["abc", "-5", "1.5", "9" * 30, True])
def test_a_tampered_expected_version_is_refused_not_ignored(version: object) -> None:
    assert "expected_version" in problems(progress(expected_version=version))


@pytest.mark.parametrize(
    "value", ["1e400", "1E+99999", "1e-400", "0.00001", "-1e12", "1000000000000", "NaN", "Infinity"]
)
def test_a_reading_is_finite_in_range_and_to_four_places(value: str) -> None:
    raw = {
        "type": "IndicatorReadingRecorded",
        "authority": "lancashire",
        "id": "rhi",
        "period_end": "2018-09-30",
        "value": value,
        "source": "board paper",
    }
    assert "value" in problems(raw)


@pytest.mark.parametrize("investment", ["1e400", "1e12", "-1e13"])
def test_money_is_below_a_trillion_in_size(investment: str) -> None:
    """(The domain's handler holds the rest: not negative, whole pence.)"""
    raw = {
        "type": "DecisionRecorded",
        "authority": "lancashire",
        "id": "cabinet-1",
        "body": "Cabinet",
        "date": "2018-09-12",
        "title": "New posts",
        "investment": investment,
        "source": "minutes",
    }
    assert "1,000,000,000,000" in problems(raw)["investment"]


def test_a_date_that_says_what_happened_is_not_in_the_future_but_a_due_date_may_be() -> None:
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    assert "in the future" in problems(progress(date=tomorrow))["date"]
    revised = {
        "type": "ActionDueDateRevised",
        "authority": "lancashire",
        "id": "act-1",
        "date": TODAY.isoformat(),
        "new_due_date": "2030-01-01",
        "reason": "Delayed by the audit",
        "approver": "PIIB",
        "source": "board paper",
    }
    assert parse_command(revised, TODAY).new_due_date == date(2030, 1, 1)
    assert "before 1900" in problems(progress(date="1066-10-14"))["date"]


def test_every_problem_of_a_command_is_named_at_once() -> None:
    found = problems(progress(date="2099-01-01", rag="purple", source="x", narrative=""))
    assert set(found) == {"date", "rag", "source", "narrative"}


def test_an_unknown_field_with_a_huge_name_is_named_cut_short() -> None:
    found = problems(progress(**{"k" * 100_000: 1}))
    (path,) = [field for field in found if field and field.startswith("'k")]
    assert len(path) < 80


def test_an_as_known_at_instant_in_the_future_is_refused() -> None:
    now = datetime(2019, 1, 15, 12, tzinfo=UTC)
    check_known_at(now - timedelta(minutes=1), now)
    with pytest.raises(InvalidCommand, match="in the future"):
        check_known_at(now + timedelta(minutes=1), now)
