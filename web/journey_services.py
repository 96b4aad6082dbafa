"""What the web app is given of the ledger: its one door for commands and its query API."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from ledger.application.service import JourneyLedger
from ledger.domain.frameworks import FrameworkCatalogue
from projections.views import JourneyViews
from web.exports.makers import ReportMaker


@dataclass(frozen=True)
class JourneyServices:
    """The ledger (commands, the record behind a form, fingerprint and verification) and the
    views (every question a page asks), built by the composition root."""

    ledger: JourneyLedger
    views: JourneyViews
    #: Tables and board packs to download (none: the pages offer no downloads).
    reports: ReportMaker | None = None
    #: Where uploaded plans wait between their check and their recording.
    uploads: Path = Path("var/uploads")

    @property
    def frameworks(self) -> FrameworkCatalogue:
        return self.views.frameworks

    @property
    def timezone(self) -> ZoneInfo:
        return self.views.zone
