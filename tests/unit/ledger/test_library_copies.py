"""Fences around the library code the ledger copies for speed.

The ledger keeps re-implementations of eventsourcing internals where they earn their keep: three
for speed (`benchmarks/library_paths.py` times each against the library's own path) and one for
correctness:

- `ledger.application.service.replay_events` is `project_aggregate` without its Protocol assert;
- `ledger.persistence.transcodings.LedgerTranscoder` writes the bytes `JSONTranscoder` writes;
- `ledger.application.log.PlainDecoder` decodes stored state as `Mapper.to_domain_event` and
  `JSONTranscoder.decode` do, to plain values;
- `ledger.persistence.sealed_postgres.SealedPostgresRecorder.insert_events` is the library's
  `PostgresApplicationRecorder.insert_events` (without database functions, which it refuses)
  letting an exception raised while sealing roll the transaction back, where the library's
  commits and then re-raises (`tests/integration/ledger/test_sealing_cannot_be_bypassed.py`).

Each copied function's source is pinned here by its digest: when an upgrade of the library
changes one, this test fails and names it, so the copy is re-read against the new code (and the
equivalence tests beside it re-run) before the pin is moved. The behaviour itself is checked by
`test_transcodings.py` (the very bytes the library's encoder writes) and
`tests/integration/ledger/test_read_models.py` (plain events hold what domain events hold).
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable
from typing import Any

import pytest
from eventsourcing.application import project_aggregate
from eventsourcing.persistence import JSONTranscoder, Mapper
from eventsourcing.postgres import PostgresApplicationRecorder

# The library functions each copy reproduces, with the digest of their source when the copy
# was last checked against them (eventsourcing 9.5.6).
COPIED: dict[str, tuple[Callable[..., Any], str, str]] = {
    "project_aggregate": (
        project_aggregate,
        "e2d05062a4fad31f",
        "ledger.application.service.replay_events",
    ),
    "JSONTranscoder.__init__": (
        JSONTranscoder.__init__,
        "fd17b3c098d3687c",
        "ledger.persistence.transcodings.LedgerTranscoder",
    ),
    "JSONTranscoder.encode": (
        JSONTranscoder.encode,
        "876597a47898bfd8",
        "ledger.persistence.transcodings.LedgerTranscoder",
    ),
    "JSONTranscoder._encode_obj": (
        JSONTranscoder._encode_obj,
        "e7a92650c9f989f4",
        "ledger.persistence.transcodings.LedgerTranscoder",
    ),
    "JSONTranscoder.decode": (
        JSONTranscoder.decode,
        "d500105a1637cd89",
        "ledger.application.log.PlainDecoder",
    ),
    "JSONTranscoder._decode_obj": (
        JSONTranscoder._decode_obj,
        "7c7c0e6064fd5d73",
        "ledger.application.log.PlainDecoder",
    ),
    "PostgresApplicationRecorder.insert_events": (
        PostgresApplicationRecorder.insert_events,
        "f1a98da0239e3ea7",
        "ledger.persistence.sealed_postgres.SealedPostgresRecorder.insert_events",
    ),
    "Mapper.to_domain_event": (
        Mapper.to_domain_event,
        "6ec02f2a3b6e233a",
        "ledger.application.log.PlainDecoder",
    ),
}


def source_digest(function: Callable[..., Any]) -> str:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16]


@pytest.mark.parametrize("name", sorted(COPIED))
def test_the_library_code_a_copy_reproduces_is_unchanged(name: str) -> None:
    function, pinned, copy = COPIED[name]
    assert source_digest(function) == pinned, (
        f"eventsourcing's {name} changed since {copy} was checked against it: re-read the copy "
        "against the new code, re-run benchmarks/library_paths.py, then update the digest here"
    )


def test_a_changed_function_has_another_digest() -> None:
    def original() -> int:
        return 1

    def changed() -> int:
        return 2

    assert source_digest(original) != source_digest(changed)
