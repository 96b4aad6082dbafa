"""Every kind of record the journey holds, by the name its events and corrections use."""

from __future__ import annotations

from ledger.domain.actions import Action
from ledger.domain.authorities import Authority
from ledger.domain.decisions import Decision
from ledger.domain.indicators import Indicator
from ledger.domain.inspections import Inspection
from ledger.domain.interventions import Intervention
from ledger.domain.people import Person
from ledger.domain.recommendations import Recommendation
from ledger.domain.records import LedgerAggregate
from ledger.domain.visits import MonitoringVisit

RECORD_CLASSES: dict[str, type[LedgerAggregate]] = {
    cls.KIND: cls
    for cls in (
        Authority,
        Inspection,
        Recommendation,
        MonitoringVisit,
        Decision,
        Intervention,
        Action,
        Indicator,
        Person,
    )
}
