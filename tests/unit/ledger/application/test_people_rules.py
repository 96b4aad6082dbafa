"""People and assignment: who can be added, managed, updated, assigned an action, and left."""

from __future__ import annotations

from typing import Any

import pytest

from ledger.domain.errors import InvalidCommand, UnknownRecord
from ledger.domain.people import PersonAlreadyLeft
from tests.factories import AUTHORITY
from tests.factories import journey as a_journey
from tests.unit.ledger.application.journey_in_memory import InMemoryJourney


def person(ref: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "PersonAdded",
        "authority": AUTHORITY,
        "id": ref,
        "name": f"{ref.title()} Example",
        "email": f"{ref}@example.org",
        "date": "2018-08-01",
        "source": "staff list",
        **extra,
    }


def update(ref: str, day: str = "2018-09-01", **changes: Any) -> dict[str, Any]:
    return {
        "type": "PersonUpdated",
        "authority": AUTHORITY,
        "id": ref,
        "changes": changes,
        "date": day,
        "source": "staff list",
    }


def assign(action: str, to: str, day: str = "2018-09-02") -> dict[str, Any]:
    return {
        "type": "ActionAssigned",
        "authority": AUTHORITY,
        "id": action,
        "person": to,
        "date": day,
        "source": "plan",
    }


def left(ref: str, day: str = "2018-10-01") -> dict[str, Any]:
    return {"type": "PersonLeft", "authority": AUTHORITY, "id": ref, "date": day, "source": "hr"}


@pytest.fixture
def team(journey: InMemoryJourney) -> InMemoryJourney:
    journey.run(*a_journey(), person("mo"), person("ann", manager="mo"))
    return journey


def test_a_person_is_added_with_a_manager_and_an_action_assigned(team: InMemoryJourney) -> None:
    assert team.run(assign("act-1", "ann")) == 1
    action = team.get("action", "act-1")
    assert (action.assignee, action.owner) == ("ann", "Head of service")
    assert type(team.events[-1]).__name__ == "ActionAssigned"
    assert team.events[-1].previous is None


def test_assigning_to_the_same_person_again_is_refused(team: InMemoryJourney) -> None:
    team.run(assign("act-1", "ann"))
    with pytest.raises(InvalidCommand, match="already assigned to 'ann'"):
        team.run(assign("act-1", "ann", day="2018-09-03"))


def test_an_unknown_manager_or_person_is_named(journey: InMemoryJourney) -> None:
    journey.run(*a_journey())
    with pytest.raises(UnknownRecord) as unknown:
        journey.run(person("ann", manager="nobody"))
    assert unknown.value.field == "manager"
    with pytest.raises(UnknownRecord) as no_person:
        journey.run(assign("act-1", "nobody"))
    assert no_person.value.field == "person"


def test_a_manager_chain_cannot_loop(team: InMemoryJourney) -> None:
    with pytest.raises(InvalidCommand, match="own manager") as looped:
        team.run(update("mo", manager="ann"))
    assert looped.value.field == "manager"
    with pytest.raises(InvalidCommand, match="own manager"):
        team.run(person("zed", manager="zed"))


def test_a_bad_email_or_role_is_refused(journey: InMemoryJourney) -> None:
    journey.run(*a_journey())
    with pytest.raises(InvalidCommand, match="not an email address"):
        journey.run(person("ann", email="Ann <ann@example.org>"))
    with pytest.raises(InvalidCommand, match="not a role key") as role:
        journey.run(person("ann", roles=["Board Chair"]))
    assert role.value.field == "roles[0]"


def test_an_update_records_only_what_changed(team: InMemoryJourney) -> None:
    team.run(update("ann", title="Head of service", email="ann@example.org"))
    assert team.events[-1].changes == {"title": "Head of service"}
    with pytest.raises(InvalidCommand, match="already has those details"):
        team.run(update("ann", day="2018-09-05", title="Head of service"))


def test_someone_who_left_takes_no_updates_and_no_new_actions(team: InMemoryJourney) -> None:
    team.run(left("ann"))
    assert team.get("person", "ann").active is False
    with pytest.raises(PersonAlreadyLeft, match="left on 2018-10-01"):
        team.run(update("ann", day="2018-10-02", title="Director"))
    with pytest.raises(InvalidCommand, match="has left"):
        team.run(assign("act-1", "ann", day="2018-10-02"))


def test_an_action_planned_for_a_person_is_assigned_in_the_same_command(
    team: InMemoryJourney,
) -> None:
    line = {
        "type": "ActionPlanned",
        "authority": AUTHORITY,
        "id": "act-2",
        "date": "2018-09-01",
        "title": "Audit plans",
        "owner": "Head of service",
        "due_date": "2018-12-31",
        "answers": ["rec-1"],
        "person": "ann",
        "source": "plan",
    }
    assert team.run(line) == 2
    assert team.get("action", "act-2").assignee == "ann"
    assert team.run(line) == 0  # the same command again changes nothing
