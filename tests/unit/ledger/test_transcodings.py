"""Dates, money and enums come back from storage as exactly their own types."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum, StrEnum

import pytest
from eventsourcing.persistence import JSONTranscoder, TranscodingNotRegisteredError
from hypothesis import given
from hypothesis import strategies as st

from ledger.domain.grades import FindingKind, Grade, IndicatorUnit, InterventionKind, Rag
from ledger.domain.meta import EventMeta
from ledger.persistence.transcodings import LedgerTranscoder

ENUMS = st.sampled_from([*Grade, *Rag, *FindingKind, *InterventionKind, *IndicatorUnit])
MONEY = st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=0, max_value=10**12)
LEAVES = st.one_of(
    st.dates(),
    MONEY,
    ENUMS,
    st.text(max_size=20),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.booleans(),
    st.none(),
    st.datetimes(timezones=st.just(UTC)),
)
VALUES = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _types(value: object) -> object:
    if isinstance(value, dict):
        return {k: _types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_types(v) for v in value]
    return type(value)


@given(VALUES)
def test_any_nesting_of_ledger_values_round_trips_with_exact_types(value: object) -> None:
    transcoder = LedgerTranscoder()
    decoded = transcoder.decode(transcoder.encode({"v": value}))["v"]
    assert decoded == value
    assert _types(decoded) == _types(value)


def test_a_str_enum_does_not_come_back_as_a_plain_string() -> None:
    transcoder = LedgerTranscoder()
    decoded = transcoder.decode(transcoder.encode({"grade": Grade.GOOD}))
    assert type(decoded["grade"]) is Grade


def test_a_date_is_not_confused_with_a_datetime_and_money_keeps_its_pence() -> None:
    transcoder = LedgerTranscoder()
    value = {
        "day": date(2018, 8, 17),
        "at": datetime(2018, 8, 17, 9, tzinfo=UTC),
        "gbp": Decimal("5000000.00"),
    }
    decoded = transcoder.decode(transcoder.encode(value))
    assert type(decoded["day"]) is date
    assert type(decoded["at"]) is datetime
    assert str(decoded["gbp"]) == "5000000.00"


def test_event_metadata_round_trips() -> None:
    transcoder = LedgerTranscoder()
    meta = EventMeta("lancashire", date(2015, 11, 27), "002_0f7c50e13dc0057d.txt", "alice", "c1")
    assert transcoder.decode(transcoder.encode({"meta": meta}))["meta"] == meta


class _LibraryEncoding(LedgerTranscoder):
    """How the ledger encoded before its own writer: enums marked in a walk first, every other
    registered type by the library's `json` default hook."""

    def encode(self, obj: object) -> bytes:
        return JSONTranscoder.encode(self, self._enums_marked(obj))

    def _enums_marked(self, obj: object) -> object:
        if type(obj) is dict:
            return {k: self._enums_marked(v) for k, v in obj.items()}
        if type(obj) in (list, tuple):
            return [self._enums_marked(v) for v in obj]  # type: ignore[attr-defined]
        if isinstance(obj, Enum):
            transcoding = self.types[type(obj)]
            return {"_type_": transcoding.name, "_data_": transcoding.encode(obj)}
        return obj


METAS = st.builds(
    EventMeta,
    authority=st.text(max_size=8),
    effective_date=st.dates(),
    source=st.text(max_size=8),
    recorded_by=st.text(max_size=8),
    command_id=st.text(max_size=8),
)
ANY_VALUES = st.recursive(
    LEAVES | METAS | st.floats() | st.uuids(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(
            st.text(max_size=8) | st.integers() | st.booleans() | st.none(), inner, max_size=4
        )
    ),
    max_leaves=12,
)


@given(ANY_VALUES)
def test_encoding_writes_the_very_bytes_the_library_encoder_wrote(value: object) -> None:
    state = {"timestamp": datetime(2026, 1, 1, tzinfo=UTC), "v": value}
    assert LedgerTranscoder().encode(state) == _LibraryEncoding().encode(state)


def test_an_enum_with_no_transcoding_is_refused_not_written_as_a_string() -> None:
    class Colour(StrEnum):
        RED = "red"

    with pytest.raises(TranscodingNotRegisteredError):
        LedgerTranscoder().encode({"colour": Colour.RED})
