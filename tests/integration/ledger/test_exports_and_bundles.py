"""Exports restore an identical ledger; bundles verify with no database; encryption at rest."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from entrypoints.bootstrap import Services
from ledger.application.exports import restore, write_bundle, write_export
from ledger.domain.errors import LedgerIntegrityError
from ledger.evidence.bundles import BadExport, verify_bundle
from tests.factories import AUTHORITY, journey, load_demo, progress, record

KEY = base64.b64encode(b"k" * 32).decode()
OTHER_KEY = base64.b64encode(b"x" * 32).decode()


def as_lines(header: dict, events: list[dict]) -> list[str]:
    """An export's lines, as a file holds them."""
    return [json.dumps(line) for line in (header, *events)]


def _export(services: Services) -> list[dict]:
    buffer = io.StringIO()
    write_export(services.ledger, buffer)
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_export_carries_metadata_readable_data_and_the_fingerprint(services: Services) -> None:
    record(services.ledger, *journey(), actor="alice")
    header, *events = _export(services)
    assert header["fingerprint"] == str(services.ledger.fingerprint())
    assert header["events"] == len(events) == 5
    inspection = events[1]
    assert inspection["event"] == "InspectionRecorded"
    assert inspection["record"] == "inspection/insp-1"
    assert inspection["recorded_by"] == "alice"
    assert inspection["effective_date"] == "2018-08-17"
    assert inspection["data"]["grades"]["overall_effectiveness"] == "inadequate"
    assert [e["seq"] for e in events] == [1, 2, 3, 4, 5]


def test_importing_an_export_into_an_empty_store_gives_an_identical_ledger(
    make_services: Callable[..., Services], tmp_path: Path
) -> None:
    source = make_services()
    load_demo(source.ledger)
    header, *events = _export(source)
    target = make_services(url=f"sqlite:///{tmp_path}/restored.db")
    assert restore(target.ledger, as_lines(header, events)) == len(events)
    assert target.ledger.fingerprint() == source.ledger.fingerprint()
    assert target.ledger.verify().intact
    restored_header, *restored_events = _export(target)
    assert restored_header["fingerprint"] == header["fingerprint"]
    assert restored_events == events
    # And the read side agrees.
    assert target.views.judgements("lancashire") == source.views.judgements("lancashire")
    # Restoring again changes nothing.
    assert restore(target.ledger, as_lines(header, events)) == 0


def test_an_altered_export_is_refused_and_nothing_is_restored(
    make_services: Callable[..., Services], tmp_path: Path
) -> None:
    source = make_services()
    record(source.ledger, *journey())
    header, *events = _export(source)
    state = base64.b64decode(events[2]["stored"]["state"]).replace(b"Improve", b"Ignore")
    events[2]["stored"]["state"] = base64.b64encode(state).decode()
    target = make_services(url=f"sqlite:///{tmp_path}/restored.db")
    with pytest.raises(BadExport, match="event #3"):
        restore(target.ledger, as_lines(header, events))
    assert target.ledger.fingerprint().count == 0


def test_a_store_with_another_history_refuses_a_restore(
    make_services: Callable[..., Services], tmp_path: Path
) -> None:
    source = make_services()
    record(source.ledger, *journey())
    header, *events = _export(source)
    other = make_services(url=f"sqlite:///{tmp_path}/other.db")
    record(other.ledger, *journey(), actor="someone else")  # same records, other metadata
    with pytest.raises(BadExport, match="restore into an empty store"):
        restore(other.ledger, as_lines(header, events))


def test_a_bundle_verifies_with_no_database(services: Services, tmp_path: Path) -> None:
    record(services.ledger, *journey())
    bundle = tmp_path / "ledger.zip"
    fingerprint = write_bundle(services.ledger, bundle)
    services.close()
    outcome = verify_bundle(bundle, expected=fingerprint)
    assert outcome.intact
    assert outcome.fingerprint == fingerprint


def _rewrite_bundle(bundle: Path, change: Callable[[list[dict]], list[dict]]) -> Path:
    with zipfile.ZipFile(bundle) as original:
        manifest = original.read("manifest.json")
        lines = [json.loads(t) for t in original.read("events.jsonl").decode().splitlines()]
    altered = bundle.with_name("altered.zip")
    with zipfile.ZipFile(altered, "w") as out:
        out.writestr("manifest.json", manifest)
        out.writestr("events.jsonl", "".join(json.dumps(line) + "\n" for line in change(lines)))
    return altered


@pytest.mark.parametrize(
    ("change", "kind"),
    [
        (lambda lines: lines[:-1], "cut_short"),
        (lambda lines: [lines[0], lines[2], lines[1], *lines[3:]], None),
        (lambda lines: [*lines[:2], *lines[3:]], None),
    ],
    ids=["cut short", "reordered", "deleted"],
)
def test_an_altered_bundle_does_not_verify(
    services: Services, tmp_path: Path, change: Callable[[list[dict]], list[dict]], kind: str | None
) -> None:
    record(services.ledger, *journey())
    bundle = tmp_path / "ledger.zip"
    write_bundle(services.ledger, bundle)
    outcome = verify_bundle(_rewrite_bundle(bundle, change))
    assert not outcome.intact
    assert outcome.problem is not None
    if kind:
        assert outcome.problem.kind == kind


def test_encrypted_events_verify_without_the_key_and_read_with_it(
    make_services: Callable[..., Services], database_url: str
) -> None:
    encrypted = make_services(cipher_key=KEY)
    record(
        encrypted.ledger,
        *journey(),
        progress("act-1", "2018-10-01", "red", narrative="Secret detail"),
    )
    stored = b"".join(row.state for row in encrypted.ledger.stored_rows())
    assert b"Secret detail" not in stored  # encrypted at rest
    assert encrypted.ledger.verify().intact
    assert encrypted.views.actions(AUTHORITY)["actions"][0]["rag"] == "red"

    wrong = make_services(cipher_key=OTHER_KEY)
    assert wrong.ledger.verify().intact  # the chain covers the stored (encrypted) bytes
    with pytest.raises(LedgerIntegrityError, match="encryption key"):
        list(wrong.ledger.read_log())
