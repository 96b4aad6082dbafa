"""The numbers the ledger holds: readings, money and counts, each finite, within a documented
range and to a documented precision, whichever way it came in.

- A reading (or an indicator's target) is below 1,000,000,000,000 in size, with at most 4 decimal
  places; a count is 0 or more (an average caseload of 21.5 is a count); a percentage is from 0
  to 100; days are 0 or more.
- Money (a decision's investment) is from £0 to below £1,000,000,000,000, in pounds and whole
  pence.
- A monitoring visit's number is a whole number from 1 to 999.
"""

from __future__ import annotations

from decimal import Decimal

from ledger.domain.errors import InvalidCommand
from ledger.domain.grades import IndicatorUnit

#: Every reading, target and amount of money is smaller than this in size.
MAX_MAGNITUDE = Decimal("1000000000000")
#: Decimal places a reading or target may have.
READING_PLACES = 4
MAX_VISIT_NUMBER = 999


def _in_range(value: Decimal) -> bool:
    return value.is_finite() and abs(value) < MAX_MAGNITUDE


def places(value: Decimal) -> int:
    """How many decimal places `value` is written with (0 for a whole number)."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def check_number(value: Decimal, field: str, what: str = "a reading") -> None:
    """Raise unless `value` is within the range and precision every reading and target keeps."""
    if not value.is_finite():
        raise InvalidCommand(f"{what} is a finite number", field=field)
    if not _in_range(value):
        raise InvalidCommand(f"{what} must be smaller than 1,000,000,000,000 in size", field=field)
    if places(value.normalize()) > READING_PLACES:
        raise InvalidCommand(f"{what} has at most {READING_PLACES} decimal places", field=field)


def check_reading(value: Decimal, unit: IndicatorUnit, field: str, what: str = "a reading") -> None:
    """Raise unless `value` is a plausible reading of an indicator counted in `unit`."""
    check_number(value, field, what)
    if unit is IndicatorUnit.PERCENT and not Decimal(0) <= value <= Decimal(100):
        raise InvalidCommand(f"{what} in per cent must be from 0 to 100", field=field)
    if unit in (IndicatorUnit.COUNT, IndicatorUnit.DAYS) and value < 0:
        raise InvalidCommand(f"{what} in {unit.value} must be 0 or more", field=field)


def check_money(amount: Decimal | None, field: str = "investment") -> None:
    """Raise unless the amount is exact money: pounds and whole pence, 0 to below £1 trillion."""
    if amount is None:
        return
    if not amount.is_finite() or amount < 0:
        raise InvalidCommand("an investment is a positive amount of money", field=field)
    if not _in_range(amount):
        raise InvalidCommand("an investment is less than £1,000,000,000,000", field=field)
    if places(amount.normalize()) > 2:
        raise InvalidCommand("an investment is in pounds and whole pence", field=field)


def check_visit_number(number: int | None, field: str = "number") -> None:
    """Raise unless a monitoring visit's number is from 1 to 999."""
    if number is not None and not 1 <= number <= MAX_VISIT_NUMBER:
        raise InvalidCommand(
            f"a monitoring visit's number is from 1 to {MAX_VISIT_NUMBER}", field=field
        )
