"""The records a form can refer to (an inspection to take a recommendation from, an action to
update, a record to correct), read from the live read models as radio or select choices."""

from __future__ import annotations

from typing import Any

from ledger.domain.frameworks import FrameworkCatalogue
from projections.views import JourneyViews
from web.journey.presentation import long_date
from web.journey.wording import TimelineWording

Choice = tuple[str, str]

CREATION_EVENTS = {
    "inspection": "InspectionRecorded",
    "monitoring_visit": "MonitoringVisitRecorded",
    "decision": "DecisionRecorded",
    "intervention": "InterventionRecorded",
}
RECORD_KIND_LABELS = {
    "authority": "The authority itself",
    "inspection": "An inspection",
    "monitoring_visit": "A monitoring visit",
    "decision": "A decision",
    "intervention": "An intervention",
    "recommendation": "A recommendation",
    "action": "An action",
    "indicator": "An indicator, or one of its readings",
    "person": "A person (a mistake in their name, email or title)",
}
MAX_LABEL = 120


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…"


class RecordChoices:
    """Choices for one authority's forms, as the ledger stands now."""

    def __init__(self, views: JourneyViews, frameworks: FrameworkCatalogue, authority: str) -> None:
        self.views = views
        self.frameworks = frameworks
        self.authority = authority

    def _created(self, kind: str) -> list[dict[str, Any]]:
        view = self.views.timeline(self.authority, kinds=[kind])
        return [e for e in view["entries"] if e["event"] == CREATION_EVENTS[kind]]

    def created(self, kind: str) -> list[Choice]:
        """Inspections, visits, decisions or interventions, in words: newest first."""
        entries = self._created(kind)
        words = TimelineWording(self.frameworks, entries)
        return [
            (e["ref"], f"{e['ref']}: {_shorten(words(e).title)}, {long_date(e['date'])}")
            for e in reversed(entries)
        ]

    def origins(self) -> list[Choice]:
        """What a recommendation can come from: inspections, then monitoring visits."""
        return self.created("inspection") + self.created("monitoring_visit")

    def areas(self) -> list[Choice]:
        """Every judgement area of every framework, labelled once each."""
        seen: dict[str, str] = {}
        for framework in self.frameworks.frameworks.values():
            for area in framework.areas:
                seen.setdefault(area.key, self.frameworks.area_label(area.key))
        return [("", "Not about one area"), *sorted(seen.items(), key=lambda item: item[1])]

    def recommendations(self, status: str = "all") -> list[Choice]:
        view = self.views.recommendations(self.authority, status)
        return [(r["ref"], f"{r['ref']}: {_shorten(r['text'])}") for r in view["recommendations"]]

    def actions(self, open_only: bool = False) -> list[Choice]:
        actions = self.views.actions(self.authority)["actions"]
        return [
            (a["ref"], f"{a['ref']}: {_shorten(a['title'])}")
            for a in actions
            if not open_only or a["status"] == "open"
        ]

    def action(self, ref: str) -> dict[str, Any] | None:
        """One action's tracker entry, to show what is being updated."""
        for action in self.views.actions(self.authority)["actions"]:
            if action["ref"] == ref:
                return dict(action)
        return None

    def recommendation(self, ref: str) -> dict[str, Any] | None:
        return self.views.recommendation(self.authority, ref)

    def indicators(self) -> list[Choice]:
        view = self.views.indicators(self.authority)
        return [(i["ref"], f"{i['ref']}: {_shorten(i['name'])}") for i in view["indicators"]]

    def indicator(self, ref: str) -> dict[str, Any] | None:
        for indicator in self.views.indicators(self.authority)["indicators"]:
            if indicator["ref"] == ref:
                return dict(indicator)
        return None

    def people(self, open_only: bool = True) -> list[Choice]:
        """The authority's people (those still there), by name."""
        listed = self.views.people(self.authority)["people"]
        return [
            (p["ref"], f"{p['name']}" + (f", {p['title']}" if p["title"] else ""))
            for p in listed
            if p["active"] or not open_only
        ]

    def person(self, ref: str) -> dict[str, Any] | None:
        for found in self.views.people(self.authority)["people"]:
            if found["ref"] == ref:
                return dict(found)
        return None

    def interventions(self) -> list[Choice]:
        return [("", "None"), *self.created("intervention")]

    def records(self, kind: str) -> list[Choice]:
        """The records of ``kind`` that a correction can name."""
        if kind == "authority":
            name = self.views.authority(self.authority)["name"]
            return [(self.authority, f"{self.authority}: {name}")]
        if kind in CREATION_EVENTS:
            return self.created(kind)
        if kind == "recommendation":
            return self.recommendations("all")
        if kind == "action":
            return self.actions()
        if kind == "indicator":
            return self.indicators()
        if kind == "person":
            return self.people(open_only=False)
        return []
