"""Reading `reorganisations.toml` into the domain's catalogue of reorganisations."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

from ledger.domain.reorganisations import Reorganisation, ReorganisationCatalogue

REORGANISATIONS_FILE = Path(__file__).with_name("reorganisations.toml")


class ReorganisationsFileError(ValueError):
    """The reorganisations file is malformed; the message says which entry and why."""


def load_reorganisations(path: Path = REORGANISATIONS_FILE) -> ReorganisationCatalogue:
    """The reorganisations in `path` (by default the project's `config/reorganisations.toml`)."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    found = []
    for number, raw in enumerate(data.get("reorganisations", []), start=1):
        try:
            predecessor, on, successors = raw["predecessor"], raw["on"], raw["successors"]
        except KeyError as missing:
            raise ReorganisationsFileError(f"reorganisation {number}: missing {missing}") from None
        if not isinstance(on, date):
            raise ReorganisationsFileError(f"reorganisation {number}: on must be a date")
        if not successors or not all(isinstance(s, str) and s.strip() for s in successors):
            raise ReorganisationsFileError(
                f"reorganisation {number} ({predecessor}): name its successors"
            )
        found.append(Reorganisation(str(predecessor), on, tuple(successors)))
    return ReorganisationCatalogue.of(found)
