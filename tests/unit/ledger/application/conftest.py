"""A journey in memory for each handler test."""

from __future__ import annotations

import pytest

from ledger.domain.frameworks import FrameworkCatalogue
from tests.unit.ledger.application.journey_in_memory import InMemoryJourney


@pytest.fixture
def journey(frameworks: FrameworkCatalogue) -> InMemoryJourney:
    return InMemoryJourney(frameworks)
