"""The action tracker's filters, sort orders and search: pure functions over what the query API
returns (the tracker's actions, the recommendations), so they hold whatever stores the answers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

NOT_RATED = "none"
RAG_ORDER = {"red": 0, "amber": 1, "green": 2, NOT_RATED: 3}
STATUSES = ("open", "complete", "cancelled")
SORTS = {
    "due": "Due date, soonest first",
    "rag": "Rating, red first",
    "stale": "Last update, oldest first",
    "owner": "Owner",
    "title": "Title",
}

Action = dict[str, Any]


@dataclass(frozen=True)
class TrackerQuery:
    """Which actions to show and in what order; empty fields do not filter."""

    rags: frozenset[str] = frozenset()
    owner: str = ""
    statuses: frozenset[str] = frozenset()
    overdue: bool = False
    due_soon: bool = False
    stale_weeks: int | None = None
    text: str = ""
    sort: str = "due"
    words: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", tuple(self.text.casefold().split()))

    @property
    def narrows(self) -> bool:
        """Whether any filter or search is set (the sort order alone does not narrow)."""
        return bool(
            self.rags
            or self.owner
            or self.statuses
            or self.overdue
            or self.due_soon
            or self.stale_weeks
            or self.words
        )


def owner_of(action: Action) -> str:
    """Who owns an action, as shown: the person it is assigned to, else the plan's owner."""
    return str(action.get("owner_name") or action["owner"])


def rating(action: Action) -> str:
    """An action's latest RAG rating, or ``none`` when it has had no update."""
    return str(action.get("rag") or NOT_RATED)


def last_update(action: Action) -> str:
    """The day of an action's latest progress update, else the day it was planned (ISO)."""
    latest = action.get("latest_update")
    return str(latest["date"] if latest else action["planned"])


def weeks_without_update(action: Action, as_of: date) -> int:
    """Whole weeks since the latest update (or since it was planned, if none)."""
    return (as_of - date.fromisoformat(last_update(action))).days // 7


def _haystack(action: Action, answering: Iterable[str]) -> str:
    parts = [action["ref"], action["title"], action["owner"], owner_of(action), *answering]
    parts += [update.get("narrative", "") for update in action.get("updates", [])]
    parts += [revision.get("reason", "") for revision in action.get("revisions", [])]
    return " ".join(str(part) for part in parts).casefold()


def matches(text: str, words: Sequence[str]) -> bool:
    """Whether every word of a search appears in ``text`` (case and accents of case aside)."""
    folded = text.casefold()
    return all(word in folded for word in words)


def filter_actions(
    actions: Iterable[Action],
    query: TrackerQuery,
    as_of: date,
    recommendation_texts: dict[str, str] | None = None,
) -> list[Action]:
    """The actions the query asks for. A search also looks in the text of the recommendations
    each action answers (``recommendation_texts``: ref to text)."""
    texts = recommendation_texts or {}
    chosen = []
    for action in actions:
        if query.rags and rating(action) not in query.rags:
            continue
        if query.owner and owner_of(action) != query.owner:
            continue
        if query.statuses and action["status"] not in query.statuses:
            continue
        if query.overdue and not action["overdue"]:
            continue
        if query.due_soon and not action["due_soon"]:
            continue
        if query.stale_weeks and (
            action["status"] != "open" or weeks_without_update(action, as_of) < query.stale_weeks
        ):
            continue
        answering = [f"{ref} {texts.get(ref, '')}" for ref in action.get("answers", [])]
        if query.words and not matches(_haystack(action, answering), query.words):
            continue
        chosen.append(action)
    return sort_actions(chosen, query.sort)


def sort_actions(actions: Iterable[Action], key: str) -> list[Action]:
    """Actions in one of the ``SORTS`` orders; open ones first within the due-date order."""
    orders: dict[str, Any] = {
        "due": lambda a: (a["status"] != "open", a["due_date"], a["ref"]),
        "rag": lambda a: (a["status"] != "open", RAG_ORDER[rating(a)], a["due_date"], a["ref"]),
        "stale": lambda a: (a["status"] != "open", last_update(a), a["ref"]),
        "owner": lambda a: (owner_of(a).casefold(), a["due_date"], a["ref"]),
        "title": lambda a: (a["title"].casefold(), a["ref"]),
    }
    return sorted(actions, key=orders.get(key, orders["due"]))


def owners(actions: Iterable[Action]) -> list[str]:
    """Every owner named, once each, in alphabetical order."""
    return sorted({owner_of(a) for a in actions}, key=str.casefold)


def search_recommendations(
    recommendations: Iterable[dict[str, Any]], words: Sequence[str]
) -> list[dict[str, Any]]:
    """Recommendations whose reference, text or area match every word of a search."""
    return [
        rec
        for rec in recommendations
        if words and matches(f"{rec['ref']} {rec['text']} {rec.get('area') or ''}", words)
    ]


def stale_since(as_of: date, weeks: int) -> date:
    """The day before which an open action's last update makes it "not updated for N weeks"."""
    return as_of - timedelta(weeks=weeks)
