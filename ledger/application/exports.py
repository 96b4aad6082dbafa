"""Exports and restores: the history with its seals, written from the ledger, and an export's
events appended to an empty store. Importing an export into an empty store restores an identical
ledger (same events, same metadata, same fingerprint). The formats and their checks are in
`ledger.evidence.bundles`.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import resolve_topic

from ledger.application.restore_checks import check_restored_events
from ledger.domain.errors import LedgerError
from ledger.evidence.bundles import (
    EXPORT_FORMAT,
    BadExport,
    check_events,
    parse_event_lines,
    write_bundle_file,
)
from ledger.evidence.chain import CHAIN_TAG, Fingerprint, Seal, StoredRow
from ledger.persistence.topics import check_topic

if TYPE_CHECKING:
    from ledger.application.service import JourneyLedger

_HIDDEN = {"originator_id", "originator_version", "timestamp", "meta", "originator_topic"}


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
    return write_bundle_file(path, header, lines)


def read_export_lines(lines: Iterable[str | bytes]) -> tuple[dict[str, Any], list[Any]]:
    """An export's header and event lines, read as JSON; raises `BadExport` naming the first
    line that is not one (by its number in the file)."""
    from ledger.application.importing import BadLine, parse_json_line

    header: dict[str, Any] | None = None
    events: list[Any] = []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            value = parse_json_line(text)
        except BadLine as error:
            raise BadExport(f"line {number}: {error}; nothing was restored") from None
        if not isinstance(value, dict):
            raise BadExport(f"line {number}: not a JSON object; nothing was restored")
        if header is None:
            header = value
        else:
            events.append(value)
    if header is None or "ledger_export" not in header:
        raise BadExport("the file has no export header line; nothing was restored")
    return header, events


def restore(ledger: JourneyLedger, lines: Iterable[str | bytes]) -> int:
    """Append an export's events to this store, whose history must be a prefix of the export's.

    The export must verify against itself, hold only the ledger's own event topics, and every
    event to append must be one the ledger's rules would have recorded (see
    `ledger.application.restore_checks`): all of it is checked before anything is written.
    Returns how many events were appended (0 when the store already holds them all).
    """
    header, lines_read = read_export_lines(lines)
    try:
        claimed = Fingerprint.parse(str(header.get("fingerprint", "")))
    except ValueError as error:
        raise BadExport(str(error)) from None
    events = parse_event_lines(lines_read)
    for number, exported in enumerate(events, start=1):
        try:
            check_topic(exported.row.topic)
            UUID(str(exported.row.originator_id))
        except (LedgerError, ValueError) as problem:
            raise BadExport(f"event line {number}: {problem}; nothing was restored") from None
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
    new = _with_uuid_ids(
        [
            StoredEvent(e.row.originator_id, e.row.originator_version, e.row.topic, e.row.state)
            for e in events[current.count :]
        ]
    )
    check_restored_events(ledger, new)
    if new:
        ledger.append_stored(new)
    return len(new)


def _with_uuid_ids(events: list[StoredEvent]) -> list[StoredEvent]:
    return [
        StoredEvent(UUID(str(e.originator_id)), e.originator_version, e.topic, e.state)
        for e in events
    ]
