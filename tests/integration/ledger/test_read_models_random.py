"""Over random journeys, read models caught up bit by bit answer as a rebuild from nothing does."""

from __future__ import annotations

import tempfile
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entrypoints.bootstrap import build_services
from ledger.domain.errors import CommandsRejected
from ledger.domain.frameworks import FrameworkCatalogue
from tests.factories import AUTHORITY, action, journey, progress, record
from tests.integration.ledger.read_model_answers import answers, correction, line

DAYS = st.dates(date(2018, 9, 2), date(2019, 6, 30)).map(date.isoformat)
ACTIONS = st.sampled_from(["act-1", "act-2", "act-3"])
TEXT = st.text("abcxyz", min_size=1, max_size=8).map(lambda word: f"Note {word}")


def _plan(ref: str, day: str) -> dict[str, Any]:
    return action(ref, ["rec-1"], due="2019-12-31", planned=day)


STEPS = st.one_of(
    st.builds(progress, ACTIONS, DAYS, st.sampled_from(["red", "amber", "green"]), TEXT),
    st.builds(_plan, st.sampled_from(["act-2", "act-3"]), DAYS),
    st.builds(
        lambda ref, day, due, reason: line(
            "ActionDueDateRevised", ref, date=day, new_due_date=due, reason=reason, approver="Board"
        ),
        ACTIONS,
        DAYS,
        DAYS,
        TEXT,
    ),
    st.builds(
        lambda ref, day: line("ActionCompleted", ref, date=day, evidence="Done"), ACTIONS, DAYS
    ),
    st.builds(
        lambda ref, day: line("ActionCancelled", ref, date=day, reason="Dropped"), ACTIONS, DAYS
    ),
    st.builds(
        lambda day: line(
            "RecommendationClosed", "rec-1", date=day, evidence="Evidence", decided_by="Board"
        ),
        DAYS,
    ),
    st.builds(
        lambda day: line(
            "RecommendationReopened", "rec-1", date=day, reason="Reopened", decided_by="Board"
        ),
        DAYS,
    ),
    st.builds(
        lambda day, value: line("IndicatorReadingRecorded", "rhi", period_end=day, value=value),
        DAYS,
        st.integers(0, 100).map(str),
    ),
    st.builds(
        lambda ref, title: correction("action", ref, {"title": title}, "2019-07-01"),
        ACTIONS,
        TEXT,
    ),
    st.builds(
        lambda text: correction("recommendation", "rec-2", {"text": text}, "2019-07-01"), TEXT
    ),
    st.builds(
        lambda day: correction("inspection", "insp-1", {"published": day}, "2019-07-01"),
        st.dates(date(2018, 8, 1), date(2018, 8, 31)).map(date.isoformat),
    ),
)
# A step, and whether to catch the read models up after it.
SCRIPT = st.lists(st.tuples(STEPS, st.booleans()), min_size=1, max_size=25)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(script=SCRIPT)
def test_read_models_caught_up_bit_by_bit_answer_as_a_rebuild_does(
    frameworks: FrameworkCatalogue, script: list[tuple[dict[str, Any], bool]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        services = build_services(
            f"sqlite:///{folder}/ledger.db", frameworks, today=lambda: date(2026, 11, 23)
        )
        try:
            record(
                services.ledger,
                *journey(),
                line("IndicatorDefined", "rhi", name="RHI", unit="percent", higher_is_better=True),
            )
            services.runner.catch_up()
            for step, catch_up in script:
                try:
                    record(services.ledger, step)
                except CommandsRejected:
                    continue  # e.g. an update of a closed action: the journey goes on without it
                if catch_up:
                    services.runner.catch_up()
            caught_up = answers(services.views, AUTHORITY)
            services.runner.rebuild()
            assert answers(services.views, AUTHORITY) == caught_up
        finally:
            services.close()
