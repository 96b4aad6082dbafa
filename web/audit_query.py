"""The audit point a page or API call asks about: ``as_of`` (valid time) and ``known_at``
(transaction time), read from the query string and carried on every link while set.

``as_of`` is a day (``2018-07-01``). ``known_at`` is an instant: ``2016-01-01T12:00`` is the
council's local time, an offset may be given (``2016-01-01T12:00+00:00``), and a bare date
means the end of that day, as on the command line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from ledger.application.limits import read_known_at, shown
from ledger.domain.errors import InvalidCommand

AS_OF = "as_of"
KNOWN_AT = "known_at"
AUDIT_PARAMETERS = (AS_OF, KNOWN_AT)


class BadAuditQuery(ValueError):
    """``as_of`` or ``known_at`` is not a date or an instant; the message says which."""


@dataclass(frozen=True)
class AuditQuery:
    """What to show: the journey in force on ``as_of`` as the ledger knew it at ``known_at``.

    Both ``None`` is the live view (in force today, as known now). ``known_at`` is in UTC;
    ``known_at_text`` is what was asked for, kept so links carry it unchanged.
    """

    as_of: date | None = None
    known_at: datetime | None = None
    known_at_text: str | None = None
    known_at_end_of_day: bool = False

    @property
    def active(self) -> bool:
        """Whether the page shows the past rather than the live journey."""
        return self.as_of is not None or self.known_at is not None

    def params(self) -> dict[str, str]:
        """The query-string parameters that carry this audit point."""
        carried: dict[str, str] = {}
        if self.as_of is not None:
            carried[AS_OF] = self.as_of.isoformat()
        if self.known_at_text is not None:
            carried[KNOWN_AT] = self.known_at_text
        return carried


LIVE = AuditQuery()


def parse_day(text: str, what: str) -> date:
    """An ISO day, or :class:`BadAuditQuery` naming ``what``."""
    try:
        if len(text.strip()) == 10:
            return date.fromisoformat(text.strip())
    except ValueError:
        pass
    raise BadAuditQuery(f"{what} must be a date in the form YYYY-MM-DD (got {shown(text)})")


def parse_instant(text: str, zone: ZoneInfo, now: datetime | None = None) -> tuple[datetime, bool]:
    """An instant in UTC, and whether it was a bare date (meaning the end of that day), read
    by the ledger's one rule for "as known at" (the command line's too): not in the future."""
    try:
        return read_known_at(text, zone, now or datetime.now(UTC))
    except InvalidCommand as error:
        raise BadAuditQuery(f"known_at {error.message}") from None


def parse_audit_query(
    args: Mapping[str, str], zone: ZoneInfo, now: datetime | None = None
) -> AuditQuery:
    """Read ``as_of`` and ``known_at`` from query parameters (blank means not given)."""
    as_of_text = (args.get(AS_OF) or "").strip()
    known_text = (args.get(KNOWN_AT) or "").strip()
    as_of = parse_day(as_of_text, AS_OF) if as_of_text else None
    if not known_text:
        return AuditQuery(as_of=as_of)
    known_at, end_of_day = parse_instant(known_text, zone, now)
    return AuditQuery(as_of, known_at, known_text, end_of_day)
