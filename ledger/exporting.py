"""Exports, bundles and restores: the history with its seals, portable and checkable anywhere.

An export is JSON Lines: a header line with the fingerprint, then one line per event with its
metadata, a readable copy of its data, the exact stored fields, and its seal. A bundle is a zip of
the same event lines and a manifest. Importing an export into an empty store restores an identical
ledger (same events, same metadata, same fingerprint).
"""

from __future__ import annotations

import base64
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import resolve_topic

from ledger.application import JourneyLedger
from ledger.chain import (
    CHAIN_TAG,
    Fingerprint,
    Problem,
    Seal,
    StoredRow,
    Verification,
    verify_history,
)
from ledger.errors import LedgerError

EXPORT_FORMAT = 1
BUNDLE_FORMAT = "ijl-bundle-v1"
_HIDDEN = {"originator_id", "originator_version", "timestamp", "meta", "originator_topic"}


class BadExport(LedgerError):
    """An export or bundle is malformed, altered, or does not fit this store."""


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "value") and isinstance(value.value, str):
        return value.value
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value) if not hasattr(value, "isoformat") else value.isoformat()


def export_lines(ledger: JourneyLedger) -> Iterator[dict[str, Any]]:
    """The header, then every sealed event in the order it was recorded."""
    seals = ledger.seals()
    fingerprint = (
        Fingerprint(seals[-1].seq, seals[-1].chain_hash) if seals else Fingerprint(0, bytes(32))
    )
    yield {
        "ledger_export": EXPORT_FORMAT,
        "algorithm": CHAIN_TAG.decode(),
        "fingerprint": str(fingerprint),
        "events": fingerprint.count,
        "exported_at": datetime.now(UTC).isoformat(),
    }
    records: dict[str, str] = {}
    rows = ledger.stored_rows()
    by_position = {s.position: s for s in seals}
    for row in rows:
        seal = by_position.get(row.position)
        if seal is None:
            continue  # never sealed: not part of the history (`ledger verify` reports it)
        yield _event_line(ledger, row, seal, records)


def _event_line(
    ledger: JourneyLedger, row: StoredRow, seal: Seal, records: dict[str, str]
) -> dict[str, Any]:
    stored = StoredEvent(row.originator_id, row.originator_version, row.topic, row.state)
    event = ledger.decode(stored)
    originator = str(event.originator_id)
    if hasattr(event, "originator_topic"):
        kind = resolve_topic(event.originator_topic).KIND
        records[originator] = f"{kind}/{getattr(event, 'ref', None) or getattr(event, 'slug', '')}"
    meta = event.meta
    return {
        "seq": seal.seq,
        "event": type(event).__name__,
        "record": records.get(originator),
        "authority": meta.authority,
        "effective_date": meta.effective_date.isoformat(),
        "recorded_at": event.timestamp.isoformat(),
        "recorded_by": meta.recorded_by,
        "source": meta.source,
        "data": {k: _plain(v) for k, v in vars(event).items() if k not in _HIDDEN},
        "stored": {
            "originator_id": originator,
            "originator_version": row.originator_version,
            "topic": row.topic,
            "state": base64.b64encode(row.state).decode("ascii"),
        },
        "event_hash": seal.event_hash.hex(),
        "chain_hash": seal.chain_hash.hex(),
    }


def write_export(ledger: JourneyLedger, out: IO[str]) -> Fingerprint:
    """Write the export to `out`; returns the fingerprint in its header."""
    fingerprint = None
    for line in export_lines(ledger):
        if fingerprint is None:
            fingerprint = Fingerprint.parse(line["fingerprint"])
        out.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
    assert fingerprint is not None
    return fingerprint


def write_bundle(ledger: JourneyLedger, path: Path) -> Fingerprint:
    """Write a bundle (zip: manifest.json, events.jsonl); returns its fingerprint."""
    lines = export_lines(ledger)
    header = next(lines)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        with bundle.open("events.jsonl", "w") as events:
            for line in lines:
                events.write(
                    (json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
                )
        manifest = {
            "format": BUNDLE_FORMAT,
            "algorithm": header["algorithm"],
            "fingerprint": header["fingerprint"],
            "events": header["events"],
            "created_at": header["exported_at"],
            "how_to_verify": "docs/verification.md: recompute the chain over events.jsonl",
        }
        bundle.writestr("manifest.json", json.dumps(manifest, indent=2) + "\n")
    return Fingerprint.parse(header["fingerprint"])


@dataclass(frozen=True)
class ExportedEvent:
    row: StoredRow
    seal: Seal


def parse_event_lines(lines: Iterable[dict[str, Any]]) -> list[ExportedEvent]:
    """The stored fields and seals of exported event lines (their position is their seq)."""
    events = []
    for number, line in enumerate(lines, start=1):
        try:
            seq = int(line["seq"])
            stored = line["stored"]
            row = StoredRow(
                seq,
                stored["originator_id"],
                int(stored["originator_version"]),
                stored["topic"],
                base64.b64decode(stored["state"], validate=True),
            )
            seal = Seal(
                seq, seq, bytes.fromhex(line["event_hash"]), bytes.fromhex(line["chain_hash"])
            )
        except (KeyError, TypeError, ValueError) as error:
            raise BadExport(
                f"event line {number} is malformed ({type(error).__name__}: {error})"
            ) from None
        events.append(ExportedEvent(row, seal))
    return events


def check_events(
    events: list[ExportedEvent], claimed: Fingerprint, expected: Fingerprint | None
) -> Verification:
    """Recompute the chain over exported events; check it against what the file claims, and
    against a fingerprint the user holds (`expected`)."""
    outcome = verify_history((e.row for e in events), (e.seal for e in events), claimed)
    if outcome.intact and outcome.fingerprint != claimed:
        return Verification(
            outcome.fingerprint,
            _problem(
                f"the file claims fingerprint {claimed} "
                f"but its events chain to {outcome.fingerprint}"
            ),
        )
    if outcome.intact and expected is not None:
        return verify_history((e.row for e in events), (e.seal for e in events), expected)
    return outcome


def _problem(message: str) -> Problem:
    return Problem("diverged", None, None, message)


def read_bundle(path: Path) -> tuple[Fingerprint, list[ExportedEvent]]:
    """The manifest's fingerprint and the events of a bundle."""
    try:
        with zipfile.ZipFile(path) as bundle:
            manifest = json.loads(bundle.read("manifest.json"))
            lines = [
                json.loads(text)
                for text in bundle.read("events.jsonl").decode().splitlines()
                if text.strip()
            ]
    except (
        OSError,
        KeyError,
        zipfile.BadZipFile,
        json.JSONDecodeError,
        UnicodeDecodeError,
    ) as error:
        raise BadExport(f"{path} is not a ledger bundle ({error})") from None
    if manifest.get("format") != BUNDLE_FORMAT:
        raise BadExport(f"{path} is not a {BUNDLE_FORMAT} bundle")
    try:
        claimed = Fingerprint.parse(str(manifest.get("fingerprint", "")))
    except ValueError as error:
        raise BadExport(str(error)) from None
    return claimed, parse_event_lines(lines)


def verify_bundle(path: Path, expected: Fingerprint | None = None) -> Verification:
    """Check a bundle with no database and no trust in whoever made it."""
    claimed, events = read_bundle(path)
    return check_events(events, claimed, expected)


def restore(ledger: JourneyLedger, header: dict[str, Any], lines: Iterable[dict[str, Any]]) -> int:
    """Append an export's events to this store, whose history must be a prefix of the export's.

    Returns how many events were appended (0 when the store already holds them all).
    """
    try:
        claimed = Fingerprint.parse(str(header.get("fingerprint", "")))
    except ValueError as error:
        raise BadExport(str(error)) from None
    events = parse_event_lines(lines)
    outcome = check_events(events, claimed, None)
    if outcome.problem is not None:
        raise BadExport(
            f"the export does not verify: {outcome.problem.message}; nothing was restored"
        )
    current = ledger.fingerprint()
    if current.count > len(events) or (
        current.count and events[current.count - 1].seal.chain_hash != current.head
    ):
        raise BadExport(
            "this store already holds a history the export does not continue; "
            "restore into an empty store; nothing was restored"
        )
    new = [
        StoredEvent(e.row.originator_id, e.row.originator_version, e.row.topic, e.row.state)
        for e in events[current.count :]
    ]
    if new:
        ledger.append_stored(_with_uuid_ids(new))
    return len(new)


def _with_uuid_ids(events: list[StoredEvent]) -> list[StoredEvent]:
    return [
        StoredEvent(UUID(str(e.originator_id)), e.originator_version, e.topic, e.state)
        for e in events
    ]
