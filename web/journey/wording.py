"""The timeline's entries in a person's words: framework and kind names instead of their keys,
dates in words, readings with their units, and each correction as the fields it changed, named
in words, with their values before and after.

The read models word entries for the command line and the API too; the web page rewords the
ones whose words are codes, from the same facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ledger.domain.errors import UnknownFramework
from ledger.domain.frameworks import Framework, FrameworkCatalogue
from web.journey.presentation import (
    INSPECTION_KIND_LABELS,
    KIND_LABELS,
    RAG_TAGS,
    long_date,
    number,
)
from web.journey.values import field_label, value_lines


@dataclass(frozen=True)
class Change:
    """One corrected field: its name in words, and its value before and after, as lines."""

    label: str
    before: tuple[str, ...] | None  # None: the timeline does not know the record's earlier value
    after: tuple[str, ...]


@dataclass(frozen=True)
class Worded:
    """An entry as the page shows it."""

    title: str
    summary: str
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True)
class Indicator:
    name: str
    unit: str | None


class TimelineWording:
    """Words one authority's entries; built from its whole timeline so a correction can name
    its record by title, and from its indicators so readings show their names and units."""

    def __init__(
        self,
        frameworks: FrameworkCatalogue,
        entries: list[dict[str, Any]],
        indicators: Mapping[str, Indicator] | None = None,
    ) -> None:
        self.frameworks = frameworks
        self.indicators = dict(indicators or {})
        self.records: dict[str, dict[str, Any]] = {
            f"{e['kind']}/{e['ref']}": e for e in entries if e["kind"] != "correction"
        }

    def framework(self, key: str | None) -> Framework | None:
        try:
            return self.frameworks.get(key) if key else None
        except UnknownFramework:
            return None

    def __call__(self, entry: dict[str, Any]) -> Worded:
        facts = entry["facts"]
        event = entry["event"]
        if event == "Corrected":
            return self.correction(entry)
        if event == "InspectionRecorded":
            framework = self.framework(facts.get("framework"))
            kind = INSPECTION_KIND_LABELS.get(facts["kind"], facts["kind"].replace("_", " "))
            under = f" under the {framework.name}" if framework else ""
            return Worded(f"{kind} report published{under}", entry["summary"])
        if event == "ActionPlanned":
            return Worded(
                entry["title"], f"Owner {facts['owner']}; due {long_date(facts['due_date'])}"
            )
        if event == "ActionProgressUpdated":
            rating = RAG_TAGS.get(facts["rag"], (facts["rag"].capitalize(), ""))[0]
            return Worded(f"Progress on action {entry['ref']}: rated {rating}", facts["narrative"])
        if event == "ActionDueDateRevised":
            return Worded(
                f"Due date of action {entry['ref']} moved from "
                f"{long_date(facts['previous_due_date'])} to {long_date(facts['new_due_date'])}",
                entry["summary"],
            )
        if event == "IndicatorReadingRecorded":
            indicator = self.indicators.get(entry["ref"], Indicator(entry["ref"], None))
            note = f" {facts['note']}" if facts.get("note") else ""
            return Worded(
                f"{indicator.name}: {number(facts['value'], indicator.unit)}",
                f"For the period ending {long_date(facts['period_end'])}.{note}",
            )
        return Worded(entry["title"], entry["summary"])

    def record_name(self, corrects: str) -> str:
        """A corrected record named in words: its kind, and its title where it has one."""
        kind, _, ref = corrects.partition("/")
        kind_words = KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())
        if kind == "indicator" and ref in self.indicators:
            return f"indicator {self.indicators[ref].name}"
        record = self.records.get(corrects)
        title = (record or {}).get("facts", {}).get("title")
        if kind == "authority":
            return "the authority's details"
        return f"{kind_words.lower()} {ref}" + (f" ({title})" if title else "")

    def correction(self, entry: dict[str, Any]) -> Worded:
        facts = entry["facts"]
        record = self.records.get(facts["corrects"], {})
        framework = self.framework(record.get("facts", {}).get("framework"))
        unit = self.indicators.get(entry["ref"], Indicator("", None)).unit
        previous = facts.get("previous_fields") or {}
        changes = []
        for name, after in facts["corrected_fields"].items():
            before = (
                tuple(value_lines(name, previous[name], self.frameworks, framework, unit))
                if name in previous
                else None
            )
            changes.append(
                Change(
                    field_label(name),
                    before,
                    tuple(value_lines(name, after, self.frameworks, framework, unit)),
                )
            )
        return Worded(
            f"Correction to the {self.record_name(facts['corrects'])}",
            f"Why: {facts['reason']}",
            tuple(changes),
        )
