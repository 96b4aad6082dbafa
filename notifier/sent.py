"""Which digests went out: the deliveries the ledger recorded, latest period per channel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ledger.application.service import JourneyLedger
from notifier.changes import ShownBefore
from notifier.periods import DigestPeriod


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
    return [
        SentDigest(
            authority=s.authority,
            channel=s.channel,
            period=DigestPeriod(s.period_start, s.period_end),
            fingerprint=s.fingerprint,
            known_at=s.known_at,
            recorded_at=s.recorded_at,
            detail=s.detail,
        )
        for s in ledger.digests.sent()
    ]


def latest_sent(ledger: JourneyLedger) -> dict[tuple[str, str], SentDigest]:
    """The digest covering the latest period, per (authority, channel)."""
    latest: dict[tuple[str, str], SentDigest] = {}
    for sent in sent_digests(ledger):
        key = (sent.authority, sent.channel)
        if key not in latest or sent.period.end > latest[key].period.end:
            latest[key] = sent
    return latest
