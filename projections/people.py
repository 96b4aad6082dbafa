"""People, and whom each action is assigned to, as of any day: the list of an authority's people,
one person's details, and the owner of each action.

A person's document keeps what they were added with and every update in order, so their details
"as of" a day are the updates dated by then applied in turn.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from ledger.application.log import PlainEvent
from projections.jsonable import copied, corrected_kind, recorded
from projections.rows import Row, RowWrite
from projections.writes import Current, Document, Projection, row, sub_record

DETAILS = ("name", "email", "title", "manager", "roles", "account", "digest")
NAME = "people"


def _added(e: PlainEvent, _: Current) -> list[RowWrite]:
    d = e.data
    body = {
        "ref": d["ref"],
        "added": e.meta["effective_date"],
        "details": {name: copied(d[name]) for name in DETAILS},
        **recorded(e),
    }
    return [row(NAME, e, "person", e.originator_id, body, valid_from=body["added"])]


def _ref(e: PlainEvent, current: Current, kind: str) -> str:
    """The ref of the person or action a later event belongs to (later events don't repeat
    it)."""
    found = current(NAME, kind, e.originator_id)
    if found is None:
        raise KeyError(f"no {kind} {e.originator_id} for {e.name} at {e.position}")
    return str(found["ref"])


def _updated(e: PlainEvent, current: Current) -> list[RowWrite]:
    body = {
        "person": _ref(e, current, "person"),
        "date": e.meta["effective_date"],
        "changes": copied(e.data["changes"]),
        **recorded(e),
    }
    record = sub_record(e)
    return [row(NAME, e, "update", record, body, body["date"], parent=e.originator_id)]


def _left(e: PlainEvent, current: Current) -> list[RowWrite]:
    body = {
        "person": _ref(e, current, "person"),
        "date": e.meta["effective_date"],
        "reason": e.data["reason"],
        **recorded(e),
    }
    record = e.originator_id
    return [row(NAME, e, "left", record, body, body["date"], replaces=True, parent=record)]


def _action_planned(e: PlainEvent, _: Current) -> list[RowWrite]:
    # Assignments are events of actions: their action's ref is needed to file them.
    return [row(NAME, e, "action", e.originator_id, {"ref": e.data["ref"]})]


def _assigned(e: PlainEvent, current: Current) -> list[RowWrite]:
    body = {
        "action": _ref(e, current, "action"),
        "date": e.meta["effective_date"],
        "person": e.data["person"],
        "previous": e.data["previous"],
        **recorded(e),
    }
    record = sub_record(e)
    return [row(NAME, e, "assignment", record, body, body["date"], parent=e.originator_id)]


def _corrected(e: PlainEvent, current: Current) -> list[RowWrite]:
    kind, _ = corrected_kind(e)
    if kind != "person":
        return []
    found = current(NAME, "person", e.originator_id)
    if found is None:
        return []
    # A correction says the details were wrong from the start: it changes them as added.
    body = {**found, "details": {**found["details"], **copied(e.data["corrected_fields"])}}
    return [row(NAME, e, "person", e.originator_id, body, body["added"], replaces=True)]


def _assemble(rows: Sequence[Row]) -> Document:
    """The people document: each person as added (as corrected) with their updates in order
    and their leaving, and each action's assignments in order."""
    found: dict[str, dict[str, Any]] = {}
    assigned: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        if r.kind == "person":
            found[r.body["ref"]] = {**r.body, "updates": [], "left": None}
    for r in rows:
        body = r.body
        if r.kind == "update":
            found[body["person"]]["updates"].append(_without(body, "person"))
        elif r.kind == "left":
            found[body["person"]]["left"] = _without(body, "person")
        elif r.kind == "assignment":
            assigned.setdefault(body["action"], []).append(_without(body, "action"))
    return {"people": found, "assignments": assigned}


def _without(body: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != key}


PEOPLE = Projection(
    NAME,
    {
        "PersonAdded": _added,
        "PersonUpdated": _updated,
        "PersonLeft": _left,
        "ActionPlanned": _action_planned,
        "ActionAssigned": _assigned,
        "Corrected": _corrected,
    },
    _assemble,
)


def person_as_of(stored: dict[str, Any], as_of: date) -> dict[str, Any] | None:
    """One person as they stood on `as_of`, or None if not yet added."""
    day = as_of.isoformat()
    if stored["added"] > day:
        return None
    details = dict(stored["details"])
    history = []
    for update in sorted(stored["updates"], key=lambda u: u["date"]):
        if update["date"] <= day:
            details.update(update["changes"])
            history.append(update)
    left = stored["left"] if stored["left"] and stored["left"]["date"] <= day else None
    return {
        "ref": stored["ref"],
        **details,
        "added": stored["added"],
        "active": left is None,
        "left": left,
        "updates": history,
        "source": stored["source"],
    }


def people(doc: Document, as_of: date) -> list[dict[str, Any]]:
    """Everyone added by `as_of`, those still there first, then by name."""
    found = [p for s in doc["people"].values() if (p := person_as_of(s, as_of)) is not None]
    return sorted(found, key=lambda p: (not p["active"], p["name"].casefold(), p["ref"]))


def assignments(doc: Document, action: str, as_of: date) -> list[dict[str, Any]]:
    """The assignments of `action` dated by `as_of`, oldest first."""
    day = as_of.isoformat()
    return sorted(
        (a for a in doc["assignments"].get(action, []) if a["date"] <= day),
        key=lambda a: (a["date"], a["recorded_at"]),
    )


def named(person: dict[str, Any] | None) -> dict[str, Any] | None:
    """The part of a person an action shows: ref, name, title, email, whether still there."""
    if person is None:
        return None
    return {k: person[k] for k in ("ref", "name", "title", "email", "active")}


def annotate(actions: Iterable[dict[str, Any]], doc: Document, as_of: date) -> None:
    """Give each tracker action the person it is assigned to as of `as_of` (`person`, or None),
    and the name to show as its owner (`owner_name`: the person's, else the plan's owner)."""
    everyone = {p["ref"]: p for p in people(doc, as_of)}
    for action in actions:
        assigned = assignments(doc, action["ref"], as_of)
        person = everyone.get(assigned[-1]["person"]) if assigned else None
        action["person"] = named(person)
        action["owner_name"] = person["name"] if person else action["owner"]
