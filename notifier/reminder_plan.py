"""Who is to be told what today: the reminder rules (`ReminderRules`) applied to an authority's
actions and people, less what was told already. Pure: the tracker's actions, the people and the
reasons told come in; one `Message` per person comes out, listing all their items.

Each reason is a slot named once for ever, so windows rather than exact days decide: the owner
of an action due in 10 days is told "due in 14 days or less" once, whether the run fell on the
fourteenth day before or, after a missed run, the twelfth. Slots carry the due date, so a due
date revised starts them afresh.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from notifier.reminder_settings import ReminderRules

Action = Mapping[str, Any]
Person = Mapping[str, Any]


@dataclass(frozen=True)
class Item:
    """One thing to tell one person about one action."""

    action: str
    title: str
    due_date: date
    kind: str  # due_soon | due_today | overdue | update_asked | escalated_manager | escalated_board
    slot: str
    detail: str
    owner: str | None = None  # for an escalation: the person whose action it is
    owner_name: str | None = None
    rag: str | None = None

    def record(self) -> dict[str, Any]:
        """The item as a reminder's event keeps it."""
        return {
            "action": self.action,
            "slot": self.slot,
            "kind": self.kind,
            "detail": self.detail,
            "owner": self.owner,
        }


@dataclass(frozen=True)
class Message:
    """Everything one person is told today."""

    authority: str
    person: str
    name: str
    email: str
    items: tuple[Item, ...] = field(default_factory=tuple)

    @property
    def escalations(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.kind.startswith("escalated"))

    @property
    def own(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if not i.kind.startswith("escalated"))


def _days(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"


def owner_items(action: Action, rules: ReminderRules, today: date) -> list[Item]:
    """What an open action's owner is to be told today under `rules` (before what was told)."""
    due = date.fromisoformat(action["due_date"])
    left = (due - today).days
    common = {
        "action": action["ref"],
        "title": action["title"],
        "due_date": due,
        "rag": action.get("rag"),
    }
    found = []
    windows = sorted(rules.days_before_due)
    window = next((n for n in windows if 0 < left <= n), None)
    if window is not None:
        found.append(
            Item(
                kind="due_soon",
                slot=f"due:{due.isoformat()}:before-{window}",
                detail=f"due in {_days(left)}",
                **common,
            )
        )
    elif left == 0 and rules.on_the_day:
        found.append(
            Item(
                kind="due_today", slot=f"due:{due.isoformat()}:today", detail="due today", **common
            )
        )
    elif left < 0 and rules.overdue_every_days:
        weeks = -left // rules.overdue_every_days
        if weeks >= 1:
            found.append(
                Item(
                    kind="overdue",
                    slot=f"due:{due.isoformat()}:overdue-{weeks}",
                    detail=f"overdue by {_days(-left)}",
                    **common,
                )
            )
    if rules.update_after_weeks:
        latest = action.get("latest_update")
        since = date.fromisoformat(latest["date"] if latest else action["planned"])
        stale = (today - since).days // 7
        if stale >= rules.update_after_weeks:
            turn = stale // rules.update_after_weeks
            found.append(
                Item(
                    kind="update_asked",
                    slot=f"update:{since.isoformat()}:{turn}",
                    detail=f"no update recorded for {stale} weeks",
                    **common,
                )
            )
    return found


def escalation_items(
    action: Action, owner: Person, rules: ReminderRules, today: date
) -> tuple[Item | None, Item | None]:
    """The escalation of an overdue action to its owner's manager and to the board, if due."""
    due = date.fromisoformat(action["due_date"])
    overdue = (today - due).days
    common = {
        "action": action["ref"],
        "title": action["title"],
        "due_date": due,
        "owner": owner["ref"],
        "owner_name": owner["name"],
        "rag": action.get("rag"),
    }
    detail = f"{owner['name']}'s action, overdue by {_days(overdue)}"
    manager = board = None
    if rules.manager_after_days_overdue and overdue >= rules.manager_after_days_overdue:
        manager = Item(
            kind="escalated_manager",
            slot=f"due:{due.isoformat()}:escalate-manager",
            detail=detail,
            **common,
        )
    if (
        rules.board_role
        and rules.board_after_days_overdue
        and overdue >= rules.board_after_days_overdue
    ):
        board = Item(
            kind="escalated_board",
            slot=f"due:{due.isoformat()}:escalate-board",
            detail=f"{detail}: escalated to the board",
            **common,
        )
    return manager, board


def plan_messages(
    authority: str,
    actions: Iterable[Action],
    people: Iterable[Person],
    told: Set[tuple[str, str, str]],
    rules: ReminderRules,
    today: date,
) -> list[Message]:
    """One message per person with something new to be told today, in order of their ids.

    Only open actions assigned to a person who is still there count; people who left, or have
    no address, are told nothing (an escalation passes over a manager who left to the board).
    """
    everyone = {p["ref"]: p for p in people}
    active = {ref: p for ref, p in everyone.items() if p["active"] and p.get("email")}
    board = [
        p for p in active.values() if rules.board_role and rules.board_role in p.get("roles", [])
    ]
    items: dict[str, list[Item]] = {}

    def tell(person: str, item: Item) -> None:
        if (item.action, item.slot, person) not in told:
            items.setdefault(person, []).append(item)

    for action in actions:
        if action["status"] != "open" or not action.get("person"):
            continue
        owner = everyone.get(action["person"]["ref"])
        if owner is None or owner["ref"] not in active:
            continue
        for item in owner_items(action, rules, today):
            tell(owner["ref"], item)
        manager_item, board_item = escalation_items(action, owner, rules, today)
        manager = owner.get("manager")
        if manager_item is not None and manager is not None and manager in active:
            tell(manager, manager_item)
        if board_item is not None:
            for member in board:
                if member["ref"] != owner["ref"]:
                    tell(member["ref"], board_item)
    return [
        Message(
            authority,
            ref,
            active[ref]["name"],
            active[ref]["email"],
            tuple(sorted(found, key=lambda i: (i.due_date, i.action, i.kind))),
        )
        for ref, found in sorted(items.items())
    ]
