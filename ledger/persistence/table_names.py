"""Names of the tables and triggers the ledger adds beside an events table.

Each sealed events table has its own seal tables and triggers, named after it, so two sealed
applications in one database (the journey and the accounts audit trail) never share a chain.
PostgreSQL keeps only the first 63 bytes of a name: a derived name that would be longer is cut
short and given a digest of the whole table name, so it stays within the limit and no two
tables (nor two triggers of one table) end up with the same name.
"""

from __future__ import annotations

import hashlib

#: The longest identifier PostgreSQL keeps whole (NAMEDATALEN - 1 bytes).
POSTGRES_IDENTIFIER_BYTES = 63
#: The shared seal tables of stores made before seal tables were per events table.
SHARED_BLOCKS_TABLE = "seal_blocks"
SHARED_LEGACY_SEALS_TABLE = "event_seals"
_DIGEST_CHARACTERS = 12


def derived_name(table: str, suffix: str, limit: int | None = None) -> str:
    """`{table}_{suffix}`, or, where that is longer than `limit` bytes, the table's name cut to
    fit followed by a digest of the whole name, then the suffix."""
    name = f"{table}_{suffix}"
    if limit is None or len(name.encode("utf-8")) <= limit:
        return name
    digest = hashlib.sha256(table.encode("utf-8")).hexdigest()[:_DIGEST_CHARACTERS]
    room = limit - len(suffix.encode("utf-8")) - len(digest) - 2
    if room < 1:
        raise ValueError(f"suffix {suffix!r} leaves no room for a table name in {limit} bytes")
    head = table.encode("utf-8")[:room].decode("utf-8", "ignore")
    return f"{head}_{digest}_{suffix}"


class SealTableNames:
    """The names of one events table's seal tables and append-only triggers."""

    def __init__(self, events_table: str, limit: int | None = None) -> None:
        self.events = events_table
        self.limit = limit
        #: One row per sealed transaction (`SealBlock`).
        self.blocks = derived_name(events_table, "seal_blocks", limit)
        #: One row per event, as stores written before seal blocks kept them: read, never written.
        self.legacy_seals = derived_name(events_table, "event_seals", limit)

    def trigger(self, table: str, purpose: str) -> str:
        """The name of the trigger on `table` serving `purpose` (e.g. `refuse_update`)."""
        return derived_name(table, purpose, self.limit)
