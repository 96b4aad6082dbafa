"""A fuzz of the import parser: hostile lines (random bytes, broken JSON, deep nesting, valid
commands with one value swapped for something hostile) are either refused with line errors or
accepted within every limit, and nothing ever raises.

Counts: `LEDGER_FUZZ_EXAMPLES=1500 pytest -s tests/integration/ledger/test_import_fuzz.py`
prints the tries, the lines accepted wrongly and the tracebacks (both must be 0).
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections import Counter
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entrypoints.bootstrap import Services, build_services
from ledger.application.importing import read_commands
from ledger.application.limits import (
    EARLIEST,
    FUTURE_DATE_FIELDS,
    MAX_REFERENCE,
    MAX_TEXT,
    REFERENCE,
    REFERENCE_FIELDS,
    bad_character,
)
from ledger.domain.errors import LedgerError
from ledger.domain.frameworks import FrameworkCatalogue
from ledger.domain.quantities import MAX_MAGNITUDE, READING_PLACES, places
from tests.factories import load_demo

EXAMPLES = int(os.environ.get("LEDGER_FUZZ_EXAMPLES", "200"))
TODAY = date(2026, 11, 23)
COUNTS: Counter[str] = Counter()

# Valid commands, one of each kind, to mutate.
VALID = [
    {
        "type": "AuthorityRegistered",
        "id": "otherton",
        "name": "Otherton Council",
        "source": "register",
    },
    {
        "type": "ActionProgressUpdated",
        "authority": "lancashire",
        "id": "improvement-plan-2018",
        "date": "2018-09-01",
        "rag": "amber",
        "narrative": "On track.",
        "source": "board paper",
        "expected_version": 1,
    },
    {
        "type": "ActionDueDateRevised",
        "authority": "lancashire",
        "id": "improvement-plan-2018",
        "date": "2018-10-01",
        "new_due_date": "2019-01-31",
        "reason": "Cabinet moved",
        "approver": "PIIB",
        "source": "board paper",
    },
    {
        "type": "IndicatorReadingRecorded",
        "authority": "lancashire",
        "id": "return-home-interviews",
        "period_end": "2018-09-30",
        "value": "75.5",
        "source": "return",
    },
    {
        "type": "DecisionRecorded",
        "authority": "lancashire",
        "id": "d-1",
        "body": "Cabinet",
        "date": "2018-09-01",
        "title": "Posts",
        "investment": "12000.50",
        "resolutions": ["Approve"],
        "source": "minutes",
    },
    {
        "type": "MonitoringVisitRecorded",
        "authority": "lancashire",
        "id": "mv-7",
        "number": 7,
        "first_day": "2017-09-01",
        "last_day": "2017-09-02",
        "letter_date": "2017-09-20",
        "progress_statement": "Some progress.",
        "findings": [{"kind": "strength", "text": "Leaders know."}],
        "source": "letter",
    },
    {
        "type": "Corrected",
        "authority": "lancashire",
        "id": "sif-2015",
        "record": "inspection",
        "fields": {"published": "2015-11-28"},
        "reason": "Misread",
        "source": "report",
    },
    {
        "type": "InspectionRecorded",
        "authority": "lancashire",
        "id": "ilacs-x",
        "framework": "ilacs-2018",
        "kind": "standard",
        "published": "2019-03-01",
        "grades": {
            "overall_effectiveness": "good",
            "leaders": "good",
            "help_and_protection": "good",
            "in_care_and_care_leavers": "good",
        },
        "source": "report",
    },
]

HOSTILE_TEXT = st.one_of(
    st.text(st.characters(codec=None, blacklist_categories=()), max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "x",
            "<script>alert(1)</script>",
            "a\u202eb",
            "a\x00b",
            "\ud800",
            "\ufffe",
            "line\nbreak",
            "y" * 20_000,
            "z" * 1_001,
            "1e400",
            "1E+99999",
            "1e-400",
            "NaN",
            "-Infinity",
            "2099-01-01",
            "0001-01-01",
            "2019-02-30",
            "9" * 5000,
        ]
    ),
)
JSON_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**60), max_value=10**60),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    HOSTILE_TEXT,
)
JSON_VALUE = st.recursive(
    JSON_LEAF,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(HOSTILE_TEXT, children, max_size=4)
    ),
    max_leaves=12,
)


# Values a field might plausibly hold, so that some mutated lines are still commands.
BENIGN = st.sampled_from(
    [
        "On track.",
        "Board paper",
        "2018-10-01",
        "2019-12-31",
        "12.5",
        "75",
        5,
        "good",
        "amber",
        "percent",
        "Ab",
    ]
)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    raw = dict(draw(st.sampled_from(VALID)))
    for _ in range(draw(st.integers(0, 3))):
        key = draw(st.sampled_from([*raw, "extra", "type"]))
        action = draw(st.sampled_from(["hostile", "hostile", "benign", "benign", "drop"]))
        if action == "drop":
            raw.pop(key, None)
        else:
            raw[key] = draw(JSON_VALUE if action == "hostile" else BENIGN)
    return json.dumps(raw, allow_nan=True)


@st.composite
def one_hostile_text(draw: st.DrawFn) -> str:
    """A valid command with one of its text fields swapped for hostile text: what a limit that
    is missing would let through."""
    raw = dict(draw(st.sampled_from(VALID)))
    key = draw(st.sampled_from([k for k, v in raw.items() if isinstance(v, str) and k != "type"]))
    raw[key] = draw(HOSTILE_TEXT)
    return json.dumps(raw)


NESTED = st.integers(15, 3000).map(lambda depth: "[" * depth + "]" * depth)
LINES = st.one_of(
    mutated(),
    mutated(),
    one_hostile_text(),
    st.binary(max_size=300),
    JSON_VALUE.map(lambda v: json.dumps(v, allow_nan=True)),
    NESTED,
    st.builds(lambda line, cut: line[:cut], mutated(), st.integers(0, 60)),
)


def _limits_broken(value: Any, path: str) -> str | None:
    """Why an accepted command's value breaks a limit, or None (an independent check)."""
    name = path.rsplit(".", 1)[-1].split("[", 1)[0]
    if isinstance(value, Enum):
        return None
    if isinstance(value, str):
        if name in REFERENCE_FIELDS:
            if len(value) > MAX_REFERENCE or not REFERENCE.fullmatch(value):
                return f"{path}: reference {value[:40]!r}"
            return None
        if len(value) > MAX_TEXT or bad_character(value, True) is not None:
            return f"{path}: text {value[:40]!r}"
        return None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return None if abs(value) < 10**18 else f"{path}: int {value}"
    if isinstance(value, Decimal):
        if not value.is_finite() or abs(value) >= MAX_MAGNITUDE:
            return f"{path}: number {value}"
        if places(value.normalize()) > READING_PLACES:
            return f"{path}: places {value}"
        return None
    if isinstance(value, date):
        if value < EARLIEST or (name not in FUTURE_DATE_FIELDS and value > TODAY):
            return f"{path}: date {value}"
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _limits_broken(item, f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _limits_broken(item, f"{path}[{index}]")
            if found:
                return found
        return None
    if dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            found = _limits_broken(getattr(value, field.name), f"{path}.{field.name}".lstrip("."))
            if found:
                return found
        return None
    return f"{path}: unexpected {type(value).__name__}"


@pytest.fixture(scope="module")
def demo_ledger(
    tmp_path_factory: pytest.TempPathFactory, frameworks: FrameworkCatalogue
) -> Iterator[Services]:
    folder = tmp_path_factory.mktemp("fuzz")
    services = build_services(f"sqlite:///{folder}/ledger.db", frameworks, today=lambda: TODAY)
    load_demo(services.ledger)
    yield services
    if COUNTS:
        print(
            f"\nimport fuzz: {COUNTS['tries']:,} lines tried, {COUNTS['accepted']:,} accepted, "
            f"{COUNTS['refused']:,} refused, {COUNTS['accepted wrongly']} accepted wrongly, "
            f"{COUNTS['tracebacks']} tracebacks"
        )
    services.close()


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(lines=st.lists(LINES, min_size=1, max_size=4))
def test_no_line_breaks_the_parser_and_nothing_accepted_breaks_a_limit(
    demo_ledger: Services, lines: list[str | bytes]
) -> None:
    COUNTS["tries"] += len(lines)
    try:
        commands, errors = read_commands(lines, TODAY)
        if commands:
            demo_ledger.ledger.execute([p for _, p in commands], "fuzz", dry_run=True)
    except LedgerError:
        pass  # the ledger's own refusal of a command, in words
    except Exception as error:
        COUNTS["tracebacks"] += 1
        raise AssertionError(f"a traceback: {type(error).__name__}: {error}") from error
    COUNTS["refused"] += len({e.line for e in errors})
    for _, pending in commands:
        COUNTS["accepted"] += 1
        broken = _limits_broken(pending.command, "")
        if broken:
            COUNTS["accepted wrongly"] += 1
            raise AssertionError(f"accepted wrongly: {broken}")
    assert all(len(str(e)) < 600 for e in errors)  # a long value is never echoed
