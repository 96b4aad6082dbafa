"""The tracker's filters, orders and search, over actions shaped as the query API returns them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from web.journey.tracker import (
    TrackerQuery,
    filter_actions,
    owners,
    search_recommendations,
    sort_actions,
    weeks_without_update,
)

AS_OF = date(2019, 3, 1)


def action(ref: str, **changes: Any) -> dict[str, Any]:
    found: dict[str, Any] = {
        "ref": ref,
        "title": f"Action {ref}",
        "owner": "Head of Early Help",
        "answers": ["rec-1"],
        "planned": "2018-11-01",
        "status": "open",
        "rag": None,
        "latest_update": None,
        "updates": [],
        "revisions": [],
        "due_date": "2019-06-30",
        "overdue": False,
        "due_soon": False,
    }
    found.update(changes)
    if found["latest_update"] is not None:
        found["updates"] = [found["latest_update"]]
    return found


RED = action(
    "red",
    rag="red",
    due_date="2019-02-01",
    overdue=True,
    latest_update={"date": "2019-02-20", "rag": "red", "narrative": "Recruitment stalled"},
)
AMBER = action(
    "amber",
    rag="amber",
    owner="Director",
    due_date="2019-03-10",
    due_soon=True,
    latest_update={"date": "2018-12-01", "rag": "amber", "narrative": "Draft written"},
)
NEW = action("new")  # no update since it was planned on 1 November 2018
DONE = action("done", status="complete", due_date="2018-12-01", rag="green")
ACTIONS = [DONE, NEW, AMBER, RED]


def refs(actions: list[dict[str, Any]]) -> list[str]:
    return [a["ref"] for a in actions]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (TrackerQuery(), ["red", "amber", "new", "done"]),
        (TrackerQuery(rags=frozenset({"red"})), ["red"]),
        (TrackerQuery(rags=frozenset({"none"})), ["new"]),
        (TrackerQuery(owner="Director"), ["amber"]),
        (TrackerQuery(statuses=frozenset({"complete"})), ["done"]),
        (TrackerQuery(overdue=True), ["red"]),
        (TrackerQuery(due_soon=True), ["amber"]),
        (TrackerQuery(stale_weeks=8), ["amber", "new"]),  # open, and 8 weeks or more untouched
        (TrackerQuery(stale_weeks=17), ["new"]),
        (TrackerQuery(text="recruitment"), ["red"]),  # in an update's narrative
        (TrackerQuery(text="DIRECTOR"), ["amber"]),  # any case
        (TrackerQuery(text="neglect"), ["red", "amber", "new", "done"]),  # the rec's text
        (TrackerQuery(text="neglect draft"), ["amber"]),  # every word must match
        (TrackerQuery(rags=frozenset({"red", "amber"}), owner="Director"), ["amber"]),
    ],
)
def test_each_filter_narrows_the_actions(query: TrackerQuery, expected: list[str]) -> None:
    texts = {"rec-1": "Improve the response to neglect"}
    assert refs(filter_actions(ACTIONS, query, AS_OF, texts)) == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("due", ["red", "amber", "new", "done"]),
        ("rag", ["red", "amber", "new", "done"]),
        ("stale", ["new", "amber", "red", "done"]),
        ("owner", ["amber", "done", "red", "new"]),
        ("title", ["amber", "done", "new", "red"]),
        ("nonsense", ["red", "amber", "new", "done"]),
    ],
)
def test_the_sort_orders(key: str, expected: list[str]) -> None:
    assert refs(sort_actions(ACTIONS, key)) == expected


def test_weeks_without_update_count_from_the_plan_when_there_is_none() -> None:
    assert weeks_without_update(NEW, AS_OF) == 17
    assert weeks_without_update(RED, AS_OF) == 1


def test_owners_are_listed_once_in_order() -> None:
    assert owners(ACTIONS) == ["Director", "Head of Early Help"]


def test_recommendations_are_searched_by_ref_text_and_area() -> None:
    recs = [
        {"ref": "sif-2018-neglect", "text": "Improve the response to neglect", "area": None},
        {"ref": "sif-2018-care-leavers", "text": "Pathway plans", "area": "care_leavers"},
    ]
    assert [r["ref"] for r in search_recommendations(recs, ("neglect",))] == ["sif-2018-neglect"]
    assert [r["ref"] for r in search_recommendations(recs, ("care",))] == ["sif-2018-care-leavers"]
    assert search_recommendations(recs, ()) == []
    assert TrackerQuery(text="  ").narrows is False
    assert TrackerQuery(sort="rag").narrows is False
