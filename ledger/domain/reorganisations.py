"""Local government reorganisations: an authority abolished on a day, its area passing to others.

Ofsted's spreadsheets list the inspections of authorities that no longer exist (Cumbria, since
April 2023 Cumberland and Westmorland and Furness) but not when or into what they were
reorganised: that comes from `config/reorganisations.toml`, passed in as this catalogue.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from ledger.domain.authority_names import name_key


@dataclass(frozen=True)
class Reorganisation:
    """`predecessor` (a name) ceased to exist on `on`; `successors` (names) took its area."""

    predecessor: str
    on: date
    successors: tuple[str, ...]


@dataclass(frozen=True)
class ReorganisationCatalogue:
    """The reorganisations the ledger knows, found by any spelling of the predecessor's name."""

    by_key: Mapping[str, Reorganisation] = field(default_factory=dict)

    @classmethod
    def of(cls, reorganisations: Iterable[Reorganisation]) -> ReorganisationCatalogue:
        return cls({name_key(r.predecessor): r for r in reorganisations})

    def of_predecessor(self, name: str) -> Reorganisation | None:
        return self.by_key.get(name_key(name))
