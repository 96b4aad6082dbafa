"""Untrusted input becomes a command, or every bad field is named."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.application.commands import Correct, RecordDecision, RecordInspection
from ledger.application.parsing import CommandParseError, command_id_of, parse_command
from ledger.domain.grades import Grade


def _errors(raw: object) -> set[tuple[str | None, str]]:
    with pytest.raises(CommandParseError) as rejected:
        parse_command(raw)
    return {(e.field, e.message) for e in rejected.value.errors}


def test_an_inspection_parses_with_grade_labels_and_the_short_form() -> None:
    command = parse_command(
        {
            "type": "InspectionRecorded",
            "authority": "a",
            "id": "i",
            "framework": "sif-2013",
            "kind": "single_inspection",
            "published": "2015-11-27",
            "source": "test",
            "grades": {
                "overall_effectiveness": "Inadequate",
                "looked_after": "Requires improvement",
            },
        }
    )
    assert isinstance(command, RecordInspection)
    assert command.grades == {
        "overall_effectiveness": Grade.INADEQUATE,
        "looked_after": Grade.REQUIRES_IMPROVEMENT,
    }
    assert command.first_day is None


def test_every_bad_field_is_named_at_once() -> None:
    errors = _errors(
        {
            "type": "InspectionRecorded",
            "authority": "a",
            "id": " ",
            "framework": "sif-2013",
            "kind": "single_inspection",
            "published": "27/11/2015",
            "grades": {"overall_effectiveness": "poor"},
            "colour": "red",
        }
    )
    fields = {field for field, _ in errors}
    assert fields == {"id", "published", "grades.overall_effectiveness", "colour", "source"}


def test_money_is_exact_and_a_binary_float_is_refused() -> None:
    raw = {
        "type": "DecisionRecorded",
        "authority": "a",
        "id": "d",
        "body": "Cabinet",
        "date": "2015-12-10",
        "title": "t",
        "source": "test",
    }
    assert parse_command(raw | {"investment": "5,000,000.00"}).investment == Decimal("5000000.00")
    assert isinstance(parse_command(raw | {"investment": Decimal("12.10")}), RecordDecision)
    assert (
        "investment",
        'must be an exact number (give it as text, e.g. "5000000.00")',
    ) in _errors(raw | {"investment": 0.1})


def test_unknown_type_and_non_object_lines() -> None:
    assert _errors({"type": "Deleted"}) == {
        ("type", next(m for f, m in _errors({"type": "Deleted"})))
    }
    assert _errors(["not", "an", "object"]) == {(None, "each line must be a JSON object")}


def test_corrections_parse_fields_by_the_creating_commands_types_and_refuse_identities() -> None:
    command = parse_command(
        {
            "type": "Corrected",
            "authority": "a",
            "id": "i",
            "record": "inspection",
            "reason": "typo",
            "source": "test",
            "fields": {"published": "2015-11-28"},
        }
    )
    assert isinstance(command, Correct)
    assert str(command.fields["published"]) == "2015-11-28"
    errors = _errors(
        {
            "type": "Corrected",
            "authority": "a",
            "id": "i",
            "record": "inspection",
            "reason": "a typing slip",
            "source": "test",
            "fields": {"framework": "ilacs-2018", "grades": {"x": "meh"}},
        }
    )
    assert {f for f, _ in errors} == {"fields.framework", "fields.grades.x"}


def test_the_command_id_ignores_key_order_but_not_content() -> None:
    a = {"type": "X", "id": "1", "n": Decimal("1.0")}
    assert command_id_of(a) == command_id_of(dict(reversed(a.items())))
    assert command_id_of(a) != command_id_of(a | {"n": Decimal("1.1")})
