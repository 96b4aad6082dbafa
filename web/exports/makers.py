"""What the web app needs of the read-side products (tables, board packs), built by the
composition root: the web does not import the `reports` package beside it, it is given one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class MadeFile:
    """A file to download: its bytes, media type, and a note on what it holds."""

    data: bytes
    media_type: str
    known: bool = True
    known_at: datetime | None = None
    fingerprint: str | None = None


class ReportMaker(Protocol):
    """Makes the downloads: a list as a table, and a meeting's board pack."""

    def table(self, name: str, view: dict[str, Any], fmt: str) -> MadeFile: ...

    def pack(
        self,
        authority: str,
        meeting: date,
        previous: date | None,
        known_at: datetime | None,
        fmt: str,
    ) -> MadeFile: ...
