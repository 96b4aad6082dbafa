"""Portable histories: exported event lines and bundles, checked with no database and no trust
in whoever made them.

An export is JSON Lines: a header line with the fingerprint, then one line per event with its
metadata, a readable copy of its data, the exact stored fields, and its seal. A bundle is a zip of
the same event lines and a manifest. This module reads and checks them; writing them from a
ledger is the application's (`ledger.application.exports`).
"""

from __future__ import annotations

import base64
import json
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ledger.domain.errors import LedgerError
from ledger.evidence.chain import (
    Fingerprint,
    Problem,
    Seal,
    StoredRow,
    Verification,
    verify_history,
)

EXPORT_FORMAT = 1
BUNDLE_FORMAT = "ijl-bundle-v1"


class BadExport(LedgerError):
    """An export or bundle is malformed, altered, or does not fit this store."""


@dataclass(frozen=True)
class ExportedEvent:
    row: StoredRow
    seal: Seal


def parse_event_lines(lines: Iterable[Mapping[str, Any]]) -> list[ExportedEvent]:
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


def write_bundle_file(
    path: Path, header: Mapping[str, Any], lines: Iterator[Mapping[str, Any]]
) -> Fingerprint:
    """Write a bundle (zip: manifest.json, events.jsonl) of an export's header and event lines;
    returns its fingerprint."""
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
    return Fingerprint.parse(str(header["fingerprint"]))


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
