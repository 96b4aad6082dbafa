"""The reminder rules as pure functions: which reasons fall due on which day, told once."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from notifier.reminder_plan import owner_items, plan_messages
from notifier.reminder_settings import ReminderRules

RULES = ReminderRules(update_after_weeks=0)
DUE = date(2026, 12, 31)


def action(ref: str = "a-1", person: str | None = "ann", **extra: Any) -> dict[str, Any]:
    return {
        "ref": ref,
        "title": f"Action {ref}",
        "status": "open",
        "due_date": DUE.isoformat(),
        "planned": "2026-06-01",
        "latest_update": None,
        "rag": None,
        "person": {"ref": person} if person else None,
        **extra,
    }


def people(**managers: str | None) -> list[dict[str, Any]]:
    return [
        {
            "ref": ref,
            "name": ref.capitalize(),
            "email": f"{ref}@example.org",
            "active": True,
            "manager": manager,
            "roles": ["improvement-board-chair"] if ref == "chair" else [],
        }
        for ref, manager in managers.items()
    ]


def slots(day: date, rules: ReminderRules = RULES) -> list[str]:
    return [i.slot for i in owner_items(action(), rules, day)]


def test_windows_before_the_due_date_then_on_the_day_then_weekly() -> None:
    assert slots(DUE - timedelta(days=15)) == []
    assert slots(DUE - timedelta(days=14)) == ["due:2026-12-31:before-14"]
    assert slots(DUE - timedelta(days=4)) == ["due:2026-12-31:before-14"]
    assert slots(DUE - timedelta(days=3)) == ["due:2026-12-31:before-3"]
    assert slots(DUE) == ["due:2026-12-31:today"]
    assert slots(DUE + timedelta(days=6)) == []
    assert slots(DUE + timedelta(days=7)) == ["due:2026-12-31:overdue-1"]
    assert slots(DUE + timedelta(days=15)) == ["due:2026-12-31:overdue-2"]


def test_an_update_is_asked_for_after_the_weeks_configured() -> None:
    rules = ReminderRules(update_after_weeks=6, days_before_due=())
    planned = date(2026, 6, 1)
    stale = [
        i
        for i in owner_items(action(), rules, planned + timedelta(weeks=6))
        if i.kind == "update_asked"
    ]
    assert [i.slot for i in stale] == ["update:2026-06-01:1"]
    assert not [
        i
        for i in owner_items(action(), rules, planned + timedelta(weeks=5, days=6))
        if i.kind == "update_asked"
    ]


def test_what_was_told_is_not_told_again() -> None:
    day = DUE - timedelta(days=3)
    first = plan_messages("t", [action()], people(ann=None), set(), RULES, day)
    told = {(i.action, i.slot, "ann") for m in first for i in m.items}
    assert [m.person for m in first] == ["ann"]
    assert plan_messages("t", [action()], people(ann=None), told, RULES, day) == []


def test_one_message_per_person_with_all_their_actions() -> None:
    day = DUE - timedelta(days=2)
    actions = [action("a-1"), action("a-2"), action("b-1", person="bob")]
    messages = plan_messages("t", actions, people(ann=None, bob=None), set(), RULES, day)
    assert [(m.person, [i.action for i in m.items]) for m in messages] == [
        ("ann", ["a-1", "a-2"]),
        ("bob", ["b-1"]),
    ]


def test_escalation_goes_to_the_manager_then_the_board_and_skips_who_left() -> None:
    rules = ReminderRules(
        update_after_weeks=0, manager_after_days_overdue=14, board_after_days_overdue=28
    )
    everyone = people(ann="mo", mo=None, chair=None)

    def told_on(days: int, team: list[dict[str, Any]]) -> dict[str, list[str]]:
        found = plan_messages("t", [action()], team, set(), rules, DUE + timedelta(days=days))
        return {m.person: [i.kind for i in m.items] for m in found}

    assert told_on(13, everyone) == {"ann": ["overdue"]}
    assert told_on(14, everyone) == {"ann": ["overdue"], "mo": ["escalated_manager"]}
    assert told_on(28, everyone)["chair"] == ["escalated_board"]
    gone = [dict(p, active=False) if p["ref"] == "mo" else p for p in everyone]
    assert "mo" not in told_on(14, gone)


def test_actions_of_nobody_or_closed_are_not_told() -> None:
    day = DUE - timedelta(days=2)
    actions = [action(person=None), action("a-2", status="complete")]
    assert plan_messages("t", actions, people(ann=None), set(), RULES, day) == []
