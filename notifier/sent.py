"""Which digests went out: the `DigestSent` events of the log, latest period per channel.

Only `DigestSent` notifications are selected (by topic, in the database), so finding the last
digest of every authority and channel costs one query, not a read of the whole history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from eventsourcing.utils import get_topic

from ledger.application import JourneyLedger
from ledger.digests import DigestDelivery
from notifier.changes import ShownBefore
from notifier.periods import DigestPeriod

_PAGE = 1000


@dataclass(frozen=True)
class SentDigest:
    """A digest delivered: to whom, where, for which period, what it showed, and when."""

    authority: str
    channel: str
    period: DigestPeriod
    fingerprint: str
    known_at: datetime
    recorded_at: datetime
    detail: str

    @property
    def shown(self) -> ShownBefore:
        return ShownBefore(self.period, self.known_at)


def sent_digests(ledger: JourneyLedger) -> list[SentDigest]:
    """Every digest delivered, in the order the deliveries were recorded."""
    topic = get_topic(DigestDelivery.DigestSent)  # type: ignore[attr-defined]
    found: list[SentDigest] = []
    start = 0
    while True:
        page = ledger.recorder.select_notifications(
            start=start, limit=_PAGE, topics=[topic], inclusive_of_start=False
        )
        for notification in page:
            e = ledger.decode(notification)
            found.append(
                SentDigest(
                    authority=e.meta.authority,
                    channel=e.channel,
                    period=DigestPeriod(e.period_start, e.period_end),
                    fingerprint=e.fingerprint,
                    known_at=e.known_at,
                    recorded_at=e.timestamp,
                    detail=e.detail,
                )
            )
        if len(page) < _PAGE:
            return found
        start = page[-1].id


def latest_sent(ledger: JourneyLedger) -> dict[tuple[str, str], SentDigest]:
    """The digest covering the latest period, per (authority, channel)."""
    latest: dict[tuple[str, str], SentDigest] = {}
    for sent in sent_digests(ledger):
        key = (sent.authority, sent.channel)
        if key not in latest or sent.period.end > latest[key].period.end:
            latest[key] = sent
    return latest
