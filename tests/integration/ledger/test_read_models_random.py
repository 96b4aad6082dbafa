"""Over random journeys, the read models' rows answer every question as a replay of the log does."""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, date, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entrypoints.bootstrap import build_services
from ledger.domain.errors import CommandsRejected
from ledger.domain.frameworks import FrameworkCatalogue
from tests.factories import AUTHORITY, action, journey, progress, record
from tests.integration.ledger.read_model_answers import (
    ReminderNotClaimed,
    answers,
    correction,
    line,
    remind,
)
from tests.oracle.views import OracleViews

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
# More steps: late entries of other kinds, and corrections that move records in valid time.
STEPS = st.one_of(
    STEPS,
    st.builds(
        lambda ref, day: line(
            "MonitoringVisitRecorded",
            ref,
            first_day=day,
            last_day=day,
            letter_date=day,
            progress_statement="Progress",
        ),
        st.sampled_from(["mv-1", "mv-2"]),
        DAYS,
    ),
    st.builds(
        lambda ref, day: correction("monitoring_visit", ref, {"letter_date": day}, "2019-07-01"),
        st.sampled_from(["mv-1", "mv-2"]),
        st.dates(date(2019, 7, 1), date(2019, 8, 31)).map(date.isoformat),
    ),
    st.builds(
        lambda day, value: correction(
            "indicator", "rhi", {"reading": {"period_end": day, "value": value}}, "2019-07-01"
        ),
        DAYS,
        st.integers(0, 100).map(str),
    ),
    st.builds(
        lambda name: correction("authority", AUTHORITY, {"region": name}, "2019-07-01"),
        st.sampled_from(["North West", "London"]),
    ),
)
# People: added, changed, leaving, assigned actions and corrected; and reminders told them.
PERSONS = st.sampled_from(["ann", "bob", "carol"])
PEOPLE_STEPS = st.one_of(
    st.builds(
        lambda ref, day, manager: line(
            "PersonAdded",
            ref,
            name=ref.title(),
            email=f"{ref}@example.org",
            account=ref,
            manager=manager,
            date=day,
        ),
        PERSONS,
        DAYS,
        st.sampled_from([None, "ann"]),
    ),
    st.builds(
        lambda ref, day, title: line("PersonUpdated", ref, changes={"title": title}, date=day),
        PERSONS,
        DAYS,
        TEXT,
    ),
    st.builds(lambda ref, day: line("PersonLeft", ref, reason="Left", date=day), PERSONS, DAYS),
    st.builds(
        lambda ref, person, day: line("ActionAssigned", ref, person=person, date=day),
        ACTIONS,
        PERSONS,
        DAYS,
    ),
    st.builds(
        lambda ref, name: correction("person", ref, {"name": name}, "2019-07-01"), PERSONS, TEXT
    ),
    st.builds(
        lambda person, day, ref, sent: {"remind": (person, date.fromisoformat(day), ref, sent)},
        PERSONS,
        DAYS,
        ACTIONS,
        st.booleans(),
    ),
)
# Half the steps are about people, so that assignments, leavings and reminders meet.
JOURNEY_STEPS = STEPS
STEPS = st.booleans().flatmap(lambda people: PEOPLE_STEPS if people else JOURNEY_STEPS)
# Steps, each with whether to note the instant after it (to ask "as known at" it later).
SCRIPT = st.lists(st.tuples(STEPS, st.booleans()), min_size=3, max_size=25)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(script=SCRIPT)
def test_every_indexed_answer_equals_a_replay_of_the_log(
    frameworks: FrameworkCatalogue, script: list[tuple[dict[str, Any], bool]]
) -> None:
    """For random histories with corrections and late entries, every question asked "as of" a
    day and "as known at" an instant is answered from the rows exactly as a straightforward
    replay of the log answers it."""
    with tempfile.TemporaryDirectory() as folder:
        services = build_services(
            f"sqlite:///{folder}/ledger.db", frameworks, today=lambda: date(2026, 11, 23)
        )
        try:
            oracle = OracleViews(services.ledger, services.views)
            record(
                services.ledger,
                *journey(),
                line("IndicatorDefined", "rhi", name="RHI", unit="percent", higher_is_better=True),
                *(
                    line(
                        "PersonAdded",
                        ref,
                        name=ref.title(),
                        email=f"{ref}@x.org",
                        date="2018-09-01",
                    )
                    for ref in ("ann", "carol")
                ),
                line("ActionAssigned", "act-1", person="ann", date="2018-09-01"),
            )
            instants = [datetime.now(UTC)]
            for step, noted in script:
                try:
                    if "remind" in step:
                        person, day, ref, sent = step["remind"]
                        remind(services.ledger, person, day, ref, sent=sent)
                    else:
                        record(services.ledger, step)
                except (CommandsRejected, ReminderNotClaimed):
                    continue  # e.g. an update of a closed action: the journey goes on without it
                if noted:
                    time.sleep(0.000_002)
                    instants.append(datetime.now(UTC))
            for known_at in [*instants, None]:
                assert answers(services.views, AUTHORITY, known_at) == answers(
                    oracle, AUTHORITY, known_at
                )
        finally:
            services.close()
