"""A restore takes only the ledger's own events, checked against its rules before anything is
written: a forged export that verifies against itself is still refused, whole."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from entrypoints.bootstrap import Services
from ledger.application.digest_deliveries import DeliveryClaim
from ledger.application.exports import write_export
from ledger.evidence.bundles import BadExport
from ledger.evidence.chain import EMPTY
from tests.factories import AUTHORITY, load_demo, progress, record
from tests.integration.ledger.forgery import forge, resealed, state_of, with_state
from tests.integration.ledger.read_model_answers import rich_journey

pytest_plugins = ["tests.integration.ledger.stores"]

PROBE = "ledger_forgery_probe"


@pytest.fixture
def exported(make_services: Callable[..., Services]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The demo journey and a few updates, exported."""
    source = make_services()
    load_demo(source.ledger)
    record(
        source.ledger,
        progress("improvement-plan-2018", "2018-10-01", "amber", authority="lancashire"),
    )
    buffer = io.StringIO()
    write_export(source.ledger, buffer)
    header, *events = (json.loads(line) for line in buffer.getvalue().splitlines())
    return header, events


@pytest.fixture
def target(make_services: Callable[..., Services], another_store: str) -> Services:
    """An empty store on the same backend as the exported one."""
    services = make_services(url=another_store)
    assert services.ledger.fingerprint() == EMPTY
    return services


def _refused(target: Services, lines: list[str], match: str) -> None:
    with pytest.raises(BadExport, match=match):
        target.ledger.restore(lines)
    assert target.ledger.fingerprint() == EMPTY
    assert list(target.ledger.stored_rows()) == []


def _is(name: str) -> Callable[[dict[str, Any]], bool]:
    return lambda line: line["event"] == name


def test_an_untouched_export_restores_identically(
    exported: tuple[dict[str, Any], list[dict[str, Any]]], target: Services
) -> None:
    header, events = exported
    assert target.ledger.restore(resealed(header, events)) == len(events)
    assert str(target.ledger.fingerprint()) == header["fingerprint"]
    assert target.views.judgements("lancashire")["overall"]["grade"] == "requires_improvement"


def test_a_topic_naming_any_other_module_is_refused_and_never_imported(
    exported: tuple[dict[str, Any], list[dict[str, Any]]],
    target: Services,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    header, events = exported
    probe = tmp_path / "probe"
    probe.mkdir()
    imported = tmp_path / "imported"
    (probe / f"{PROBE}.py").write_text(
        f"open({str(imported)!r}, 'w').write('imported')\nclass Evil: pass\n"
    )
    monkeypatch.syspath_prepend(str(probe))
    for topic in (f"{PROBE}:Evil", "this:s", "ledger.domain.actions:Action.Created.__init__"):

        def retopic(line: dict[str, Any], topic: str = topic) -> dict[str, Any]:
            return {**line, "stored": {**line["stored"], "topic": topic}}

        lines = forge(header, events, _is("InspectionRecorded"), retopic)
        _refused(target, lines, "not one of the ledger's")
    assert not imported.exists()
    assert PROBE not in sys.modules


def test_a_created_record_of_a_class_not_the_ledger_s_is_refused(
    exported: tuple[dict[str, Any], list[dict[str, Any]]], target: Services
) -> None:
    header, events = exported

    def other_class(line: dict[str, Any]) -> dict[str, Any]:
        return with_state(line, {**state_of(line), "originator_topic": f"{PROBE}:Evil"})

    _refused(target, forge(header, events, _is("InspectionRecorded"), other_class), "kind")


@pytest.mark.parametrize(
    ("change", "match"),
    [
        # An edited grade that is no grade at all.
        (lambda s: _grade(s, "overall_effectiveness", "excellent"), "cannot read|grade"),
        # A grade for an area the framework does not have.
        (lambda s: _grade(s, "made_up_area", "good"), "made_up_area"),
        # The report published before the inspectors left.
        (lambda s: {**s, "published": {"_type_": "date_iso", "_data_": "2015-09-01"}}, "published"),
    ],
)
def test_an_inspection_the_handlers_would_refuse_is_refused(
    exported: tuple[dict[str, Any], list[dict[str, Any]]],
    target: Services,
    change: Callable[[dict[str, Any]], dict[str, Any]],
    match: str,
) -> None:
    header, events = exported
    lines = forge(
        header,
        events,
        _is("InspectionRecorded"),
        lambda line: with_state(line, change(state_of(line))),
    )
    _refused(target, lines, match)


def _grade(state: dict[str, Any], area: str, grade: str) -> dict[str, Any]:
    grades = dict(state["grades"])
    grades[area] = {"_type_": "grade", "_data_": grade}
    return {**state, "grades": grades}


def test_a_reading_out_of_range_is_refused(
    exported: tuple[dict[str, Any], list[dict[str, Any]]], target: Services
) -> None:
    header, events = exported

    def huge(line: dict[str, Any]) -> dict[str, Any]:
        return with_state(
            line, {**state_of(line), "value": {"_type_": "decimal_str", "_data_": "1E+400"}}
        )

    _refused(
        target, forge(header, events, _is("IndicatorReadingRecorded"), huge), "1,000,000,000,000"
    )


def test_an_event_true_after_it_was_recorded_is_refused(
    exported: tuple[dict[str, Any], list[dict[str, Any]]], target: Services
) -> None:
    header, events = exported

    def later(line: dict[str, Any]) -> dict[str, Any]:
        state = state_of(line)
        meta = state["meta"]["_data_"]
        meta = {**meta, "effective_date": {"_type_": "date_iso", "_data_": "2099-01-01"}}
        state["meta"] = {**state["meta"], "_data_": meta}
        state["period_end"] = {"_type_": "date_iso", "_data_": "2099-01-01"}
        return with_state(line, state)

    _refused(
        target,
        forge(header, events, _is("IndicatorReadingRecorded"), later),
        "after it was recorded",
    )


def test_an_event_repeated_under_a_new_version_is_refused(
    exported: tuple[dict[str, Any], list[dict[str, Any]]], target: Services
) -> None:
    header, events = exported
    update = next(line for line in events if line["event"] == "ActionProgressUpdated")
    copy = {
        **update,
        "stored": {
            **update["stored"],
            "originator_version": update["stored"]["originator_version"] + 1,
        },
    }
    _refused(target, resealed(header, [*events, copy]), "repeats a command")


def test_an_update_to_a_record_never_made_is_refused(
    exported: tuple[dict[str, Any], list[dict[str, Any]]], target: Services
) -> None:
    header, events = exported
    without_plan = [line for line in events if line["event"] != "ActionPlanned"]
    _refused(target, resealed(header, without_plan), "never made")


def test_a_bad_line_after_the_header_is_named_by_its_number(
    exported: tuple[dict[str, Any], list[dict[str, Any]]], target: Services
) -> None:
    header, events = exported
    lines = resealed(header, events)
    for bad, match in (
        ("{not json", r"line 3: not valid JSON"),
        (b"\xff\xfe", r"line 3: not UTF-8"),
        ("[" * 5000 + "]" * 5000, r"line 3: lists or objects nested more than 20 deep"),
        ('"just a string"', r"line 3: not a JSON object"),
    ):
        _refused(target, [lines[0], lines[1], bad, *lines[2:]], match)


def test_after_a_refused_forgery_the_store_still_restores_and_answers(
    exported: tuple[dict[str, Any], list[dict[str, Any]]], target: Services
) -> None:
    header, events = exported
    forged = forge(
        header,
        events,
        _is("InspectionRecorded"),
        lambda line: {**line, "stored": {**line["stored"], "topic": "this:s"}},
    )
    _refused(target, forged, "not one of the ledger's")
    assert target.ledger.restore(resealed(header, events)) == len(events)
    assert target.views.judgements("lancashire")["areas"]


def test_an_export_of_every_kind_of_event_restores_identically(
    make_services: Callable[..., Services], target: Services
) -> None:
    """Every record, update and correction, and digest deliveries sent, failed and retried,
    pass the replay through the ledger's own rules."""
    source = make_services()
    record(source.ledger, *rich_journey())
    who = DeliveryClaim(
        "scheduler", datetime(2019, 7, 8, 9, tzinfo=UTC), date(2019, 7, 8), timedelta(minutes=5)
    )
    deliveries = source.ledger.digests
    first = deliveries.claim(AUTHORITY, "slack", date(2019, 7, 1), date(2019, 7, 7), who, None)
    assert first is not None
    deliveries.record_failed(
        AUTHORITY, first, 1, error="timed out", permanent=False, transport_attempts=3, who=who
    )
    again = deliveries.claim(
        AUTHORITY,
        "slack",
        date(2019, 7, 1),
        date(2019, 7, 7),
        who,
        deliveries.get(AUTHORITY, "slack", date(2019, 7, 1), date(2019, 7, 7)),
    )
    assert again is not None
    deliveries.record_sent(
        AUTHORITY,
        again,
        2,
        fingerprint=str(source.ledger.fingerprint()),
        known_at=who.now,
        detail="200 ok",
        transport_attempts=1,
        who=who,
    )
    buffer = io.StringIO()
    write_export(source.ledger, buffer)
    lines = buffer.getvalue().splitlines()
    names = {json.loads(line).get("event") for line in lines[1:]}
    assert {"Corrected", "DigestDeliveryRetried", "DigestSent", "DigestDeliveryFailed"} <= names

    assert target.ledger.restore(lines) == len(lines) - 1
    assert target.ledger.fingerprint() == source.ledger.fingerprint()
    assert target.views.actions(AUTHORITY) == source.views.actions(AUTHORITY)


def test_people_and_their_actions_restore_identically(
    make_services: Callable[..., Services], target: Services
) -> None:
    source = make_services()
    record(source.ledger, *rich_journey())

    def line(kind: str, ref: str, **fields: Any) -> dict[str, Any]:
        return {"type": kind, "authority": AUTHORITY, "id": ref, "source": "staff list", **fields}

    record(
        source.ledger,
        line("PersonAdded", "pat", name="Pat Jones", email="pat@example.org", date="2018-09-01"),
        line("ActionAssigned", "act-1", person="pat", date="2018-09-02"),
        line("PersonUpdated", "pat", changes={"title": "Head of Service"}, date="2018-09-03"),
        line("PersonLeft", "pat", reason="Moved to another council", date="2019-01-31"),
    )
    buffer = io.StringIO()
    write_export(source.ledger, buffer)
    lines = buffer.getvalue().splitlines()
    assert target.ledger.restore(lines) == len(lines) - 1
    assert target.ledger.fingerprint() == source.ledger.fingerprint()
