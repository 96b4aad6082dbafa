"""A forger of exports: edits an exported event's stored bytes or topic, then recomputes every
digest and link and the header's fingerprint, as anyone can (the algorithm is public), so the
export verifies against itself."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

from ledger.evidence.chain import GENESIS, Fingerprint, event_digest, next_link


def state_of(line: dict[str, Any]) -> dict[str, Any]:
    """An exported event's stored state, decoded (the ledger stores it as JSON, unencrypted)."""
    return json.loads(base64.b64decode(line["stored"]["state"]))


def with_state(line: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
    stored = dict(line["stored"])
    stored["state"] = base64.b64encode(json.dumps(state, separators=(",", ":")).encode()).decode()
    return {**line, "stored": stored}


def resealed(header: dict[str, Any], events: list[dict[str, Any]]) -> list[str]:
    """The export's lines with every seal and the fingerprint recomputed over `events`."""
    link, lines = GENESIS, []
    for seq, line in enumerate(events, start=1):
        stored = line["stored"]
        digest = event_digest(
            seq,
            stored["originator_id"],
            int(stored["originator_version"]),
            stored["topic"],
            base64.b64decode(stored["state"]),
        )
        link = next_link(link, digest)
        lines.append({**line, "seq": seq, "event_hash": digest.hex(), "chain_hash": link.hex()})
    head = {**header, "fingerprint": str(Fingerprint(len(events), link)), "events": len(events)}
    return [json.dumps(line) for line in (head, *lines)]


def forge(
    header: dict[str, Any],
    events: list[dict[str, Any]],
    which: Callable[[dict[str, Any]], bool],
    change: Callable[[dict[str, Any]], dict[str, Any]],
) -> list[str]:
    """The export with `change` made to the first event `which` picks, resealed."""
    for index, line in enumerate(events):
        if which(line):
            edited = [*events[:index], change(line), *events[index + 1 :]]
            return resealed(header, edited)
    raise AssertionError("no event to forge")
