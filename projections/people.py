"""People, and whom each action is assigned to, as of any day: the list of an authority's people,
one person's details, and the owner of each action.

A person's document keeps what they were added with and every update in order, so their details
"as of" a day are the updates dated by then applied in turn.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from ledger.application.log import PlainEvent
from projections.jsonable import copied, corrected_kind, recorded
from projections.projection import Document, FoldTable, ref_of, remember_ref

DETAILS = ("name", "email", "title", "manager", "roles", "account", "digest")


def _empty() -> Document:
    return {"people": {}, "assignments": {}}


def _added(doc: Document, e: PlainEvent) -> None:
    d = e.data
    doc["people"][d["ref"]] = {
        "ref": d["ref"],
        "added": e.meta["effective_date"],
        "details": {name: copied(d[name]) for name in DETAILS},
        "updates": [],
        "left": None,
        **recorded(e),
    }


def _updated(doc: Document, e: PlainEvent) -> None:
    doc["people"][ref_of(doc, e)]["updates"].append(
        {"date": e.meta["effective_date"], "changes": copied(e.data["changes"]), **recorded(e)}
    )


def _left(doc: Document, e: PlainEvent) -> None:
    doc["people"][ref_of(doc, e)]["left"] = {
        "date": e.meta["effective_date"],
        "reason": e.data["reason"],
        **recorded(e),
    }


def _assigned(doc: Document, e: PlainEvent) -> None:
    doc["assignments"].setdefault(ref_of(doc, e), []).append(
        {
            "date": e.meta["effective_date"],
            "person": e.data["person"],
            "previous": e.data["previous"],
            **recorded(e),
        }
    )


def _corrected(doc: Document, e: PlainEvent) -> None:
    kind, ref = corrected_kind(e)
    if kind == "person" and ref in doc["people"]:
        # A correction says the details were wrong from the start: it changes them as added.
        doc["people"][ref]["details"].update(copied(e.data["corrected_fields"]))


PEOPLE = FoldTable(
    "people",
    _empty,
    {
        "PersonAdded": remember_ref(_added),
        "PersonUpdated": _updated,
        "PersonLeft": _left,
        # Assignments are events of actions: their refs are needed to file them.
        "ActionPlanned": remember_ref(lambda _doc, _event: None),
        "ActionAssigned": _assigned,
        "Corrected": _corrected,
    },
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
