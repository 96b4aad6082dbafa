"""Reading the audit point from a query string: as_of a day, known_at an instant."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from web.audit_query import BadAuditQuery, parse_audit_query

LONDON = ZoneInfo("Europe/London")


def test_no_parameters_is_the_live_view() -> None:
    query = parse_audit_query({}, LONDON)
    assert not query.active
    assert query.params() == {}


def test_a_local_time_is_london_time_in_summer_and_winter() -> None:
    summer = parse_audit_query({"known_at": "2018-07-01T12:00"}, LONDON)
    assert summer.known_at == datetime(2018, 7, 1, 11, 0, tzinfo=UTC)
    winter = parse_audit_query({"known_at": "2016-01-01T12:00"}, LONDON)
    assert winter.known_at == datetime(2016, 1, 1, 12, 0, tzinfo=UTC)
    assert not winter.known_at_end_of_day


def test_a_bare_date_means_the_end_of_that_day() -> None:
    query = parse_audit_query({"known_at": "2018-07-01"}, LONDON)
    # the last instant of 1 July 2018 in London (BST, an hour ahead of UTC)
    assert query.known_at == datetime(2018, 7, 1, 22, 59, 59, 999999, tzinfo=UTC)
    assert query.known_at_end_of_day


def test_an_offset_is_honoured_and_the_text_is_carried_unchanged() -> None:
    query = parse_audit_query({"as_of": "2018-07-01", "known_at": "2016-01-01T12:00+02:00"}, LONDON)
    assert query.as_of == date(2018, 7, 1)
    assert query.known_at == datetime(2016, 1, 1, 10, 0, tzinfo=UTC)
    assert query.params() == {"as_of": "2018-07-01", "known_at": "2016-01-01T12:00+02:00"}


@pytest.mark.parametrize(
    "args",
    [
        {"as_of": "2018-02-30"},
        {"as_of": "1 July 2018"},
        {"known_at": "noon"},
        {"known_at": "2018-13-01"},
    ],
)
def test_a_bad_value_is_refused_with_its_name(args: dict[str, str]) -> None:
    with pytest.raises(BadAuditQuery, match=next(iter(args))):
        parse_audit_query(args, LONDON)


def test_blank_parameters_are_ignored() -> None:
    assert not parse_audit_query({"as_of": " ", "known_at": ""}, LONDON).active
