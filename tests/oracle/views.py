"""The query API answered by the oracle: the same view functions as the product's, over
documents a straightforward replay of the log folds (see `tests.oracle.folds`)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any

from ledger.application.service import JourneyLedger
from projections import actions, people
from projections.views import JourneyViews, UnknownAuthority
from projections.writes import Document
from tests.oracle import folds


class OracleViews(JourneyViews):
    """`JourneyViews` whose documents come from replaying the log up to the instant asked."""

    def __init__(self, ledger: JourneyLedger, like: JourneyViews) -> None:
        super().__init__(
            like.read_model,
            like.frameworks,
            like.today,
            like.zone,
            like.deadline_rules,
            like.calendar,
        )
        self.ledger = ledger

    def catch_up(self) -> None:
        return None

    def _docs(
        self, authority: str, names: Iterable[str], known_at: datetime | None
    ) -> dict[str, Document]:
        replayed = folds.replay(self.ledger, authority, known_at)
        wanted = ["authorities", *names]
        docs = {name: replayed.get((name, authority)) for name in wanted}
        if not docs["authorities"]:
            when = f" as known at {known_at.isoformat()}" if known_at else ""
            raise UnknownAuthority(f"no authority {authority!r} is recorded{when}")
        empty = {p.name: p.empty for p in folds.ORACLE_PROJECTIONS}
        found = {name: doc if doc is not None else empty[name]() for name, doc in docs.items()}
        if "timeline" in found:
            # Entries presented in the order recorded, creations as their corrections left them.
            found["timeline"] = {"entries": folds.presented(found["timeline"]["entries"])}
        return found

    def _action_summaries(self, authority: str, day: date, known_at: datetime | None) -> Document:
        """The replayed actions document with each action's latest update by `day` only."""
        doc = copy.deepcopy(self._docs(authority, ["actions"], known_at)["actions"])
        for action in doc["actions"].values():
            dated = [u for u in action["progress"] if u["date"] <= day.isoformat()]
            action["progress"] = [max(reversed(dated), key=lambda u: u["date"])] if dated else []
        return doc

    def authorities(self, known_at: datetime | None = None) -> list[dict[str, Any]]:
        replayed = folds.replay(self.ledger, None, known_at)
        found = [doc for (name, _), doc in replayed.items() if name == "authorities" and doc]
        return sorted(found, key=lambda d: str(d["slug"]))

    def timeline(
        self,
        authority: str,
        as_of: date | None = None,
        known_at: datetime | None = None,
        start: date | None = None,
        end: date | None = None,
        kinds: Iterable[str] = (),
    ) -> dict[str, Any]:
        docs = self._docs(authority, ["timeline"], known_at)
        day = as_of or self.today()
        chosen: Sequence[str] = list(kinds)
        return {
            "authority": authority,
            "as_of": day.isoformat(),
            "known_at": None if known_at is None else known_at.isoformat(),
            "from": None if start is None else start.isoformat(),
            "to": None if end is None else end.isoformat(),
            "kinds": sorted(chosen),
            "entries": folds.entries(docs["timeline"], day, start, end, chosen),
        }

    def latest(
        self, authority: str, kind: str, as_of: date | None = None, known_at: datetime | None = None
    ) -> dict[str, Any] | None:
        docs = self._docs(authority, ["timeline"], known_at)
        return folds.latest(docs["timeline"], kind, as_of or self.today())

    def my_actions(
        self,
        account: str,
        as_of: date | None = None,
        only: Callable[[str, str | None], bool] | None = None,
    ) -> list[dict[str, Any]]:
        day = as_of or self.today()
        found = []
        for authority in self.authorities():
            slug = authority["slug"]
            if only is not None and not only(slug, authority.get("region")):
                continue
            docs = self._docs(slug, ["people", "actions"], None)
            mine = [
                p
                for p in people.people(docs["people"], day)
                if p["account"] == account.lower() and p["active"]
            ]
            tracker = actions.tracker(self._action_summaries(slug, day, None), day)["actions"]
            people.annotate(tracker, docs["people"], day)
            for person in mine:
                found.append(
                    {
                        "authority": slug,
                        "authority_name": authority["name"],
                        "person": people.named(person),
                        "actions": [
                            a
                            for a in tracker
                            if a["person"] and a["person"]["ref"] == person["ref"]
                        ],
                    }
                )
        return found
