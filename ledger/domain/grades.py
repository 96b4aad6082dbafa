"""The fixed vocabularies of the domain: Ofsted grades, RAG ratings, findings and interventions."""

from __future__ import annotations

from enum import StrEnum


class Grade(StrEnum):
    """Ofsted's four-point judgement scale, stored by key."""

    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"

    @property
    def label(self) -> str:
        return GRADE_LABELS[self]

    @property
    def rank(self) -> int:
        """Higher is better: inadequate 1 ... outstanding 4."""
        return GRADE_RANKS[self]


GRADE_LABELS = {
    Grade.OUTSTANDING: "Outstanding",
    Grade.GOOD: "Good",
    Grade.REQUIRES_IMPROVEMENT: "Requires improvement to be good",
    Grade.INADEQUATE: "Inadequate",
}
GRADE_RANKS = {
    Grade.INADEQUATE: 1,
    Grade.REQUIRES_IMPROVEMENT: 2,
    Grade.GOOD: 3,
    Grade.OUTSTANDING: 4,
}
# Reports' tables often print the short form; it is the same grade.
GRADE_ALIASES = {"requires improvement": Grade.REQUIRES_IMPROVEMENT}


def parse_grade(value: str) -> Grade:
    """A grade from its key, its label or the short form 'Requires improvement'."""
    text = value.strip().lower()
    for grade in Grade:
        if text in (grade.value, grade.label.lower()):
            return grade
    if text in GRADE_ALIASES:
        return GRADE_ALIASES[text]
    raise ValueError(f"{value!r} is not a grade ({', '.join(g.value for g in Grade)})")


class Rag(StrEnum):
    """Red/amber/green progress rating of an improvement-plan action."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"


class FindingKind(StrEnum):
    """What a monitoring visit's finding says about progress."""

    STRENGTH = "strength"
    IMPROVEMENT = "improvement"
    CONCERN = "concern"
    DECLINE = "decline"


class InterventionKind(StrEnum):
    """The DfE's and the council's formal interventions after an 'inadequate' judgement."""

    IMPROVEMENT_NOTICE = "improvement_notice"
    STATUTORY_DIRECTION = "statutory_direction"
    COMMISSIONER_APPOINTED = "commissioner_appointed"
    BOARD_ESTABLISHED = "board_established"
    INTERVENTION_LIFTED = "intervention_lifted"


class IndicatorUnit(StrEnum):
    """How an indicator's readings are counted."""

    COUNT = "count"
    PERCENT = "percent"
    DAYS = "days"


class ComparisonSeries(StrEnum):
    """What an indicator's readings are compared with: the figure for England, for the
    authority's region, or the average of its statistical neighbours."""

    ENGLAND = "england"
    REGION = "region"
    STATISTICAL_NEIGHBOURS = "statistical_neighbours"

    @property
    def label(self) -> str:
        return COMPARISON_LABELS[self]


COMPARISON_LABELS = {
    ComparisonSeries.ENGLAND: "England",
    ComparisonSeries.REGION: "Region",
    ComparisonSeries.STATISTICAL_NEIGHBOURS: "Statistical neighbours",
}
